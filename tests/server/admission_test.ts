import assert from "node:assert/strict";
import { MAX_PENDING_PER_IP } from "../../src/app.ts";
import { startTestGateway } from "../_helpers/gateway.ts";

/** Opens a socket that gets the challenge and never answers it. */
function idleSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onmessage = () => resolve(ws);
    ws.onerror = () => reject(new Error("refused"));
  });
}

Deno.test("gateway caps sockets waiting for their handshake per address (503 past the cap)", async () => {
  await using gw = await startTestGateway();
  const idle: WebSocket[] = [];
  try {
    for (let i = 0; i < MAX_PENDING_PER_IP; i++) idle.push(await idleSocket(gw.url));
    const res = await fetch(gw.url.replace("ws:", "http:"), {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "1");
    await res.body?.cancel();
    // A client is told the gateway is busy, not that it is down; the log says why, once.
    await assert.rejects(gw.connect(), /is busy \(HTTP 503/);
    assert.equal(gw.lines.filter((l) => /WARN .*upgrades refused \(503\)/.test(l)).length, 1);
    // Authenticated clients are not pending: once one idle socket goes, a real one fits.
    const closed = new Promise((r) => (idle[0].onclose = r));
    idle[0].close();
    await closed;
    const client = await gw.connect();
    assert.equal((await client.request<{ ok: boolean }>("health", {})).ok, true);
    await client.close();
  } finally {
    await Promise.all(
      idle.map((ws) =>
        ws.readyState === WebSocket.CLOSED ? undefined : new Promise((r) => {
          ws.onclose = r;
          ws.close();
        })
      ),
    );
  }
});
