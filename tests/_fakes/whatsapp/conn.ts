/**
 * One client connection of the fake server: the frame layer (3-byte length
 * prefix), the Noise handshake, login or registration, and the stanzas
 * Baileys sends once logged in.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { BinaryNode } from "@whiskeysockets/baileys";
import { B } from "./_baileys.ts";
import { ServerNoise } from "./noise.ts";
import type { FakeWaServer } from "./mod.ts";
import { handleClientMessage, handleIq } from "./stanzas.ts";

/** Frames larger than this close the connection (the fake's input limit). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** What a QR registration sent in its client payload. */
export interface Registration {
  regId: number;
  identity: Buffer;
  skeyId: number;
  skey: Buffer;
  skeySig: Buffer;
}

let tagCounter = 1;

/** Seconds since the epoch, as WhatsApp stamps stanzas. */
export function unix(): number {
  return Math.floor(Date.now() / 1000);
}

/** A live socket from Baileys. */
export class Conn {
  readonly server: FakeWaServer;
  readonly ws: WebSocket;
  loggedIn = false;
  clientStatic: Buffer = Buffer.alloc(0);
  registration: Registration | undefined;
  #noise = new ServerNoise();
  #in: Buffer = Buffer.alloc(0);
  #gotIntro = false;
  #stage: "hello" | "finish" | "transport" = "hello";
  #ephemeral: { public: Uint8Array; private: Uint8Array } | undefined;
  #waiters = new Map<string, (node: BinaryNode) => void>();
  #queue: Promise<void> = Promise.resolve();

