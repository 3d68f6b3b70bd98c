/**
 * A contact's phone: a real libsignal identity, signed prekey and one-time
 * prekeys, so Baileys fetches a genuine bundle and both sides exchange real
 * Signal `pkmsg`/`msg` traffic.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { BinaryNode } from "@whiskeysockets/baileys";
import { libsignal, type SignalKeyPair } from "./_baileys.ts";

/** Who a fake peer is (user parts only, e.g. `15557654321`). */
export interface FakePeerOptions {
  pn: string;
  lid: string;
  name?: string;
}

function bigEndian(n: number, len: number): Buffer {
  const out = Buffer.alloc(len);
  out.writeUIntBE(n, 0, len);
  return out;
}

/** One fake contact with its own Signal store. */
export class FakePeer {
  readonly pn: string;
  readonly lid: string;
  readonly name: string;
  readonly regId = libsignal.keyhelper.generateRegistrationId();
  readonly identity: SignalKeyPair = libsignal.keyhelper.generateIdentityKeyPair();
  readonly signedPreKey = libsignal.keyhelper.generateSignedPreKey(this.identity, 1);
  readonly preKeys = new Map<number, { keyId: number; keyPair: SignalKeyPair }>();
  readonly sessions = new Map<string, unknown>();
  readonly store: Record<string, unknown>;

  constructor(opts: FakePeerOptions) {
    this.pn = opts.pn;
    this.lid = opts.lid;
    this.name = opts.name ?? "Peer";
    for (let i = 1; i <= 5; i++) this.preKeys.set(i, libsignal.keyhelper.generatePreKey(i));
    this.store = {
      isTrustedIdentity: () => true,
      loadSession: (id: string) => Promise.resolve(this.sessions.get(id)),
      storeSession: (id: string, rec: unknown) => {
        this.sessions.set(id, rec);
        return Promise.resolve();
      },
      getOurIdentity: () => this.identity,
      getOurRegistrationId: () => this.regId,
      loadPreKey: (id: string | number) => Promise.resolve(this.preKeys.get(+id)?.keyPair),
      removePreKey: (id: string | number) => {
        this.preKeys.delete(+id);
        return Promise.resolve();
      },
      loadSignedPreKey: () => Promise.resolve(this.signedPreKey.keyPair),
    };
  }

  /** `<pn>@s.whatsapp.net` */
  get pnJid(): string {
    return `${this.pn}@s.whatsapp.net`;
  }

  /** `<lid>@lid` */
  get lidJid(): string {
    return `${this.lid}@lid`;
  }

  /** The `<user>` node of a prekey-bundle answer, for `jid`. */
  bundleNode(jid: string): BinaryNode {
    const first = this.preKeys.entries().next().value;
    const key: BinaryNode[] = first
      ? [{
        tag: "key",
        attrs: {},
        content: [
          { tag: "id", attrs: {}, content: bigEndian(first[0], 3) },
          { tag: "value", attrs: {}, content: first[1].keyPair.pubKey.subarray(1) },
        ],
      }]
      : [];
    return {
      tag: "user",
      attrs: { jid },
      content: [
        { tag: "registration", attrs: {}, content: bigEndian(this.regId, 4) },
        { tag: "type", attrs: {}, content: Buffer.from([5]) },
        { tag: "identity", attrs: {}, content: this.identity.pubKey.subarray(1) },
        {
          tag: "skey",
          attrs: {},
          content: [
            { tag: "id", attrs: {}, content: bigEndian(this.signedPreKey.keyId, 3) },
            { tag: "value", attrs: {}, content: this.signedPreKey.keyPair.pubKey.subarray(1) },
            { tag: "signature", attrs: {}, content: this.signedPreKey.signature },
          ],
        },
        ...key,
      ],
    };
  }

  #address(clientAddr: string) {
    return new libsignal.ProtocolAddress(clientAddr, 0);
  }

  /** Whether this peer already has a Signal session with `clientAddr` (`<lid>_<device>`). */
  hasSession(clientAddr: string): boolean {
    return this.sessions.has(this.#address(clientAddr).toString());
  }

  /** Encrypts to the linked device, building a session from `bundle` first when needed. */
  async encryptTo(
    clientAddr: string,
    bundle: unknown,
    plain: Uint8Array,
  ): Promise<{ type: "pkmsg" | "msg"; ciphertext: Buffer }> {
    const addr = this.#address(clientAddr);
    if (!this.sessions.get(addr.toString())) {
      await new libsignal.SessionBuilder(this.store, addr).initOutgoing(bundle);
    }
    const { type, body } = await new libsignal.SessionCipher(this.store, addr).encrypt(plain);
    return { type: type === 3 ? "pkmsg" : "msg", ciphertext: Buffer.from(body) };
  }

  /** Decrypts one `<enc>` payload the linked device sent to this peer. */
  decryptFrom(clientAddr: string, type: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    const cipher = new libsignal.SessionCipher(this.store, this.#address(clientAddr));
    return type === "pkmsg"
      ? cipher.decryptPreKeyWhisperMessage(ciphertext)
      : cipher.decryptWhisperMessage(ciphertext);
  }
}
