import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { check } from "../../protocol/validate.ts";
import { EVENTS } from "../../protocol/events.ts";

Deno.test("SIGTERM sends shutdown to every client before closing 1001, then exits 0", async () => {
  await using gw = await startTestGateway();
  await using v3 = await RawWs.connect(gw.url, { minProtocol: 3, maxProtocol: 3 });
  await using v4 = await RawWs.connect(gw.url, { minProtocol: 4, maxProtocol: 4 });
  gw.signals.raise("SIGTERM");
  for (const ws of [v3, v4]) {
    const closed = await ws.waitClosed();
    assert.equal(closed.code, 1001);
    const [shutdown] = ws.events("shutdown");
    assert.ok(shutdown, `no shutdown event; got ${ws.order.join(", ")}`);
    assert.deepEqual(shutdown.payload, { reason: "SIGTERM" });
    assert.ok(check(EVENTS.shutdown.payload, shutdown.payload).ok);
    assert.equal(typeof shutdown.seq, "number");
    assert.deepEqual(ws.order.slice(-2), ["event:shutdown", "close:1001"]);
  }
  assert.equal(await gw.proc.done, 0);
});

Deno.test("SIGINT stops the gateway the same way", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(gw.url);
  gw.signals.raise("SIGINT");
  assert.equal((await ws.waitClosed()).code, 1001);
  assert.deepEqual(ws.events("shutdown").map((f) => f.payload), [{ reason: "SIGINT" }]);
  assert.equal(await gw.proc.done, 0);
});

// The gateway closes waiting sockets itself, with a close frame: dropping the
// listener would only end their TCP connections (1006 at the client, later).
Deno.test("shutdown closes sockets still in the handshake and refuses new ones", async () => {
  await using gw = await startTestGateway();
  await using pending = await RawWs.open(gw.url);
  await pending.nextEvent("connect.challenge");
  gw.signals.raise("SIGTERM");
  assert.deepEqual(await pending.waitClosed(), { code: 1001, reason: "gateway stopping" });
  assert.equal(await gw.proc.done, 0);
  await assert.rejects(RawWs.open(gw.url));
});
