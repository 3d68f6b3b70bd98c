/**
 * The responder side of Baileys' Noise XX handshake and the transport cipher
 * that follows it (mirrors lib/Utils/noise-handler.js of Baileys 7.0.0-rc14).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { B } from "./_baileys.ts";

/** Handshake state, then transport keys once {@link ServerNoise.finish} ran. */
export class ServerNoise {
  #hash: Buffer;
  #salt: Buffer;
  #key: Buffer;
  #counter = 0;
  #transport: { dec: Buffer; enc: Buffer; r: number; w: number } | undefined;

  constructor() {
    // The 32-byte mode name is used as-is as the initial hash, salt and key.
    const mode = Buffer.from(B.NOISE_MODE);
    this.#hash = mode;
    this.#salt = mode;
    this.#key = mode;
    this.authenticate(B.NOISE_WA_HEADER);
  }

  #iv(counter: number): Buffer {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(counter, 8);
    return iv;
  }

  /** Mixes handshake data into the running hash. */
  authenticate(data: Uint8Array): void {
    if (!this.#transport) this.#hash = B.sha256(Buffer.concat([this.#hash, Buffer.from(data)]));
  }

  /** Derives a new chaining key and cipher key from a DH result. */
  mixIntoKey(data: Uint8Array): void {
    const k = B.hkdf(Buffer.from(data), 64, { salt: this.#salt, info: "" });
    this.#salt = Buffer.from(k.subarray(0, 32));
    this.#key = Buffer.from(k.subarray(32));
    this.#counter = 0;
  }

  /** Handshake encryption (AAD = running hash). */
  encrypt(plain: Uint8Array): Buffer {
    const out = B.aesEncryptGCM(plain, this.#key, this.#iv(this.#counter++), this.#hash);
    this.authenticate(out);
    return out;
  }

  /** Handshake decryption (AAD = running hash). */
  decrypt(cipher: Uint8Array): Buffer {
    const out = B.aesDecryptGCM(cipher, this.#key, this.#iv(this.#counter++), this.#hash);
    this.authenticate(cipher);
    return out;
  }

  /** Splits into transport keys: the client writes with the first half, we read with it. */
  finish(): void {
    const k = B.hkdf(Buffer.alloc(0), 64, { salt: this.#salt, info: "" });
    this.#transport = {
      dec: Buffer.from(k.subarray(0, 32)),
      enc: Buffer.from(k.subarray(32)),
      r: 0,
      w: 0,
    };
  }

  /** Encrypts one transport frame to the client. */
  transportEncrypt(plain: Uint8Array): Buffer {
    const t = this.#requireTransport();
    return B.aesEncryptGCM(plain, t.enc, this.#iv(t.w++), Buffer.alloc(0));
  }

  /** Decrypts one transport frame from the client. */
  transportDecrypt(cipher: Uint8Array): Buffer {
    const t = this.#requireTransport();
    return B.aesDecryptGCM(cipher, t.dec, this.#iv(t.r++), Buffer.alloc(0));
  }

  #requireTransport() {
    if (!this.#transport) throw new Error("Noise transport used before the handshake finished");
    return this.#transport;
  }
}
