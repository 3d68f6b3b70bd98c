import assert from "node:assert/strict";
import { authJson, base, startHttpGateway } from "./_http_gateway.ts";

const MB = 1024 * 1024;

/** A 30 MB body from one reused 64 KiB chunk (the sender itself holds ~nothing). */
function bigBody(total: number, counter: { sent: number }): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (counter.sent >= total) return c.close();
      counter.sent += chunk.byteLength;
      c.enqueue(chunk);
    },
  });
}

/** Sends a 30 MB body with a declared length over a raw socket; returns the status line. */
async function rawPost(port: number, path: string, total: number): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head =
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${authJson().authorization}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`;
    await conn.write(new TextEncoder().encode(head));
    const buf = new Uint8Array(4096);
    const n = await Promise.race([
      conn.read(buf),
      new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
    ]);
    return n ? new TextDecoder().decode(buf.subarray(0, n)).split("\r\n")[0] : "no answer";
  } finally {
    conn.close();
  }
}

Deno.test("a 30 MB body is refused (413) without the gateway's memory growing by it", async () => {
  await using fx = await startHttpGateway();
  const url = base(fx);
  // Warm up: the API app (Hono) loads on the first request.
  const warm = await fetch(`${url}/tools/invoke`, { method: "POST", body: "{}" });
  await warm.body?.cancel();
  const before = Deno.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().rss)), 5);
  try {
    // Declared length: answered before a body byte is read.
    assert.equal(
      await rawPost(fx.gw.port, "/v1/chat/completions", 30 * MB),
      "HTTP/1.1 413 Payload Too Large",
    );
    // No length (chunked): cut off at the 2 MiB cap of /tools/invoke as it streams in.
    const counter = { sent: 0 };
    const res = await fetch(`${url}/tools/invoke`, {
      method: "POST",
      headers: authJson(),
      body: bigBody(30 * MB, counter),
      signal: AbortSignal.timeout(15_000),
    }).catch((e) => e as Error);
    if (res instanceof Response) {
      assert.equal(res.status, 413);
      await res.body?.cancel();
    }
    assert.ok(counter.sent < 30 * MB, `the gateway read all ${counter.sent} bytes`);
  } finally {
    clearInterval(sample);
  }
  const growth = (peak - before) / MB;
  assert.ok(growth < 15, `memory grew by ${growth.toFixed(1)} MB for a refused 30 MB body`);
});
