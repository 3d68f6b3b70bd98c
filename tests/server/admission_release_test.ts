import assert from "node:assert/strict";
import { listen } from "../../src/server/serve.ts";
import { SocketAdmission } from "../../src/server/upgrade.ts";
import { silentLogger } from "../../src/log/logger.ts";

/** Waits (bounded) until `cond` holds. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("admission forgets a socket the client closed, before or after its handshake", async () => {
  const admission = new SocketAdmission({
    stopping: () => false,
    allowedOrigins: () => [],
    authMode: () => "token",
    log: silentLogger(),
    session: {
      policy: () => ({
        maxPayload: 1024 * 1024,
        maxBufferedBytes: 1024 * 1024,
        tickIntervalMs: 30_000,
      }),
      handshakeTimeoutMs: 10_000,
      log: silentLogger(),
      decide: () => {
        throw new Error("not reached: the test never sends connect");
      },
      hello: () => {
        throw new Error("not reached");
      },
      opened: () => {},
      closed: () => {},
      dispatch: () => {
        throw new Error("not reached");
      },
    },
  });
  const l = listen(
    { hostname: "127.0.0.1", port: 0, upgrade: (req, info) => admission.upgrade(req, info) },
    () => new Response("no"),
  );
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${l.port}`);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no challenge within 3 s")), 3000);
      ws.onmessage = () => (clearTimeout(t), resolve());
      ws.onerror = () => (clearTimeout(t), reject(new Error("refused")));
    });
    assert.equal(admission.pending.size, 1);
    assert.equal(admission.live.size, 1);
    const closed = new Promise((r) => (ws.onclose = r));
    ws.close();
    await closed;
    await until(() => admission.live.size === 0, 3000, "closed socket still counted as live");
    assert.equal(admission.pending.size, 0, "closed socket still counted as waiting");
    // With nothing live, draining resolves at once.
    const t0 = Date.now();
    await admission.drained(2000);
    assert.ok(Date.now() - t0 < 500, "drained waited for a socket that is gone");
  } finally {
    await l.close();
  }
});
