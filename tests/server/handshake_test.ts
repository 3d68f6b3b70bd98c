import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { openClient } from "../_helpers/clients.ts";
import { check } from "../../protocol/validate.ts";
import { HelloOk } from "../../protocol/schemas/connect.ts";
import { EVENT_NAMES, EVENTS } from "../../protocol/events.ts";
import { METHODS } from "../../protocol/methods.ts";

Deno.test("handshake sends connect.challenge first, with nonce and ts and no seq", async () => {
  await using gw = await startTestGateway();
  const before = Date.now();
  await using ws = await RawWs.open(gw.url);
  const first = await ws.next(() => true);
  assert.equal(ws.frames[0], first);
  assert.equal(first.type, "event");
  assert.equal(first.event, "connect.challenge");
  assert.equal(first.seq, undefined);
  assert.equal(first.stateVersion, undefined);
  assert.ok(check(EVENTS["connect.challenge"].payload, first.payload).ok);
  assert.match(first.payload.nonce, /^[0-9a-f-]{36}$/);
  assert.ok(first.payload.ts >= before - 1000 && first.payload.ts <= Date.now() + 1000);
  // Every socket gets its own nonce.
  await using other = await RawWs.open(gw.url);
  const second = await other.nextEvent("connect.challenge");
  assert.notEqual(second.payload.nonce, first.payload.nonce);
});

Deno.test("handshake answers hello-ok that matches the HelloOk schema", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake();
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const checked = check(HelloOk, res.payload);
  assert.ok(checked.ok, checked.ok ? "" : checked.message);
  const hello = res.payload;
  assert.equal(hello.type, "hello-ok");
  assert.equal(typeof hello.server.version, "string");
  assert.equal(typeof hello.server.connId, "string");
  assert.deepEqual(hello.auth, { role: "operator", scopes: ["operator.admin"] });
  assert.deepEqual(hello.features.events, EVENT_NAMES);
});

Deno.test("handshake advertises the spec policy defaults (25 MiB, 50 MiB, 30 s)", async () => {
  await using gw = await startTestGateway();
  await using client = await openClient(gw);
  assert.deepEqual(client.hello.policy, {
    maxPayload: 26_214_400,
    maxBufferedBytes: 52_428_800,
    tickIntervalMs: 30_000,
  });
});

Deno.test("handshake snapshot has the gateway presence row, health, stateVersion and uptime", async () => {
  await using gw = await startTestGateway();
  await using client = await openClient(gw);
  const { snapshot } = client.hello;
  const self = snapshot.presence.filter((p) => p.mode === "gateway");
  assert.equal(self.length, 1);
  assert.equal(self[0].reason, "self");
  assert.equal(typeof self[0].host, "string");
  assert.equal(snapshot.health.ok, true);
  assert.equal(typeof snapshot.health.ts, "number");
  assert.ok(Number.isInteger(snapshot.stateVersion.presence));
  assert.ok(Number.isInteger(snapshot.stateVersion.health));
  assert.ok(Number.isInteger(snapshot.uptimeMs) && snapshot.uptimeMs >= 0);
  assert.equal(snapshot.authMode, "token");
});

Deno.test("handshake features.methods lists exactly the methods the gateway serves", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  const hello = ws.frames.find((f) => f.id === "connect")!.payload;
  const listed: string[] = hello.features.methods;
  for (const m of ["health", "status", "system-presence", "system-event"]) {
    assert.ok(listed.includes(m), `${m} missing from features.methods`);
  }
  assert.equal(new Set(listed).size, listed.length, "duplicates in features.methods");
  // Every protocol method is either listed and served, or unlisted and unknown.
  // The probe key fails every (closed) params schema, so no handler runs.
  for (const method of Object.keys(METHODS)) {
    const res = await ws.request(method, { "x-probe": true });
    assert.equal(res.ok, false, `${method} ran with a bogus param`);
    const unknown = res.error?.message === `unknown method: ${method}`;
    assert.equal(unknown, !listed.includes(method), `${method}: ${JSON.stringify(res.error)}`);
  }
  for (const method of listed) assert.ok(method in METHODS, `${method} is not in the registry`);
});

Deno.test("handshake gives a v3-only client protocol 3 and server.host", async () => {
  await using gw = await startTestGateway();
  await using client = await openClient(gw, { minProtocol: 3, maxProtocol: 3 });
  assert.equal(client.hello.protocol, 3);
  assert.equal(typeof client.hello.server.host, "string");
  assert.ok(client.hello.server.host!.length > 0);
});

Deno.test("handshake gives a v4-only client protocol 4", async () => {
  await using gw = await startTestGateway();
  await using client = await openClient(gw, { minProtocol: 4, maxProtocol: 4 });
  assert.equal(client.hello.protocol, 4);
  assert.equal(client.hello.server.host, undefined);
});

Deno.test("handshake picks the highest common protocol for a [3, 9] client", async () => {
  await using gw = await startTestGateway();
  await using client = await openClient(gw, { minProtocol: 3, maxProtocol: 9 });
  assert.equal(client.hello.protocol, 4);
});

Deno.test("handshake refuses a [5, 6] client with protocol mismatch and close 1002", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake({ minProtocol: 5, maxProtocol: 6 });
  assert.equal(res.ok, false);
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.message, "protocol mismatch");
  assert.deepEqual(await ws.waitClosed(), { code: 1002, reason: "protocol mismatch" });
});

Deno.test("handshake refuses a [1, 2] client with protocol mismatch", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake({ minProtocol: 1, maxProtocol: 2 });
  assert.equal(res.error?.message, "protocol mismatch");
  assert.equal((await ws.waitClosed()).code, 1002);
});
