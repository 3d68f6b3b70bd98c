import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

/** Connects with `overrides` and returns a function that calls a method and returns its error message. */
async function caller(url: string, overrides: Record<string, unknown>) {
  const ws = await RawWs.connect(url, overrides);
  const denied = async (method: string, params: unknown = {}) =>
    (await ws.request(method, params)).error?.message;
  return { ws, denied };
}

const NOTE = { text: "note" };

Deno.test("router lets a client with no scopes call health but not status", async () => {
  await using gw = await startTestGateway();
  const { ws, denied } = await caller(gw.url, { scopes: [] });
  await using _ws = ws;
  assert.equal(await denied("health"), undefined);
  assert.equal(await denied("status"), "missing scope: operator.read");
  assert.equal(await denied("system-presence"), "missing scope: operator.read");
  const res = await ws.request("status", {});
  assert.equal(res.error?.code, "INVALID_REQUEST");
});

Deno.test("handshake grants no scopes when connect asks for none (default deny)", async () => {
  await using gw = await startTestGateway();
  const { ws, denied } = await caller(gw.url, { scopes: undefined });
  await using _ws = ws;
  assert.deepEqual(ws.frames.find((f) => f.id === "connect")!.payload.auth.scopes, []);
  assert.equal(await denied("status"), "missing scope: operator.read");
});

Deno.test("router lets operator.read call status but not system-event", async () => {
  await using gw = await startTestGateway();
  const { ws, denied } = await caller(gw.url, { scopes: ["operator.read"] });
  await using _ws = ws;
  assert.equal(await denied("status"), undefined);
  assert.equal(await denied("system-presence"), undefined);
  assert.equal(await denied("system-event", NOTE), "missing scope: operator.admin");
});

Deno.test("router treats operator.write as implying operator.read", async () => {
  await using gw = await startTestGateway();
  const { ws, denied } = await caller(gw.url, { scopes: ["operator.write"] });
  await using _ws = ws;
  assert.equal(await denied("status"), undefined);
  assert.equal(await denied("system-event", NOTE), "missing scope: operator.admin");
});

Deno.test("router lets operator.admin call every served method", async () => {
  await using gw = await startTestGateway();
  const { ws, denied } = await caller(gw.url, { scopes: ["operator.admin"] });
  await using _ws = ws;
  for (const method of ["health", "status", "system-presence"]) {
    assert.equal(await denied(method), undefined, method);
  }
  assert.equal(await denied("system-event", NOTE), undefined);
});

Deno.test("router refuses operator methods to role node, which holds no scopes", async () => {
  await using gw = await startTestGateway();
  const { ws, denied } = await caller(gw.url, {
    role: "node",
    scopes: ["operator.admin"],
    client: { id: "node-host", version: "1", platform: "test", mode: "node" },
  });
  await using _ws = ws;
  const hello = ws.frames.find((f) => f.id === "connect")!.payload;
  assert.deepEqual(hello.auth, { role: "node", scopes: [] });
  assert.equal(await denied("status"), "unauthorized role: node");
  assert.equal(await denied("system-event", NOTE), "unauthorized role: node");
  assert.equal(await denied("health"), undefined);
});

Deno.test("handshake refuses an unknown role with close 1008", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake({ role: "admin" });
  assert.equal(res.ok, false);
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.match(res.error!.message, /invalid role "admin"/);
  assert.deepEqual(await ws.waitClosed(), { code: 1008, reason: "invalid role" });
});

Deno.test("status shows gateway paths to admins only", async () => {
  await using gw = await startTestGateway();
  await using admin = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  await using reader = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  const full = (await admin.request("status", {})).payload;
  assert.equal(full.gateway.port, gw.port);
  assert.equal(full.gateway.stateDir, gw.proc.paths.stateDir);
  const short = (await reader.request("status", {})).payload;
  assert.equal(short.ok, true);
  assert.equal("gateway" in short, false);
  assert.equal(JSON.stringify(short).includes(gw.home), false, "a path leaked to a reader");
});