  constructor(server: FakeWaServer, ws: WebSocket) {
    this.server = server;
    this.ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (ev) => {
      // One frame at a time: the Noise counters must advance in order.
      const data = Buffer.from(ev.data as ArrayBuffer);
      this.#queue = this.#queue.then(() => this.#onData(data)).catch((err) => {
        server.log("conn error", String(err));
        this.close();
      });
    };
  }

  /** A fresh stanza id. */
  tag(): string {
    return `srv.${tagCounter++}`;
  }

  /** Calls `fn` with the client's answer to the iq `id`. */
  expect(id: string, fn: (node: BinaryNode) => void): void {
    this.#waiters.set(id, fn);
  }

  /** Closes the socket (a clean close frame; Baileys sees "connection closed"). */
  close(): void {
    try {
      this.ws.close();
    } catch { /* already closed */ }
  }

  #rawSend(payload: Uint8Array): void {
    const len = Buffer.alloc(3);
    len.writeUIntBE(payload.length, 0, 3);
    this.ws.send(Buffer.concat([len, payload]));
  }

  /** Encodes, encrypts and sends one stanza. */
  send(node: BinaryNode): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.server.log(">>", B.binaryNodeToString(node).slice(0, 300));
    this.#rawSend(this.#noise.transportEncrypt(B.encodeBinaryNode(node)));
  }

  /** Sends `bytes` as one transport frame, encrypted but not a valid stanza (robustness tests). */
  sendRaw(bytes: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.#rawSend(this.#noise.transportEncrypt(bytes));
  }

  /** Answers an iq with `type=result`. */
  result(node: BinaryNode, content?: BinaryNode[]): void {
    this.send({
      tag: "iq",
      attrs: { from: node.attrs.to || B.S_WHATSAPP_NET, type: "result", id: node.attrs.id },
      content,
    });
  }

  async #onData(data: Buffer): Promise<void> {
    this.#in = Buffer.concat([this.#in, data]);
    if (!this.#gotIntro) {
      if (this.#in.length < 4) return;
      if (this.#in.subarray(0, 2).toString() === "ED") {
        // Optional routing header: "ED" + version bytes + 3-byte length + routing info.
        const routingLength = (this.#in[4] << 16) | this.#in.readUInt16BE(5);
        this.#in = this.#in.subarray(7 + routingLength);
      }
      this.#in = this.#in.subarray(4);
      this.#gotIntro = true;
    }
    while (this.#in.length >= 3) {
      const size = this.#in.readUIntBE(0, 3);
      if (size > MAX_FRAME_BYTES) {
        throw new Error(`Frame of ${size} bytes is over the fake's limit`);
      }
      if (this.#in.length < size + 3) return;
      const frame = this.#in.subarray(3, size + 3);
      this.#in = this.#in.subarray(size + 3);
      await this.#onFrame(frame);
    }
  }

  async #onFrame(frame: Buffer): Promise<void> {
    const n = this.#noise;
    const { Curve, proto } = B;
    if (this.#stage === "hello") {
      const { clientHello } = proto.HandshakeMessage.decode(frame);
      const clientEphemeral = clientHello!.ephemeral!;
      n.authenticate(clientEphemeral);
      const eph = Curve.generateKeyPair();
      this.#ephemeral = eph;
      n.authenticate(eph.public);
      n.mixIntoKey(Curve.sharedKey(eph.private, clientEphemeral));
      const encStatic = n.encrypt(this.server.staticKey.public);
      n.mixIntoKey(Curve.sharedKey(this.server.staticKey.private, clientEphemeral));
      const encPayload = n.encrypt(this.server.certChain());
      this.#rawSend(
        proto.HandshakeMessage.encode({
          serverHello: { ephemeral: eph.public, static: encStatic, payload: encPayload },
        }).finish(),
      );
      this.#stage = "finish";
      return;
    }
    if (this.#stage === "finish") {
      const { clientFinish } = proto.HandshakeMessage.decode(frame);
      this.clientStatic = n.decrypt(clientFinish!.static!);
      n.mixIntoKey(Curve.sharedKey(this.#ephemeral!.private, this.clientStatic));
      const payload = proto.ClientPayload.decode(n.decrypt(clientFinish!.payload!));
      n.finish();
      this.#stage = "transport";
      return this.#onClientPayload(payload);
    }
    const node = await B.decodeBinaryNode(n.transportDecrypt(frame));
    this.server.log("<<", B.binaryNodeToString(node).slice(0, 300));
    const waiter = this.#waiters.get(node.attrs.id);
    if (waiter) {
      this.#waiters.delete(node.attrs.id);
      return waiter(node);
    }
    if (node.tag === "iq") return handleIq(this, node);
    if (node.tag === "message") return handleClientMessage(this, node);
    if (node.tag === "receipt") {
      this.server.emit("receipt", node);
      this.send({
        tag: "ack",
        attrs: {
          id: node.attrs.id,
          class: "receipt",
          from: node.attrs.to,
          ...(node.attrs.type ? { type: node.attrs.type } : {}),
        },
      });
      return;
    }
    if (node.tag === "ack") this.server.emit("client-ack", node);
    // Typing indicators (`composing` / `paused`) are fire-and-forget: recorded, not answered.
    if (node.tag === "chatstate") this.server.emit("chatstate", node);
  }

  #onClientPayload(p: InstanceType<typeof B.proto.ClientPayload>): void {
    const s = this.server;
    if (p.devicePairingData) {
      const d = p.devicePairingData;
      this.registration = {
        regId: Buffer.from(d.eRegid!).readUInt32BE(0),
        identity: Buffer.from(d.eIdent!),
        skeyId: Buffer.from(d.eSkeyId!).readUIntBE(0, 3),
        skey: Buffer.from(d.eSkeyVal!),
        skeySig: Buffer.from(d.eSkeySig!),
      };
      const refs = [1, 2, 3].map(() =>
        Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64")
      );
      for (const r of refs) s.pendingRegistrations.set(r, this);
      this.send({
        tag: "iq",
        attrs: { from: B.S_WHATSAPP_NET, type: "set", id: this.tag(), xmlns: "md" },
        content: [{
          tag: "pair-device",
          attrs: {},
          content: refs.map((r) => ({ tag: "ref", attrs: {}, content: Buffer.from(r) })),
        }],
      });
      s.emit("qr-requested", this);
      return;
    }
    const a = s.account;
    const ok = a && !a.removed && String(p.username) === a.pn && p.device === a.device &&
      this.clientStatic.equals(a.noiseKey);
    if (!a || !ok) {
      this.send({ tag: "failure", attrs: { reason: "401", location: "local" } });
      this.server.later(50, () => this.close());
      return;
    }
    if (s.restartLogins > 0) {
      s.restartLogins--;
      this.send({ tag: "stream:error", attrs: { code: "515" } });
      s.later(50, () => this.close());
      return;
    }
    this.loggedIn = true;
    this.send({
      tag: "success",
      attrs: {
        t: String(unix()),
        lid: `${a.lid}:${a.device}@lid`,
        props: "1",
        creation: String(unix()),
      },
    });
    // End of the offline queue: Baileys then marks pending notifications received.
    s.later(20, () => {
      this.send({
        tag: "ib",
        attrs: { from: B.S_WHATSAPP_NET },
        content: [{ tag: "offline", attrs: { count: "0" } }],
      });
    });
    s.emit("login", this);
  }
}
