/**
 * What the fake server answers to a logged-in client: iq queries (prekeys,
 * digest, bundles, usync) and outbound `<message>` stanzas, which it decrypts
 * with the fake peers' Signal sessions so tests can read what was sent.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { BinaryNode } from "@whiskeysockets/baileys";
import { B } from "./_baileys.ts";
import { type Conn, unix } from "./conn.ts";

/** One decrypted copy of an outbound message (per recipient device). */
export interface DecryptedCopy {
  jid: string;
  type?: string;
  message?: Record<string, unknown>;
  error?: string;
}

/** A `<message>` the client sent, as the fake server saw it. */
export interface ClientMessage {
  id: string;
  to: string;
  type: string;
  stanza: BinaryNode;
  decrypted: DecryptedCopy[];
}

function children(node: BinaryNode | undefined, tag: string): BinaryNode[] {
  return node ? B.getBinaryNodeChildren(node, tag) : [];
}

/** Answers one iq from the client. */
export function handleIq(conn: Conn, node: BinaryNode): void {
  const s = conn.server;
  const a = s.account;
  const { xmlns, type } = node.attrs;
  const child = Array.isArray(node.content) ? node.content[0] as BinaryNode : undefined;
  if (type === "result" || type === "error") return;
  if (xmlns === "encrypt" && child?.tag === "count") {
    return conn.result(node, [{
      tag: "count",
      attrs: { value: String(a?.preKeys.size ?? 0) },
    }]);
  }
  const list = B.getBinaryNodeChild(node, "list");
  if (xmlns === "encrypt" && type === "set" && list && a) {
    for (const k of children(list, "key")) {
      a.preKeys.set(
        Buffer.from(B.getBinaryNodeChildBuffer(k, "id")!).readUIntBE(0, 3),
        Buffer.from(B.getBinaryNodeChildBuffer(k, "value")!),
      );
    }
    s.emit("prekeys", a.preKeys.size);
    return conn.result(node);
  }
  if (xmlns === "encrypt" && child?.tag === "digest") {
    return conn.result(node, [{ tag: "digest", attrs: {} }]);
  }
  if (xmlns === "encrypt" && child?.tag === "key") {
    const users = children(child, "user").map((u) => u.attrs.jid);
    const bundles = users.flatMap((jid) => {
      const peer = s.peerByJid(jid);
      return peer ? [peer.bundleNode(jid)] : [];
    });
    return conn.result(node, [{ tag: "list", attrs: {}, content: bundles }]);
  }
  if (xmlns === "usync") return answerUsync(conn, node);
  if (xmlns === "privacy" && type === "get") {
    // Read receipts "all": Baileys then sends type=read (else read-self).
    return conn.result(node, [{
      tag: "privacy",
      attrs: {},
      content: [{ tag: "category", attrs: { name: "readreceipts", value: "all" } }],
    }]);
  }
  if (xmlns === "md" && child?.tag === "remove-companion-device" && a) {
    a.removed = true; // the client unlinked itself, as WhatsApp would record it
    s.emit("logout", child.attrs.jid);
    return conn.result(node);
  }
  // ping, passive, props, blocklist, ...: an empty result is enough.
  conn.result(node);
}

function deviceList(ids: string[]): BinaryNode {
  return {
    tag: "devices",
    attrs: {},
    content: [{
      tag: "device-list",
      attrs: {},
      content: ids.map((id): BinaryNode => ({
        tag: "device",
        attrs: id === "0" ? { id } : { id, "key-index": "1" },
      })),
    }],
  };
}

function answerUsync(conn: Conn, node: BinaryNode): void {
  const s = conn.server;
  const a = s.account;
  const usync = B.getBinaryNodeChild(node, "usync");
  const users = children(B.getBinaryNodeChild(usync!, "list"), "user").map((u) => u.attrs.jid);
  const list = users.map((jid): BinaryNode => {
    const { user } = B.jidDecode(jid)!;
    if (a && (user === a.pn || user === a.lid)) {
      return {
        tag: "user",
        attrs: { jid },
        content: [deviceList(["0", String(a.device)]), {
          tag: "lid",
          attrs: { val: `${a.lid}@lid` },
        }],
      };
    }
    const p = s.peerByJid(jid);
    if (!p) return { tag: "user", attrs: { jid }, content: [deviceList([])] };
    return {
      tag: "user",
      attrs: { jid },
      content: [
        deviceList(["0"]),
        { tag: "lid", attrs: { val: p.lidJid } },
        { tag: "contact", attrs: { type: "in" } },
      ],
    };
  });
  conn.result(node, [{
    tag: "usync",
    attrs: {},
    content: [{ tag: "list", attrs: {}, content: list }],
  }]);
}

/** Decrypts, records and acks one outbound message; the peer's phone confirms delivery. */
export async function handleClientMessage(conn: Conn, node: BinaryNode): Promise<void> {
  const s = conn.server;
  const a = s.account;
  const to = node.attrs.to;
  const encs: { jid: string; enc: BinaryNode }[] = [];
  for (const e of children(node, "enc")) encs.push({ jid: to, enc: e });
  const participants = B.getBinaryNodeChild(node, "participants");
  for (const t of children(participants, "to")) {
    for (const e of children(t, "enc")) encs.push({ jid: t.attrs.jid, enc: e });
  }
  const rec: ClientMessage = {
    id: node.attrs.id,
    to,
    type: node.attrs.type,
    stanza: node,
    decrypted: [],
  };
  for (const { jid, enc } of encs) {
    const peer = s.peerByJid(jid);
    if (!peer || !a) {
      rec.decrypted.push({ jid, error: `no fake peer for ${jid}` });
      continue;
    }
    try {
      const plain = await peer.decryptFrom(
        `${a.lid}_${a.device}`,
        enc.attrs.type,
        Buffer.from(enc.content as Uint8Array),
      );
      const msg = B.proto.Message.decode(B.unpadRandomMax16(plain));
      rec.decrypted.push({ jid, type: enc.attrs.type, message: msg.toJSON() });
    } catch (err) {
      rec.decrypted.push({ jid, type: enc.attrs.type, error: String(err) });
    }
  }
  s.received.push(rec);
  // The server ack marks the message SERVER_ACK in Baileys.
  conn.send({
    tag: "ack",
    attrs: { class: "message", id: node.attrs.id, from: to, t: String(unix()) },
  });
  s.emit("client-message", rec);
  const peer = s.peerByJid(to);
  if (peer && a && peer !== a.phone) {
    s.later(20, () => {
      conn.send({
        tag: "receipt",
        attrs: { from: peer.lidJid, id: node.attrs.id, t: String(unix()) },
      });
    });
  }
}
