/**
 * A fake peer's message to the linked device: the prekey bundle the server
 * holds for the account, Signal encryption by the peer, and the `<message>`
 * stanza that carries it.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { BinaryNode, proto as Proto } from "@whiskeysockets/baileys";
import { B } from "./_baileys.ts";
import { unix } from "./conn.ts";
import type { FakeAccount } from "./mod.ts";
import type { FakePeer } from "./peer.ts";

/** Options of a delivery. */
export interface DeliverOptions {
  /** Message id; random `3EB0…` by default (reuse one to test duplicates). */
  id?: string;
  /** Address from the peer's LID (default) or its phone-number JID. */
  lidAddressed?: boolean;
  /** Stanza timestamp in seconds. */
  t?: number;
}

const prefix05 = (pub: Uint8Array) => B.generateSignalPubKey(Buffer.from(pub));

/** Encrypts `message` from `peer` to the account's device and wraps it in a stanza. */
export async function messageFromPeer(
  peer: FakePeer,
  account: FakeAccount,
  message: Proto.IMessage,
  opts: DeliverOptions = {},
): Promise<{ id: string; stanza: BinaryNode }> {
  const id = opts.id ??
    "3EB0" + Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex").toUpperCase();
  const bundle: Record<string, unknown> = {
    registrationId: account.reg.regId,
    identityKey: prefix05(account.reg.identity),
    signedPreKey: {
      keyId: account.reg.skeyId,
      publicKey: prefix05(account.reg.skey),
      signature: account.reg.skeySig,
    },
    preKey: undefined,
  };
  const clientAddr = `${account.lid}_${account.device}`;
  // A new session consumes one of the prekeys the client uploaded, as on WhatsApp.
  const first = !peer.hasSession(clientAddr) ? account.preKeys.entries().next().value : undefined;
  if (first) {
    bundle.preKey = { keyId: first[0], publicKey: prefix05(first[1]) };
    account.preKeys.delete(first[0]);
  }
  const plain = B.writeRandomPadMax16(B.proto.Message.encode(message).finish());
  const { type, ciphertext } = await peer.encryptTo(clientAddr, bundle, plain);
  const attrs: Record<string, string> = opts.lidAddressed === false
    ? { from: peer.pnJid, sender_lid: peer.lidJid }
    : { from: peer.lidJid, sender_pn: peer.pnJid, addressing_mode: "lid" };
  return {
    id,
    stanza: {
      tag: "message",
      attrs: { ...attrs, id, t: String(opts.t ?? unix()), type: "text", notify: peer.name },
      content: [{ tag: "enc", attrs: { v: "2", type }, content: ciphertext }],
    },
  };
}
