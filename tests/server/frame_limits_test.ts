import assert from "node:assert/strict";
import { encodeText, FrameDecoder, type FrameSink } from "../../src/server/ws_frames.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { connectParams } from "../_helpers/raw_ws.ts";
import { maskedTextFrame, StalledWs } from "../_helpers/stalled_ws.ts";

const enc = new TextEncoder();

/** A masked frame header announcing `len` bytes (no payload). */
function header(opcode: number, len: number, fin = true): Uint8Array {
  const out = new Uint8Array(14);
  out[0] = (fin ? 0x80 : 0) | opcode;
  out[1] = 0x80 | 127;
  new DataView(out.buffer).setBigUint64(2, BigInt(len));
  out.set([1, 2, 3, 4], 10);
  return out;
}

function recorder(limit = 1000) {
  const got: string[] = [];
  const sink: FrameSink = {
    onText: (s) => got.push(`text:${s}`),
    onBinary: (b) => got.push(`binary:${b.length}`),
    onPing: (p) => got.push(`ping:${p.length}`),
    onPeerClose: (code, reason) => got.push(`close:${code}:${reason}`),
    onViolation: (code, reason) => got.push(`fail:${code}:${reason}`),
    maxMessageBytes: () => limit,
  };
  return { got, sink };
}

Deno.test("FrameDecoder fails 1009 on the header of an oversized frame, before its payload", () => {
  const { got, sink } = recorder(64 * 1024);
  const d = new FrameDecoder(sink);
  d.push(header(1, 60 * 1024 * 1024));
  assert.deepEqual(got, ["fail:1009:Max payload size exceeded"]);
});

Deno.test("FrameDecoder counts fragments of one message against the limit", () => {
  const { got, sink } = recorder(100);
  const d = new FrameDecoder(sink);
  const first = maskedTextFrame("x".repeat(60));
  first[0] = 0x01; // text, not final
  d.push(first);
  const second = maskedTextFrame("y".repeat(60));
  second[0] = 0x80; // continuation, final
  d.push(second);
  assert.deepEqual(got, ["fail:1009:Max payload size exceeded"]);
});

Deno.test("FrameDecoder reassembles fragments split anywhere and rejects protocol errors", () => {
  const { got, sink } = recorder();
  const d = new FrameDecoder(sink);
  const a = maskedTextFrame("héllo ");
  a[0] = 0x01;
  const b = maskedTextFrame("wörld");
  b[0] = 0x80;
  const bytes = new Uint8Array([...a, ...b]);
  for (const byte of bytes) d.push(new Uint8Array([byte]));
  assert.deepEqual(got, ["text:héllo wörld"]);

  // One frame whose payload arrives in two reads, the first a multiple of 4 bytes.
  const split = recorder();
  const whole = maskedTextFrame("abcdefghijkl");
  const sd = new FrameDecoder(split.sink);
  sd.push(whole.slice(0, 6 + 4));
  sd.push(whole.slice(6 + 4));
  assert.deepEqual(split.got, ["text:abcdefghijkl"]);

  const unmasked = recorder();
  new FrameDecoder(unmasked.sink).push(new Uint8Array([0x81, 0x01, 0x41]));
  assert.deepEqual(unmasked.got, ["fail:1002:unmasked frame"]);

  const badUtf8 = recorder();
  const f = maskedTextFrame("ab");
  const mask = f.subarray(2, 6);
  f[6] = 0xff ^ mask[0];
  new FrameDecoder(badUtf8.sink).push(f);
  assert.deepEqual(badUtf8.got, ["fail:1007:invalid UTF-8"]);
});

/** Upgrades over raw TCP and returns the connection, the challenge already read. */
async function rawSocket(port: number): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(enc.encode(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  return conn;
}

/** Reads until a close frame arrives; returns its code, or fails after `ms`. */
async function closeCode(conn: Deno.TcpConn, ms = 3000): Promise<number> {
  const t = setTimeout(() => conn.close(), ms);
  let seen = new Uint8Array(0);
  try {
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) throw new Error(`no close frame within ${ms} ms`);
      const merged = new Uint8Array(seen.length + n);
      merged.set(seen);
      merged.set(buf.subarray(0, n), seen.length);
      seen = merged;
      // The close frame is the last thing the gateway sends: find 0x88 near the end.
      for (let i = seen.length - 2; i >= 0; i--) {
        if (
          seen[i] === 0x88 && seen[i + 1] >= 2 && seen[i + 1] <= 125 &&
          i + 2 + seen[i + 1] === seen.length
        ) {
          return (seen[i + 2] << 8) | seen[i + 3];
        }
      }
    }
  } finally {
    clearTimeout(t);
    try {
      conn.close();
    } catch {
      // Closed by the timeout.
    }
  }
}

Deno.test("a 60 MiB frame before connect is refused (1009) from its header alone", async () => {
  await using gw = await startTestGateway();
  const conn = await rawSocket(gw.port);
  // Only the 14-byte header is sent: a transport that assembles the whole
  // message first would wait for 60 MiB that never come.
  await conn.write(header(1, 60 * 1024 * 1024));
  assert.equal(await closeCode(conn), 1009);
});

Deno.test("maxPayload holds after connect, checked from the frame header", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxPayload: 256 * 1024 } }),
  });
  const ws = await StalledWs.connect(gw.port, connectParams());
  try {
    await ws.sendRaw(header(1, 256 * 1024 + 1));
    const closed = await ws.drainUntilClose(3000);
    assert.equal(closed?.code, 1009);
  } finally {
    ws.close();
  }
});

Deno.test("ten unauthenticated sockets announcing 60 MiB frames cost no memory", async () => {
  await using gw = await startTestGateway();
  const before = Deno.memoryUsage().rss;
  const conns = await Promise.all(Array.from({ length: 10 }, () => rawSocket(gw.port)));
  const chunk = new Uint8Array(1024 * 1024);
  const codes = await Promise.all(conns.map(async (conn) => {
    await conn.write(header(1, 60 * 1024 * 1024));
    // Keep sending payload; the gateway has already refused the frame.
    for (let i = 0; i < 8; i++) await conn.write(chunk).catch(() => 0);
    return closeCode(conn);
  }));
  assert.deepEqual(codes, Array(10).fill(1009));
  const grownMiB = (Deno.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grownMiB < 64, `RSS grew by ${grownMiB.toFixed(0)} MiB`);
});

Deno.test("encodeText frames stay intact across shared slab boundaries", () => {
  const frames: [string, Uint8Array][] = [];
  for (let i = 0; i < 2000; i++) {
    const text = `${i}:` + "é".repeat(i % 700) + "x".repeat(i % 13);
    frames.push([text, encodeText(text)]);
  }
  // Decoded only after all were encoded: a later frame must not overwrite an earlier one.
  for (const [text, f] of frames) {
    const len7 = f[1] & 0x7f;
    const off = len7 === 126 ? 4 : 2;
    const len = len7 === 126 ? (f[2] << 8) | f[3] : len7;
    assert.equal(f[0], 0x81);
    assert.equal(f.length, off + len);
    assert.equal(new TextDecoder().decode(f.subarray(off)), text);
  }
});
