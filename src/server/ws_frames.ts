/**
 * RFC 6455 frames on the server side: an incremental decoder that checks a
 * frame's length from its header (before any payload is kept), and the
 * encoder for unmasked server frames. No I/O here; {@link ./ws_conn.ts} owns
 * the socket.
 *
 * @module
 */

/** Close codes the codec itself uses. */
export const WsClose = {
  PROTOCOL_ERROR: 1002,
  INVALID_DATA: 1007,
  MESSAGE_TOO_BIG: 1009,
} as const;

/**
 * What the decoder reports to, and asks. Methods rather than callbacks: the
 * socket itself is the sink, so an idle connection holds no closures for it.
 */
export interface FrameSink {
  onText(data: string): void;
  onBinary(data: Uint8Array): void;
  onPing(payload: Uint8Array): void;
  /** The peer's close frame (code 1005 when it carried none). */
  onPeerClose(code: number, reason: string): void;
  /** A protocol violation: close with `code`; the decoder accepts nothing more. */
  onViolation(code: number, reason: string): void;
  /** The largest message accepted now, in bytes (checked on every frame header). */
  maxMessageBytes(): number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const enc = new TextEncoder();

const EMPTY = new Uint8Array(0);

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

/**
 * Decodes masked client frames from a byte stream. A message longer than
 * `sink.maxMessageBytes()` (summed over its fragments) fails with 1009 as
 * soon as the header announcing it arrives, so a large frame never sits in
 * memory.
 */
export class FrameDecoder {
  #sink: FrameSink;
  /**
   * The frame header being read; its last 4 bytes stay the payload's mask
   * key. A small-integer array: it lives inside the JS heap, where a
   * `Uint8Array` would add an ArrayBuffer and a native allocation per socket.
   */
  #head: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  #headLen = 0;
  /** Where the mask key sits in `#head`. */
  #maskAt = 0;
  #need = 0;
  #inPayload = false;
  #opcode = 0;
  #fin = false;
  #maskPos = 0;
  // Payload pieces, allocated only when a frame or message spans reads.
  #parts: Uint8Array[] | undefined;
  #partsLen = 0;
  /** Opcode of the fragmented message in progress (0 = none). */
  #msgOpcode = 0;
  #msgParts: Uint8Array[] | undefined;
  #msgLen = 0;
  #failed = false;

  constructor(sink: FrameSink) {
    this.#sink = sink;
  }

