/**
 * The fake server's handles on the real Baileys module and on the `libsignal`
 * build Baileys itself depends on. `libsignal` is not in the import map, so it
 * is required through Baileys' own package (same files, no new lockfile entry).
 *
 * @module
 */

import * as B from "@whiskeysockets/baileys";
import { createRequire } from "node:module";

export { B };

/** A libsignal identity or prekey pair (33-byte public key with the 0x05 prefix). */
export interface SignalKeyPair {
  pubKey: Uint8Array;
  privKey: Uint8Array;
}

/** The slice of libsignal's API the fake peers use. */
export interface LibSignal {
  keyhelper: {
    generateRegistrationId(): number;
    generateIdentityKeyPair(): SignalKeyPair;
    generateSignedPreKey(
      identity: SignalKeyPair,
      id: number,
    ): { keyId: number; keyPair: SignalKeyPair; signature: Uint8Array };
    generatePreKey(id: number): { keyId: number; keyPair: SignalKeyPair };
  };
  ProtocolAddress: new (name: string, device: number) => { toString(): string };
  SessionBuilder: new (store: unknown, addr: unknown) => {
    initOutgoing(bundle: unknown): Promise<void>;
  };
  SessionCipher: new (store: unknown, addr: unknown) => {
    encrypt(data: Uint8Array): Promise<{ type: number; body: Uint8Array }>;
    decryptPreKeyWhisperMessage(data: Uint8Array): Promise<Uint8Array>;
    decryptWhisperMessage(data: Uint8Array): Promise<Uint8Array>;
  };
}

/** libsignal as resolved from Baileys' package. */
export const libsignal: LibSignal = createRequire(
  import.meta.resolve("@whiskeysockets/baileys"),
)("libsignal");
