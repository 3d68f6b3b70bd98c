/**
 * A fake WhatsApp Web server on 127.0.0.1 for driving the REAL Baileys client
 * in tests: Noise XX with a locally generated certificate chain, QR pairing
 * and the 515 restart, login and 401 failure, prekey upload, usync, prekey
 * bundles, and 1:1 Signal-encrypted text both ways with fake peers.
 *
 * The one seam in Baileys: {@link installTrustRoot} makes the client trust
 * this server's root key instead of WhatsApp's.
 *
 * @example
 * ```ts
 * const server = await FakeWaServer.start();
 * installTrustRoot(server.rootPublicKey);
 * const alice = server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
 * // Baileys with waWebSocketUrl: server.url emits a QR -> await server.phoneScan(qr)
 * await server.deliverText(alice, "hi");
 * await server.stop();
 * ```
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import type { proto as Proto } from "@whiskeysockets/baileys";
import { B } from "./_baileys.ts";
import { Conn, type Registration, unix } from "./conn.ts";
import { type DeliverOptions, messageFromPeer } from "./deliver.ts";
import { pairSuccessNode, parseQr } from "./pairing.ts";
import { FakePeer, type FakePeerOptions } from "./peer.ts";
import type { ClientMessage } from "./stanzas.ts";

export { FakePeer } from "./peer.ts";
export type { ClientMessage, DecryptedCopy } from "./stanzas.ts";
export type { DeliverOptions } from "./deliver.ts";

/** Makes Baileys trust `rootPublicKey` for the Noise certificate chain (process-wide). */
export function installTrustRoot(rootPublicKey: Uint8Array): void {
  (B.WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY = Buffer.from(rootPublicKey);
}

/** The linked account, once a phone scanned a QR. */
export interface FakeAccount {
  pn: string;
  lid: string;
  device: number;
  name: string;
  noiseKey: Buffer;
  reg: Registration;
  preKeys: Map<number, Buffer>;
  removed: boolean;
  phone: FakePeer;
}

/** Options of {@link FakeWaServer.start}. */
export interface FakeWaServerOptions {
  /** Stanza trace (`SRVLOG=1` style); silent by default. */
  log?: (...args: unknown[]) => void;
  /** Share another server's root key, so one trusted root covers several fake servers. */
  root?: KeyPair;
}

/** A Curve25519 key pair as Baileys' `Curve` makes them. */
export type KeyPair = { public: Uint8Array; private: Uint8Array };

/** The fake server. Events: `qr-requested`, `login`, `paired`, `prekeys`, `receipt`, `client-message`, `client-ack`, `chatstate`. */
export class FakeWaServer extends EventEmitter {
  readonly log: (...args: unknown[]) => void;
  readonly root: KeyPair;
  readonly intermediate: KeyPair = B.Curve.generateKeyPair();
  readonly staticKey: KeyPair = B.Curve.generateKeyPair();
  account: FakeAccount | undefined;
  readonly pendingRegistrations = new Map<string, Conn>();
  readonly peers = new Map<string, FakePeer>();
  readonly conns = new Set<Conn>();
  readonly received: ClientMessage[] = [];
  /** The next this-many logins are answered with a 515 restart instead of success. */
  restartLogins = 0;
  /** Connections accepted so far (tests count reconnects with it). */
  connections = 0;
  #server: Deno.HttpServer | undefined;
  #port = 0;
  #stopped = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(opts: FakeWaServerOptions) {
    super();
    this.log = opts.log ?? (() => {});
    this.root = opts.root ?? B.Curve.generateKeyPair();
  }

  /** Starts listening on 127.0.0.1, port 0. */
  static async start(opts: FakeWaServerOptions = {}): Promise<FakeWaServer> {
    const s = new FakeWaServer(opts);
    const { promise, resolve } = Promise.withResolvers<number>();
    s.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => resolve(port),
    }, (req) => s.#handle(req));
    s.#port = await promise;
    return s;
  }

  #handle(req: Request): Response {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("not found", { status: 404 });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    const conn = new Conn(this, socket);
    this.connections++;
    this.conns.add(conn);
    socket.addEventListener("close", () => this.conns.delete(conn));
    return response;
  }

  /** `ws://127.0.0.1:<port>/ws/chat` */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}/ws/chat`;
  }

  /** The root key Baileys must trust (see {@link installTrustRoot}). */
  get rootPublicKey(): Uint8Array {
    return this.root.public;
  }

  /** Connections currently logged in as the account. */
  get activeConns(): Conn[] {
    return [...this.conns].filter((c) => c.loggedIn);
  }

  /** Runs `fn` after `ms` unless the server stopped first. */
  later(ms: number, fn: () => void): void {
    const id = setTimeout(() => {
      this.#timers.delete(id);
      fn();
    }, ms);
    this.#timers.add(id);
  }

  /** Closes every socket and the listener. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const id of this.#timers) clearTimeout(id);
    this.#timers.clear();
    for (const c of this.conns) c.close();
    await this.#server?.shutdown();
  }

  /** Adds a fake contact. */
  addPeer(opts: FakePeerOptions): FakePeer {
    const p = new FakePeer(opts);
    this.peers.set(p.pn, p);
    return p;
  }

  /** The peer behind a JID; the account's own device 0 is its phone. */
  peerByJid(jid: string): FakePeer | undefined {
    const decoded = B.jidDecode(jid);
    if (!decoded) return undefined;
    const { user, server, device } = decoded;
    const a = this.account;
    if (a && (user === a.pn || user === a.lid)) return device ? undefined : a.phone;
    for (const p of this.peers.values()) {
      if ((server === "lid" ? p.lid : p.pn) === user) return p;
    }
    return undefined;
  }

  /** A cert chain root -> intermediate -> our static Noise key. */
  certChain(): Uint8Array {
    const { proto, Curve } = B;
    const details = (serial: number, issuerSerial: number, key: Uint8Array) =>
      proto.CertChain.NoiseCertificate.Details.encode({
        serial,
        issuerSerial,
        key,
        notBefore: unix() - 3600,
        notAfter: unix() + 86400,
      }).finish();
    const inter = details(1, 0, this.intermediate.public);
    const leaf = details(2, 1, this.staticKey.public);
    return proto.CertChain.encode({
      intermediate: { details: inter, signature: Curve.sign(this.root.private, inter) },
      leaf: { details: leaf, signature: Curve.sign(this.intermediate.private, leaf) },
    }).finish();
  }

  /** Waits for `event` (first argument matching `pred`) for at most `ms`. */
  waitFor<T = unknown>(event: string, pred: (arg: T) => boolean = () => true, ms = 15_000) {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(event, on);
        reject(new Error(`Timed out after ${ms} ms waiting for fake server event "${event}"`));
      }, ms);
      const on = (arg: T) => {
        if (!pred(arg)) return;
        clearTimeout(timer);
        this.off(event, on);
        resolve(arg);
      };
      this.on(event, on);
    });
  }

  /** A phone scans the QR string Baileys emitted: pair-success, then a forced 515 restart. */
  phoneScan(qr: string, opts: { pn?: string; lid?: string; name?: string } = {}): void {
    const { pn = "15550001111", lid = "99990001111", name = "Test Phone" } = opts;
    const device = 1;
    const parsed = parseQr(qr);
    const conn = this.pendingRegistrations.get(parsed.ref);
    if (!conn) throw new Error(`Unknown or expired QR ref "${parsed.ref}"`);
    if (!parsed.noiseKey.equals(conn.clientStatic)) {
      throw new Error("QR noise key does not match the connection");
    }
    const phone = new FakePeer({ pn, lid, name });
    this.account = {
      pn,
      lid,
      device,
      name,
      noiseKey: conn.clientStatic,
      reg: conn.registration!,
      preKeys: new Map(),
      removed: false,
      phone,
    };
    this.pendingRegistrations.clear();
    const id = conn.tag();
    conn.expect(id, (reply) => {
      // The client signed the device identity: like WhatsApp, force a restart (515).
      this.emit("paired", reply);
      conn.send({ tag: "stream:error", attrs: { code: "515" } });
      this.later(50, () => conn.close());
    });
    conn.send(pairSuccessNode(id, phone, parsed, { pn, lid, device }));
  }

  /** Closes every live socket with no stanza first (network failure / server restart). */
  dropAll(): void {
    for (const c of this.conns) c.close();
  }

  /** The phone removes the linked device: stream:error 401 now, failure 401 on later logins. */
  removeDevice(): void {
    if (this.account) this.account.removed = true;
    for (const c of this.activeConns) {
      c.send({
        tag: "stream:error",
        attrs: { code: "401" },
        content: [{ tag: "conflict", attrs: { type: "device_removed" } }],
      });
      this.later(50, () => c.close());
    }
  }

  /** Sends `bytes` (e.g. random) as a frame to every logged-in client: a broken server. */
  sendGarbage(bytes: Uint8Array): void {
    for (const c of this.activeConns) c.sendRaw(bytes);
  }

  /** Another client takes over the session: stream:error conflict (Baileys: 440). */
  replaceSession(): void {
    for (const c of this.activeConns) {
      c.send({
        tag: "stream:error",
        attrs: {},
        content: [{ tag: "conflict", attrs: { type: "replaced" } }],
      });
      this.later(50, () => c.close());
    }
  }

  /** A fake peer sends a Signal-encrypted text to the linked device; returns the message id. */
  deliverText(peer: FakePeer, text: string, opts: DeliverOptions = {}): Promise<string> {
    return this.deliverMessage(peer, { conversation: text }, opts);
  }

  /** A fake peer sends any `proto.Message` (e.g. an extendedTextMessage with a quote). */
  async deliverMessage(
    peer: FakePeer,
    message: Proto.IMessage,
    opts: DeliverOptions = {},
  ): Promise<string> {
    const conn = this.activeConns[0];
    const a = this.account;
    if (!conn || !a) throw new Error("No logged-in connection to deliver to");
    const { id, stanza } = await messageFromPeer(peer, a, message, opts);
    conn.send(stanza);
    return id;
  }
}