  /** Whether a violation was reported (everything after it is ignored). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Feeds `chunk[0, end)`; `chunk` may be reused by the caller afterwards. */
  push(chunk: Uint8Array, end = chunk.length): void {
    let i = 0;
    while (i < end && !this.#failed) {
      if (!this.#inPayload) {
        i = this.#readHead(chunk, i, end);
        continue;
      }
      const n = Math.min(this.#need, end - i);
      // The usual case, a whole text frame in this chunk: unmask in place
      // (the caller's read buffer) and decode, with no copy.
      if (n === this.#need && this.#fin && this.#opcode === 1 && this.#partsLen === 0) {
        const view = chunk.subarray(i, i + n);
        const h = this.#head;
        const at = this.#maskAt;
        for (let j = 0; j < n; j++) view[j] ^= h[at + (j & 3)];
        this.#inPayload = false;
        this.#need = 0;
        i += n;
        this.#deliverText(view);
        continue;
      }
      const part = chunk.slice(i, i + n);
      const h = this.#head;
      const at = this.#maskAt;
      let k = this.#maskPos;
      for (let j = 0; j < n; j++, k++) part[j] ^= h[at + (k & 3)];
      this.#maskPos = k & 3;
      (this.#parts ??= []).push(part);
      this.#partsLen += n;
      this.#need -= n;
      i += n;
      if (this.#need === 0) this.#frameDone();
    }
  }

  #fail(code: number, reason: string): void {
    this.#failed = true;
    this.#parts = undefined;
    this.#msgParts = undefined;
    this.#sink.onViolation(code, reason);
  }

  /** Collects header bytes from `chunk[i, end)`; returns the new offset. */
  #readHead(chunk: Uint8Array, i: number, end: number): number {
    const h = this.#head;
    while (this.#headLen < 2 && i < end) h[this.#headLen++] = chunk[i++];
    if (this.#headLen < 2) return i;
    // Clients must mask (RFC 6455 5.1): say so before waiting for a mask.
    if (!(h[1] & 0x80)) return (this.#fail(WsClose.PROTOCOL_ERROR, "unmasked frame"), i);
    const len7 = h[1] & 0x7f;
    const size = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + 4;
    while (this.#headLen < size && i < end) h[this.#headLen++] = chunk[i++];
    if (this.#headLen < size) return i;
    this.#headLen = 0;
    const fin = (h[0] & 0x80) !== 0;
    const opcode = h[0] & 0x0f;
    if (h[0] & 0x70) return (this.#fail(WsClose.PROTOCOL_ERROR, "reserved bits set"), i);
    let len = len7;
    if (len7 === 126) len = (h[2] << 8) | h[3];
    else if (len7 === 127) {
      const hi = (h[2] << 24 >>> 0) + (h[3] << 16) + (h[4] << 8) + h[5];
      len = hi * 2 ** 32 + ((h[6] << 24 >>> 0) + (h[7] << 16) + (h[8] << 8) + h[9]);
    }
    this.#maskAt = size - 4;
    this.#maskPos = 0;
    if (opcode >= 8) {
      if (opcode > 10) return (this.#fail(WsClose.PROTOCOL_ERROR, "unknown opcode"), i);
      if (!fin || len > 125) {
        return (this.#fail(WsClose.PROTOCOL_ERROR, "invalid control frame"), i);
      }
    } else if (opcode === 0) {
      if (!this.#msgOpcode) {
        return (this.#fail(WsClose.PROTOCOL_ERROR, "unexpected continuation"), i);
      }
    } else if (opcode === 1 || opcode === 2) {
      if (this.#msgOpcode) return (this.#fail(WsClose.PROTOCOL_ERROR, "expected continuation"), i);
    } else return (this.#fail(WsClose.PROTOCOL_ERROR, "unknown opcode"), i);
    if (opcode < 8 && this.#msgLen + len > this.#sink.maxMessageBytes()) {
      return (this.#fail(WsClose.MESSAGE_TOO_BIG, "Max payload size exceeded"), i);
    }
    this.#opcode = opcode;
    this.#fin = fin;
    this.#need = len;
    this.#inPayload = true;
    if (len === 0) this.#frameDone();
    return i;
  }

  #frameDone(): void {
    this.#inPayload = false;
    const payload = this.#parts ? concat(this.#parts, this.#partsLen) : EMPTY;
    this.#parts = undefined;
    this.#partsLen = 0;
    const opcode = this.#opcode;
    if (opcode >= 8) return this.#control(opcode, payload);
    if (opcode !== 0) this.#msgOpcode = opcode;
    (this.#msgParts ??= []).push(payload);
    this.#msgLen += payload.length;
    if (!this.#fin) return;
    const data = concat(this.#msgParts, this.#msgLen);
    const kind = this.#msgOpcode;
    this.#msgParts = undefined;
    this.#msgLen = 0;
    this.#msgOpcode = 0;
    if (kind === 2) return this.#sink.onBinary(data);
    this.#deliverText(data);
  }

  #deliverText(data: Uint8Array): void {
    let text: string;
    try {
      text = utf8.decode(data);
    } catch {
      return this.#fail(WsClose.INVALID_DATA, "invalid UTF-8");
    }
    this.#sink.onText(text);
  }

  #control(opcode: number, payload: Uint8Array): void {
    if (opcode === 9) return this.#sink.onPing(payload);
    if (opcode === 10) return;
    if (payload.length === 1) return this.#fail(WsClose.PROTOCOL_ERROR, "invalid close frame");
    const code = payload.length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
    let reason = "";
    try {
      reason = utf8.decode(payload.subarray(2));
    } catch {
      return this.#fail(WsClose.INVALID_DATA, "invalid UTF-8");
    }
    this.#sink.onPeerClose(code, reason);
  }
}

/** One unmasked server frame (`fin` set) carrying `payload`. */
export function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const headLen = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = new Uint8Array(headLen + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 65536) (out[1] = 126, out[2] = n >> 8, out[3] = n & 0xff);
  else {
    out[1] = 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(n));
  }
  out.set(payload, headLen);
  return out;
}

// Small frames are carved out of shared slabs: one ArrayBuffer per 16 KiB of
// output instead of one per frame (the way Node pools small Buffers). A slab
// lives until every frame cut from it has been written.
const SLAB = 16 * 1024;
let slab = new Uint8Array(SLAB);
let slabUsed = 0;

// Larger texts are encoded into one reused scratch buffer and copied out at
// their exact size: a frame sized for the worst case (3 bytes per UTF-16
// unit) would hold up to 3x its bytes until it is collected (a 2.5 KB
// hello-ok kept 7.7 KB per connection).
const SCRATCH_MAX = 256 * 1024;
let scratch = new Uint8Array(0);

/** A text frame; the string is encoded straight into the frame buffer. */
export function encodeText(text: string): Uint8Array {
  const max = text.length * 3; // UTF-8 bytes per UTF-16 unit, at most
  if (4 + max > SLAB / 4) {
    if (10 + max > SCRATCH_MAX) return encodeFrame(1, enc.encode(text));
    if (scratch.length < 10 + max) scratch = new Uint8Array(Math.min(SCRATCH_MAX, 2 * (10 + max)));
    const n = enc.encodeInto(text, scratch.subarray(10)).written;
    const headLen = n < 126 ? 2 : n < 65536 ? 4 : 10;
    const start = 10 - headLen;
    scratch[start] = 0x81;
    if (n < 126) scratch[start + 1] = n;
    else if (n < 65536) (scratch[7] = 126, scratch[8] = n >> 8, scratch[9] = n & 0xff);
    else {
      scratch[1] = 127;
      new DataView(scratch.buffer).setBigUint64(2, BigInt(n));
    }
    return scratch.slice(start, 10 + n);
  }
  if (slabUsed + 4 + max > SLAB) (slab = new Uint8Array(SLAB), slabUsed = 0);
  const at = slabUsed;
  // Room for a 4-byte header; moved to a 2-byte one when the text is short.
  const n = enc.encodeInto(text, slab.subarray(at + 4, at + 4 + max)).written;
  let start = at;
  if (n < 126) {
    start = at + 2;
    slab[start] = 0x81;
    slab[start + 1] = n;
  } else {
    slab[at] = 0x81;
    slab[at + 1] = 126;
    slab[at + 2] = n >> 8;
    slab[at + 3] = n & 0xff;
  }
  slabUsed += 4 + n;
  return slab.subarray(start, at + 4 + n);
}

/** A close frame with `code` and `reason` (at most 123 bytes of UTF-8). */
export function encodeClose(code: number, reason: string): Uint8Array {
  const r = enc.encode(reason).subarray(0, 123);
  const payload = new Uint8Array(2 + r.length);
  payload[0] = code >> 8;
  payload[1] = code & 0xff;
  payload.set(r, 2);
  return encodeFrame(8, payload);
}
