/**
 * SHA-1 of a short byte string, synchronously: only for the WebSocket accept
 * key (RFC 6455 fixes the hash; it protects nothing here). WebCrypto's digest
 * is asynchronous and costs a round through the event loop on every upgrade.
 *
 * @module
 */

// Scratch reused across calls (the hash is synchronous): an upgrade then
// allocates only its 20-byte digest, not ~2.6 KB of temporaries.
const W = new Uint32Array(80);
const PAD = new Uint8Array(128);
const PAD_VIEW = new DataView(PAD.buffer);

/** The 20-byte SHA-1 digest of `data`. */
export function sha1(data: Uint8Array): Uint8Array {
  const bitLen = data.length * 8;
  const size = ((data.length + 9 + 63) >> 6) << 6;
  const padded = size <= PAD.length ? PAD.subarray(0, size).fill(0) : new Uint8Array(size);
  const view = padded.buffer === PAD.buffer ? PAD_VIEW : new DataView(padded.buffer);
  padded.set(data);
  padded[data.length] = 0x80;
  view.setUint32(size - 4, bitLen >>> 0);
  view.setUint32(size - 8, Math.floor(bitLen / 2 ** 32));
  let h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476, h4 = 0xc3d2e1f0;
  const w = W;
  for (let off = 0; off < size; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let i = 0; i < 80; i++) {
      const f = i < 20
        ? ((b & c) | (~b & d)) + 0x5a827999
        : i < 40
        ? (b ^ c ^ d) + 0x6ed9eba1
        : i < 60
        ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
        : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + w[i]) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const words = [h0, h1, h2, h3, h4];
  for (let i = 0; i < 5; i++) {
    const h = words[i];
    out[i * 4] = h >>> 24;
    out[i * 4 + 1] = (h >>> 16) & 0xff;
    out[i * 4 + 2] = (h >>> 8) & 0xff;
    out[i * 4 + 3] = h & 0xff;
  }
  return out;
}
