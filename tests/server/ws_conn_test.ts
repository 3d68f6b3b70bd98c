import assert from "node:assert/strict";
import { listen, upgradeWebSocket } from "../../src/server/serve.ts";

const enc = new TextEncoder();

function masked(opcode: number, payload: Uint8Array): Uint8Array {
  const mask = [9, 8, 7, 6];
  const out = new Uint8Array(6 + payload.length);
  out[0] = 0x80 | opcode;
  out[1] = 0x80 | payload.length;
  out.set(mask, 2);
  payload.forEach((b, i) => (out[6 + i] = b ^ mask[i % 4]));
  return out;
}

/** Reads everything until the server ends the connection (at most `ms`). */
async function readAll(conn: Deno.Conn, ms = 3000): Promise<Uint8Array> {
  const t = setTimeout(() => conn.close(), ms);
  const parts: number[] = [];
  const buf = new Uint8Array(4096);
  try {
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      parts.push(...buf.subarray(0, n));
    }
  } finally {
    clearTimeout(t);
  }
  return new Uint8Array(parts);
}

Deno.test("WsConn answers a ping with a pong and echoes the peer's close, then ends", async () => {
  let closed = false;
  const l = listen({ hostname: "127.0.0.1", port: 0 }, (req) =>
    upgradeWebSocket(req, () => ({
      onOpen() {},
      onMessage() {},
      onClose: () => (closed = true),
      maxMessageBytes: () => 1024,
    })));
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: l.port });
    await conn.write(enc.encode(
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ));
    await conn.write(masked(9, enc.encode("hi")));
    await conn.write(masked(8, new Uint8Array([0x0f, 0xa0])));
    const bytes = await readAll(conn);
    const text = new TextDecoder().decode(bytes);
    assert.match(text, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(text, /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/);
    const frames = bytes.subarray(text.indexOf("\r\n\r\n") + 4);
    // pong "hi", then close 4000 echoed.
    assert.deepEqual([...frames], [0x8a, 2, 0x68, 0x69, 0x88, 2, 0x0f, 0xa0]);
    const deadline = Date.now() + 2000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(closed, "onClose not called");
  } finally {
    await l.close();
  }
});

Deno.test("a silent WebSocket peer is pinged, then closed 1001; one that answers pings stays", async () => {
  const l = listen(
    { hostname: "127.0.0.1", port: 0, wsIdleMs: 200 },
    (req) =>
      upgradeWebSocket(req, () => ({
        onOpen() {},
        onMessage() {},
        onClose() {},
        maxMessageBytes: () => 1024,
      })),
  );
  const answering = new WebSocket(`ws://127.0.0.1:${l.port}`);
  try {
    await new Promise((r, j) => (answering.onopen = r, answering.onerror = j));
    const silent = await Deno.connect({ hostname: "127.0.0.1", port: l.port });
    await silent.write(enc.encode(
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ));
    // Reads (without answering) until the server ends the connection.
    const bytes = await readAll(silent, 3000);
    const text = new TextDecoder().decode(bytes);
    const frames = [...bytes.subarray(text.indexOf("\r\n\r\n") + 4)];
    assert.deepEqual(frames.slice(0, 2), [0x89, 0], "no ping first");
    assert.deepEqual(frames.slice(2, 6), [0x88, 14, 0x03, 0xe9], "no close 1001 after the ping");
    // The Deno client answered its pings all along.
    assert.equal(answering.readyState, WebSocket.OPEN);
  } finally {
    answering.close();
    await new Promise((r) => (answering.onclose = r));
    await l.close();
  }
});
