/**
 * What the fake phone does when it scans a QR: read the QR's fields and sign
 * the companion's identity the way the primary device does (ADV signed
 * device identity, HMAC'd with the QR's secret).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { BinaryNode } from "@whiskeysockets/baileys";
import { B } from "./_baileys.ts";
import { unix } from "./conn.ts";
import type { FakePeer } from "./peer.ts";

/** The fields of a Baileys pairing QR (`https://wa.me/settings/linked_devices#ref,noise,identity,adv,...`). */
export interface ParsedQr {
  ref: string;
  noiseKey: Buffer;
  identityKey: Buffer;
  advSecret: Buffer;
}

/** Splits a pairing QR string; throws naming the problem when it is not one. */
export function parseQr(qr: string): ParsedQr {
  const [ref, noise, identity, adv] = (qr.split("#")[1] ?? "").split(",");
  if (!ref || !noise || !identity || !adv) {
    throw new Error(`Not a pairing QR: "${qr.slice(0, 40)}"`);
  }
  return {
    ref,
    noiseKey: Buffer.from(noise, "base64"),
    identityKey: Buffer.from(identity, "base64"),
    advSecret: Buffer.from(adv, "base64"),
  };
}

/** The `pair-success` iq the phone's scan produces, for stanza id `id`. */
export function pairSuccessNode(
  id: string,
  phone: FakePeer,
  qr: ParsedQr,
  ids: { pn: string; lid: string; device: number },
): BinaryNode {
  const { proto, Curve } = B;
  const deviceDetails = proto.ADVDeviceIdentity.encode({
    rawId: 7,
    timestamp: unix(),
    keyIndex: 1,
  }).finish();
  const accountSignature = Curve.sign(
    phone.identity.privKey,
    Buffer.concat([B.WA_ADV_ACCOUNT_SIG_PREFIX, deviceDetails, qr.identityKey]),
  );
  const details = proto.ADVSignedDeviceIdentity.encode({
    details: deviceDetails,
    accountSignatureKey: phone.identity.pubKey.subarray(1),
    accountSignature,
  }).finish();
  const hmac = B.hmacSign(details, qr.advSecret);
  const container = proto.ADVSignedDeviceIdentityHMAC.encode({ details, hmac }).finish();
  const { pn, lid, device } = ids;
  return {
    tag: "iq",
    attrs: { from: B.S_WHATSAPP_NET, type: "set", id },
    content: [{
      tag: "pair-success",
      attrs: {},
      content: [
        { tag: "device-identity", attrs: {}, content: container },
        { tag: "platform", attrs: { name: "android" } },
        {
          tag: "device",
          attrs: { jid: `${pn}:${device}@s.whatsapp.net`, lid: `${lid}:${device}@lid` },
        },
      ],
    }],
  };
}
