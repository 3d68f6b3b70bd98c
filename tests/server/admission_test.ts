import assert from "node:assert/strict";
import { MAX_PENDING_PER_IP } from "../../src/app.ts";
import { EVICTED_CLOSE } from "../../src/server/upgrade.ts";
import { startTestGateway } from "../_helpers/gateway.ts";

/** Opens a socket that gets the challenge and never answers it (bounded wait). */
function idleSocket(url: string): Promise<{ ws: WebSocket; closed: Promise<CloseEvent> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const closed = new Promise<CloseEvent>((r) => ws.addEventListener("close", r));
    const t = setTimeout(() => reject(new Error("no challenge within 3 s")), 3000);
    ws.onmessage = () => (clearTimeout(t), resolve({ ws, closed }));
    ws.onerror = () => (clearTimeout(t), reject(new Error("refused")));
  });
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(what)), ms))),
  ]);
}

Deno.test("silent sockets past the per-address cap evict the oldest; a real client still connects", async () => {
  await using gw = await startTestGateway();
  const idle: Awaited<ReturnType<typeof idleSocket>>[] = [];
  try {
    for (let i = 0; i < MAX_PENDING_PER_IP + 10; i++) idle.push(await idleSocket(gw.url));
    // The first ten made room for the last ten, oldest first.
    for (const s of idle.slice(0, 10)) {
      const e = await within(s.closed, 3000, "oldest silent socket still open");
      assert.equal(e.code, EVICTED_CLOSE.code);
    }
    // The operator's own client is not locked out by a wall of silent sockets.
    const client = await gw.connect();
    assert.equal((await client.request<{ ok: boolean }>("health", {})).ok, true);
    await client.close();
    assert.equal(gw.lines.filter((l) => /WARN .*closing the oldest/.test(l)).length, 1);
  } finally {
    await Promise.all(idle.map(async ({ ws, closed }) => {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await within(closed, 3000, "socket did not close").catch(() => {});
    }));
  }
});
