/**
 * A WebSocket client over a bare TCP socket that completes the upgrade and the
 * `connect` handshake, then stops reading: the gateway's send buffer for it
 * grows, which is how a slow consumer looks from the server.
 *
 * @module
 */

const enc = new TextEncoder();
const dec = new TextDecoder();

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  for (let n = 0; n < bytes.length;) n += await conn.write(bytes.subarray(n));
}

/** A client-to-server text frame (clients must mask). */
export function maskedTextFrame(text: string): Uint8Array {
  const payload = enc.encode(text);
  const n = payload.length;
  const head = n < 126 ? [0x81, 0x80 | n] : n < 65536 ? [0x81, 0x80 | 126, n >> 8, n & 0xff] : [
    0x81,
    0x80 | 127,
    0,
    0,
    0,
    0,
    (n >>> 24) & 0xff,
    (n >>> 16) & 0xff,
    (n >>> 8) & 0xff,
    n & 0xff,
  ];
  const mask = crypto.getRandomValues(new Uint8Array(4));
  const out = new Uint8Array(head.length + 4 + n);
  out.set(head);
  out.set(mask, head.length);
  for (let i = 0; i < n; i++) out[head.length + 4 + i] = payload[i] ^ mask[i % 4];
  return out;
}

/** One server frame: opcode and (for text and close frames) the payload. */
interface ServerFrame {
  opcode: number;
  payload: Uint8Array;
}

/**
 * Incremental parser of unmasked server frames. Payloads of frames nobody looks
 * at (binary, ping, text while draining) are skipped without buffering.
 */
class FrameReader {
  #buf = new Uint8Array(0);
  #skip = 0;
  /** Text frames longer than this are skipped like binary ones. */
  maxText = Infinity;

  push(chunk: Uint8Array): ServerFrame[] {
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, chunk.length);
      this.#skip -= n;
      chunk = chunk.subarray(n);
    }
    const merged = new Uint8Array(this.#buf.length + chunk.length);
    merged.set(this.#buf);
    merged.set(chunk, this.#buf.length);
    let b = merged;
    const frames: ServerFrame[] = [];
    while (b.length >= 2) {
      const opcode = b[0] & 0x0f;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = (b[2] << 8) | b[3];
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(new DataView(b.buffer, b.byteOffset + 2, 8).getBigUint64(0));
        off = 10;
      }
      const wanted = opcode === 8 || (opcode === 1 && len <= this.maxText);
      if (!wanted && b.length < off + len) {
        this.#skip = off + len - b.length;
        b = new Uint8Array(0);
        break;
      }
      if (b.length < off + len) break;
      if (wanted) frames.push({ opcode, payload: b.slice(off, off + len) });
      b = b.subarray(off + len);
    }
    this.#buf = b.slice();
    return frames;
  }
}

/** A connected client that reads nothing after `hello-ok` until told to drain. */
export class StalledWs {
  /** Small text frames seen while draining. */
  readonly texts: string[] = [];
  #conn: Deno.TcpConn;
  #reader = new FrameReader();

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /**
   * Upgrades on `127.0.0.1:port`, sends `connectParams` as the `connect`
   * request and reads until its `hello-ok`; then stops reading.
   */
  static async connect(port: number, connectParams: unknown): Promise<StalledWs> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    // Bounded: a gateway that never answers fails the test instead of hanging it.
    const t = setTimeout(() => conn.close(), 5000);
    try {
      return await StalledWs.#handshake(conn, port, connectParams);
    } finally {
      clearTimeout(t);
    }
  }

  static async #handshake(
    conn: Deno.TcpConn,
    port: number,
    connectParams: unknown,
  ): Promise<StalledWs> {
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await writeAll(
      conn,
      enc.encode(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    const ws = new StalledWs(conn);
    let head = new Uint8Array(0);
    let rest: Uint8Array | undefined;
    while (rest === undefined) {
      const chunk = await ws.#read();
      const merged = new Uint8Array(head.length + chunk.length);
      merged.set(head);
      merged.set(chunk, head.length);
      head = merged;
      const end = dec.decode(head).indexOf("\r\n\r\n");
      if (end >= 0) {
        if (!dec.decode(head).startsWith("HTTP/1.1 101")) {
          throw new Error(`upgrade refused: ${dec.decode(head)}`);
        }
        rest = head.slice(enc.encode(dec.decode(head).slice(0, end + 4)).length);
      }
    }
    const request = { type: "req", id: "connect", method: "connect", params: connectParams };
    await writeAll(conn, maskedTextFrame(JSON.stringify(request)));
    for (let frames = ws.#reader.push(rest);; frames = ws.#reader.push(await ws.#read())) {
      for (const f of frames) {
        if (f.opcode !== 1) continue;
        const frame = JSON.parse(dec.decode(f.payload));
        if (frame.type !== "res") continue;
        if (!frame.ok) throw new Error(`connect refused: ${JSON.stringify(frame.error)}`);
        return ws;
      }
    }
  }

  /** Writes raw bytes (e.g. a hand-made frame header). */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    await writeAll(this.#conn, bytes);
  }

  /** Writes one request; its answer piles up unread like everything else. */
  async sendRequest(id: string, method: string, params: unknown = {}): Promise<void> {
    await writeAll(
      this.#conn,
      maskedTextFrame(JSON.stringify({ type: "req", id, method, params })),
    );
  }

  async #read(): Promise<Uint8Array> {
    const buf = new Uint8Array(256 * 1024);
    const n = await this.#conn.read(buf);
    if (n === null) throw new Error("connection ended");
    return buf.subarray(0, n);
  }

  /**
   * Reads everything the gateway queued until its close frame; returns the
   * close code and reason, or `undefined` when the stream ended without one.
   * Text frames up to 4 KiB are kept in {@link StalledWs.texts}.
   */
  async drainUntilClose(
    timeoutMs = 10_000,
  ): Promise<{ code: number; reason: string } | undefined> {
    this.#reader.maxText = 4096;
    // A regression must fail the test, not hang it: drop the socket at the limit.
    const t = setTimeout(() => this.close(), timeoutMs);
    try {
      for (;;) {
        let chunk: Uint8Array;
        try {
          chunk = await this.#read();
        } catch {
          return undefined;
        }
        for (const f of this.#reader.push(chunk)) {
          if (f.opcode === 1) this.texts.push(dec.decode(f.payload));
          if (f.opcode !== 8) continue;
          const code = f.payload.length >= 2 ? (f.payload[0] << 8) | f.payload[1] : 1005;
          return { code, reason: dec.decode(f.payload.subarray(2)) };
        }
      }
    } finally {
      clearTimeout(t);
    }
  }

  /** Drops the TCP connection. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }
}
