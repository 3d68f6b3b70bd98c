import assert from "node:assert/strict";
import { startTestGateway, type TestGatewayOptions } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

const KiB = 1024;
const small: TestGatewayOptions = {
  tweak: (s) => ({ ...s, policy: { ...s.policy, maxPayload: 4 * KiB }, handshakeTimeoutMs: 200 }),
};

/** Asserts `ws` is still usable: a later `health` call succeeds. */
async function assertStillOpen(ws: RawWs): Promise<void> {
  const res = await ws.request("health", {});
  assert.equal(res.ok, true, JSON.stringify(res.error));
  assert.equal(ws.isClosed, false);
}

Deno.test("ws session answers a first request that is not connect, then closes 1008", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.request("health", {});
  assert.equal(res.ok, false);
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.message, "invalid handshake: first request must be connect");
  assert.equal((await ws.waitClosed()).code, 1008);
});

Deno.test("ws session closes 1008 on malformed JSON before connect", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  ws.send("{not json");
  assert.equal((await ws.waitClosed()).code, 1008);
  assert.deepEqual(ws.order, ["event:connect.challenge", "close:1008"]);
});

Deno.test("ws session closes 1008 on a frame that is not a request before connect", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  ws.send(JSON.stringify({ type: "event", event: "tick" }));
  assert.equal((await ws.waitClosed()).code, 1008);
});

Deno.test("ws session names an unknown envelope key before connect, then closes 1008", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  ws.send(JSON.stringify({ type: "req", id: "c1", method: "connect", params: {}, extra: 1 }));
  const closed = await ws.waitClosed();
  assert.equal(closed.code, 1008);
  const res = ws.frames.find((f) => f.id === "c1");
  assert.equal(res?.ok, false);
  assert.equal(res?.error?.message, 'invalid request frame: unexpected property "extra"');
});

Deno.test("ws session answers malformed JSON after connect with id invalid and stays open", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  ws.send("{not json");
  const res = await ws.next((f) => f.type === "res" && f.id === "invalid");
  assert.equal(res.ok, false);
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.match(res.error!.message, /^malformed JSON: /);
  await assertStillOpen(ws);
});

Deno.test("ws session answers a non-req frame after connect and stays open", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  ws.send(JSON.stringify({ type: "event", event: "tick" }));
  const anonymous = await ws.next((f) => f.type === "res" && f.id === "invalid");
  assert.equal(anonymous.error?.code, "INVALID_REQUEST");
  assert.match(anonymous.error!.message, /^invalid request frame: /);
  // A frame with an id gets its answer under that id.
  ws.send(JSON.stringify({ type: "res", id: "x1", ok: true }));
  const echoed = await ws.next((f) => f.type === "res" && f.id === "x1");
  assert.match(echoed.error!.message, /^invalid request frame: /);
  // Unknown envelope keys are refused too (the envelope is closed).
  ws.send(JSON.stringify({ type: "req", id: "x2", method: "health", extra: 1 }));
  const extra = await ws.next((f) => f.type === "res" && f.id === "x2");
  assert.equal(extra.ok, false);
  assert.match(extra.error!.message, /extra/);
  await assertStillOpen(ws);
});

Deno.test("ws session refuses a binary frame after connect and stays open", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  ws.send(new TextEncoder().encode(JSON.stringify({ type: "req", id: "b", method: "health" })));
  const res = await ws.next((f) => f.type === "res" && f.id === "invalid");
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.match(res.error!.message, /binary/);
  await assertStillOpen(ws);
});

Deno.test("ws session closes 1008 on a binary frame before connect", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  ws.send(new Uint8Array([1, 2, 3]));
  assert.equal((await ws.waitClosed()).code, 1008);
});

Deno.test("ws session closes 1009 on a frame over 64 KiB before connect", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  ws.send("x".repeat(64 * KiB + 1));
  assert.equal((await ws.waitClosed()).code, 1009);
});

Deno.test("ws session accepts a connect frame just under 64 KiB", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake({ userAgent: "u".repeat(60 * KiB) });
  assert.equal(res.ok, true, JSON.stringify(res.error));
});

Deno.test("ws session closes 1009 on a frame over maxPayload after connect", async () => {
  await using gw = await startTestGateway(small);
  await using ws = await RawWs.connect(gw.url);
  // Just under the limit is fine...
  const ok = await ws.request("system-event", { text: "t".repeat(3 * KiB) });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  // ...one byte over closes the socket.
  ws.send(
    JSON.stringify({ type: "req", id: "big", method: "health", params: {} }).padEnd(4 * KiB + 1),
  );
  assert.deepEqual(await ws.waitClosed(), { code: 1009, reason: "Max payload size exceeded" });
});

Deno.test("ws session answers an unknown method and stays open", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  const res = await ws.request("no.such.method", {});
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.message, "unknown method: no.such.method");
  await assertStillOpen(ws);
});

Deno.test("ws session refuses a second connect after the handshake", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  const res = await ws.request("connect", {});
  assert.equal(res.ok, false);
  assert.equal(res.error?.code, "INVALID_REQUEST");
  await assertStillOpen(ws);
});

Deno.test("router refuses params with an unknown key, naming it", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  const res = await ws.request("status", { verbose: true });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.message, 'invalid status params: unexpected property "verbose"');
  await assertStillOpen(ws);
});

Deno.test("router refuses params missing a required field, naming it", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  const res = await ws.request("system-event", { host: "box" });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.message, 'invalid system-event params: missing required property "text"');
});

Deno.test("router refuses params of the wrong type, naming the field", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  const res = await ws.request("health", { probe: "yes" });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.message, "invalid health params: probe must be boolean");
  const nested = await ws.request("system-event", { text: "hi", tags: ["a", 2] });
  assert.equal(nested.error?.message, "invalid system-event params: tags.1 must be string");
});

Deno.test("handshake refuses a bad client.id, naming it, and closes 1008", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake({
    client: { id: "nope", version: "1", platform: "test", mode: "test" },
  });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.match(
    res.error!.message,
    /^invalid connect params: client\.id must be one of "webchat-ui"/,
  );
  const closed = await ws.waitClosed();
  assert.equal(closed.code, 1008);
  assert.ok(new TextEncoder().encode(closed.reason).length <= 123, closed.reason);
  assert.match(closed.reason, /client\.id/);
});

Deno.test("handshake timeout closes a socket that never sends connect", async () => {
  await using gw = await startTestGateway(small);
  const started = performance.now();
  await using ws = await RawWs.open(gw.url);
  const closed = await ws.waitClosed(2000);
  assert.equal(closed.reason, "handshake timeout");
  assert.equal(closed.code, 1000);
  assert.ok(performance.now() - started >= 150, "closed before the timeout");
  assert.deepEqual(ws.order, ["event:connect.challenge", "close:1000"]);
});

Deno.test("handshake timeout leaves an authenticated socket open", async () => {
  await using gw = await startTestGateway(small);
  await using ws = await RawWs.connect(gw.url);
  await new Promise((r) => setTimeout(r, 400));
  await assertStillOpen(ws);
});
