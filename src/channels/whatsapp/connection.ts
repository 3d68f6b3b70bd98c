/**
 * One live Baileys socket per WhatsApp account: connect with a pinned
 * version and the configured endpoint, QR events for login, the 515 restart
 * after pairing, reconnect with backoff, stop on logout or conflict, and a
 * status snapshot. Nothing here throws into the gateway: a Baileys failure
 * becomes state plus a log line.
 *
 * @module
 */

import type { WAMessage, WASocket } from "@whiskeysockets/baileys";
import { GatewayError, unavailable } from "../../errors.ts";
import { ErrorCodes } from "../../../protocol/errors.ts";
import type { Logger } from "../../log/logger.ts";
import { type Baileys, baileysLogger, loadBaileys, WA_WEB_VERSION } from "./_baileys.ts";
import { classifyClose, closeStatusCode } from "./_close_reason.ts";
import {
  deleteAuthState,
  openAuthState,
  type OpenedAuthState,
  readLinkedIdentity,
} from "./auth_state.ts";
import { reconnectDelayMs, resolveReconnectPolicy } from "./backoff.ts";
import { e164FromJid, normalizeInbound, SeenIds } from "./inbound.ts";
import type {
  ReconnectPolicy,
  WhatsAppAccountSettings,
  WhatsAppClock,
  WhatsAppConnectionState,
  WhatsAppInboundEnvelope,
  WhatsAppStatus,
} from "./types.ts";

/** Called per accepted inbound message; resolve `true` once access control let it in (sends the read receipt). */
export type InboundHandler = (
  envelope: WhatsAppInboundEnvelope,
) => void | boolean | Promise<void | boolean>;

/** Narrow dependencies of a {@link WhatsAppConnection}. */
export interface WhatsAppConnectionDeps {
  logger: Logger;
  onInbound?: InboundHandler;
  clock?: WhatsAppClock;
  /** Baileys loader (tests count loads); defaults to the lazy `import()`. */
  loadBaileys?: (log: Logger) => Promise<Baileys>;
}

const systemClock: WhatsAppClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as number,
  clearTimeout: (id) => clearTimeout(id),
  random: Math.random,
};

const TERMINAL: WhatsAppConnectionState[] = [
  "stopped",
  "not_linked",
  "logged_out",
  "conflict",
  "gave_up",
];

/** The account's single Baileys connection and its lifecycle. */
export class WhatsAppConnection {
  readonly accountId: string;
  readonly settings: WhatsAppAccountSettings;
  readonly policy: ReconnectPolicy;
  #log: Logger;
  #deps: WhatsAppConnectionDeps;
  #clock: WhatsAppClock;
  #sock: WASocket | undefined;
  #auth: OpenedAuthState | undefined;
  #state: WhatsAppConnectionState = "stopped";
  #lastError: string | null = null;
  #attempts = 0;
  #timer: number | undefined;
  #generation = 0;
  #linked = false;
  #authMtimeMs: number | null = null;
  #self: WhatsAppStatus["self"] = null;
  #loginMode = false;
  #qr: string | undefined;
  #qrListeners = new Set<(qr: string) => void>();
  #changeListeners = new Set<() => void>();
  #sentIds = new SeenIds(2_000);
  #seen = new SeenIds();

  constructor(settings: WhatsAppAccountSettings, deps: WhatsAppConnectionDeps) {
    this.accountId = settings.accountId;
    this.settings = settings;
    this.policy = resolveReconnectPolicy(settings.reconnect);
    this.#deps = deps;
    this.#log = deps.logger;
    this.#clock = deps.clock ?? systemClock;
  }

  /** Starts the socket when the account is linked; otherwise records "not linked" and starts nothing. */
  async start(): Promise<WhatsAppStatus> {
    if (!TERMINAL.includes(this.#state)) return this.status();
    await this.#refreshLinked();
    if (!this.#linked) {
      this.#set(
        "not_linked",
        `WhatsApp account "${this.accountId}" is not linked; ${this.#loginHint()}`,
      );
      return this.status();
    }
    this.#attempts = 0;
    await this.#connect();
    return this.status();
  }

  /** Starts a socket that may show QR codes (for the login flows). Linked accounts just start. */
  async startLogin(): Promise<void> {
    this.#loginMode = true;
    if (!TERMINAL.includes(this.#state)) return;
    this.#attempts = 0;
    await this.#connect();
  }

  /** Ends the socket and any pending reconnect; the account stays linked. */
  stop(): void {
    this.#generation++;
    this.#loginMode = false;
    this.#clearTimer();
    this.#endSocket();
    this.#set("stopped", this.#lastError);
  }

  /** Unlinks: tells WhatsApp when connected (bounded wait), then deletes the auth state. */
  async logout(timeoutMs = 5_000): Promise<void> {
    const sock = this.#state === "open" ? this.#sock : undefined;
    this.stop();
    if (sock) {
      const timeout = new Promise((r) => setTimeout(r, timeoutMs));
      await Promise.race([sock.logout().catch(() => {}), timeout]);
    }
    await deleteAuthState(this.settings.authDir);
    this.#auth = undefined;
    this.#linked = false;
    this.#self = null;
    this.#authMtimeMs = null;
    this.#set("not_linked", null);
  }

  /** The health / `channels.status` snapshot. */
  status(): WhatsAppStatus {
    return {
      accountId: this.accountId,
      configured: true,
      linked: this.#linked,
      authAgeMs: this.#linked && this.#authMtimeMs !== null
        ? Math.max(0, this.#clock.now() - this.#authMtimeMs)
        : null,
      running: !TERMINAL.includes(this.#state),
      connected: this.#state === "open",
      state: this.#state,
      lastError: this.#lastError,
      reconnectAttempts: this.#attempts,
      self: this.#self,
    };
  }

  /** The latest QR string Baileys emitted in login mode, if one is current. */
  get currentQr(): string | undefined {
    return this.#qr;
  }

  /** Calls `fn` on every new QR (Baileys rotates them); returns the unsubscribe. */
  onQr(fn: (qr: string) => void): () => void {
    this.#qrListeners.add(fn);
    return () => this.#qrListeners.delete(fn);
  }

  /** Calls `fn` on every state change; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.#changeListeners.add(fn);
    return () => this.#changeListeners.delete(fn);
  }

  /** Resolves when the socket is open; rejects when the account stops for good or after `timeoutMs`. */
  waitForOpen(timeoutMs: number): Promise<WhatsAppStatus> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#state === "open") return done(() => resolve(this.status()));
        if (TERMINAL.includes(this.#state)) {
          const msg = this.#lastError ?? `WhatsApp account "${this.accountId}" is ${this.#state}`;
          return done(() => reject(new GatewayError(ErrorCodes.UNAVAILABLE, msg)));
        }
      };
      const timer = setTimeout(() => {
        done(() =>
          reject(
            unavailable(
              `WhatsApp account "${this.accountId}" did not connect within ${timeoutMs} ms`,
            ),
          )
        );
      }, timeoutMs);
      const off = this.onChange(check);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        off();
        fn();
      };
      check();
    });
  }

  /** The open socket, or a typed error: `NOT_LINKED` (with how to link) or `UNAVAILABLE`. */
  requireSocket(): WASocket {
    if (!this.#linked) {
      throw new GatewayError(
        ErrorCodes.NOT_LINKED,
        `WhatsApp account "${this.accountId}" is not linked; ${this.#loginHint()}`,
        { details: { channel: "whatsapp", accountId: this.accountId } },
      );
    }
    if (this.#state === "open" && this.#sock) return this.#sock;
    throw unavailable(
      `WhatsApp account "${this.accountId}" is not connected (${this.#state}${
        this.#lastError ? `: ${this.#lastError}` : ""
      })`,
      { retryable: this.#state === "connecting" || this.#state === "reconnecting" },
    );
  }

  /** Records an id this account sent, so its echo is not taken as inbound. */
  rememberSent(id: string | null | undefined): void {
    if (id) this.#sentIds.seen(id, this.#clock.now());
  }

  /** Sends the read receipt for an accepted inbound message (unless disabled or self-chat). */
  async markRead(envelope: WhatsAppInboundEnvelope): Promise<void> {
    if (this.settings.sendReadReceipts === false || envelope.fromSelf) return;
    const sock = this.#state === "open" ? this.#sock : undefined;
    if (!sock) return;
    try {
      await sock.readMessages([{
        remoteJid: envelope.chatId,
        id: envelope.messageId,
        participant: envelope.isGroup ? envelope.senderJid : undefined,
        fromMe: false,
      }]);
    } catch (err) {
      this.#log.warn("read receipt failed", { accountId: this.accountId, error: String(err) });
    }
  }

  #loginHint(): string {
    return `run "openclaw channels login --account ${this.accountId}" on the gateway host (or web.login.start) and scan the QR code with the phone`;
  }

  #set(state: WhatsAppConnectionState, lastError: string | null): void {
    this.#state = state;
    this.#lastError = lastError;
    for (const fn of [...this.#changeListeners]) {
      try {
        fn();
      } catch (err) {
        this.#log.warn("state listener failed", { error: String(err) });
      }
    }
  }

  async #refreshLinked(): Promise<void> {
    const id = await readLinkedIdentity(this.settings.authDir).catch(() => undefined);
    this.#linked = !!id;
    this.#authMtimeMs = id?.mtimeMs ?? null;
    this.#self = id ? { jid: id.jid, e164: e164FromJid(id.jid), lid: id.lid } : null;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #endSocket(): void {
    const sock = this.#sock;
    this.#sock = undefined;
    if (!sock) return;
    try {
      sock.ev.removeAllListeners(undefined as never);
      sock.end(undefined);
    } catch (err) {
      this.#log.debug("ending socket failed", { error: String(err) });
    }
  }

  async #connect(): Promise<void> {
    const gen = ++this.#generation;
    this.#clearTimer();
    this.#endSocket();
    this.#set(this.#attempts > 0 ? "reconnecting" : "connecting", this.#lastError);
    try {
      const b = await (this.#deps.loadBaileys ?? loadBaileys)(this.#log);
      if (gen !== this.#generation) return;
      if (!this.#auth) {
        this.#auth = await openAuthState(this.settings.authDir, b);
        if (this.#auth.restoredFromBackup) {
          this.#log.warn("creds.json was corrupt; restored from creds.json.bak", {
            accountId: this.accountId,
          });
        }
      }
      if (gen !== this.#generation) return;
      const sock = b.makeWASocket({
        version: WA_WEB_VERSION,
        ...(this.settings.wsUrl ? { waWebSocketUrl: this.settings.wsUrl } : {}),
        auth: this.#auth.state,
        logger: baileysLogger(this.#log) as never,
        browser: b.Browsers.ubuntu("Chrome"),
        markOnlineOnConnect: false,
        syncFullHistory: false,
        shouldSyncHistoryMessage: () => false,
        generateHighQualityLinkPreview: false,
        connectTimeoutMs: 20_000,
        ...(this.settings.qrTimeoutMs ? { qrTimeout: this.settings.qrTimeoutMs } : {}),
      });
      this.#sock = sock;
      this.#wire(sock, gen);
    } catch (err) {
      if (gen !== this.#generation) return;
      this.#log.warn("WhatsApp connect failed", { accountId: this.accountId, error: String(err) });
      this.#afterClose(undefined, `connect failed: ${err instanceof Error ? err.message : err}`);
    }
  }

  #wire(sock: WASocket, gen: number): void {
    const live = () => gen === this.#generation;
    sock.ev.on("creds.update", () => {
      this.#auth?.saveCreds().catch((err) =>
        this.#log.warn("saving WhatsApp creds failed", {
          accountId: this.accountId,
          error: String(err),
        })
      );
    });
    sock.ev.on("connection.update", (u) => {
      if (!live()) return;
      try {
        if (u.qr) this.#onQr(u.qr);
        if (u.connection === "open") this.#onOpen(sock);
        if (u.connection === "close") {
          this.#sock = undefined;
          this.#afterClose(closeStatusCode(u.lastDisconnect?.error), undefined);
        }
      } catch (err) {
        this.#log.warn("WhatsApp connection update failed", { error: String(err) });
      }
    });
    sock.ev.on("messages.upsert", ({ messages, type }) => {
      if (!live() || type !== "notify") return;
      for (const m of messages) this.#onMessage(m);
    });
  }

  #onQr(qr: string): void {
    if (!this.#loginMode) {
      // Not linked and nobody asked to link: do not sit on a QR socket.
      this.#generation++;
      this.#endSocket();
      this.#linked = false;
      this.#set(
        "not_linked",
        `WhatsApp account "${this.accountId}" is not linked; ${this.#loginHint()}`,
      );
      return;
    }
    this.#qr = qr;
    this.#set("waiting_qr", null);
    for (const fn of [...this.#qrListeners]) {
      try {
        fn(qr);
      } catch (err) {
        this.#log.warn("QR listener failed", { error: String(err) });
      }
    }
  }

  #onOpen(sock: WASocket): void {
    const me = sock.user ?? this.#auth?.state.creds.me;
    this.#linked = true;
    this.#loginMode = false;
    this.#qr = undefined;
    this.#attempts = 0;
    this.#authMtimeMs ??= this.#clock.now();
    if (me?.id) this.#self = { jid: me.id, e164: e164FromJid(me.id), lid: me.lid ?? undefined };
    this.#log.info("WhatsApp connected", { accountId: this.accountId });
    this.#set("open", null);
  }

  #onMessage(m: WAMessage): void {
    const result = normalizeInbound(m, {
      accountId: this.accountId,
      self: { jid: this.#self?.jid, lid: this.#self?.lid },
      sentIds: { has: (id) => this.#sentIds.has(id, this.#clock.now()) },
      seen: this.#seen,
      now: this.#clock.now(),
    });
    if ("drop" in result) {
      this.#log.debug("inbound dropped", { accountId: this.accountId, reason: result.drop });
      return;
    }
    const handler = this.#deps.onInbound;
    if (!handler) return;
    Promise.resolve()
      .then(() => handler(result.envelope))
      .then((accepted) => accepted === true ? this.markRead(result.envelope) : undefined)
      .catch((err) =>
        this.#log.warn("inbound handler failed", { accountId: this.accountId, error: String(err) })
      );
  }

  #afterClose(code: number | undefined, reason: string | undefined): void {
    const action = classifyClose(code, { accountId: this.accountId, linked: this.#linked });
    switch (action.kind) {
      case "restart":
        this.#log.info("WhatsApp asked for a restart (515); reconnecting", {
          accountId: this.accountId,
        });
        void this.#connect();
        return;
      case "logged_out":
        this.#log.warn(action.message, { accountId: this.accountId });
        this.#generation++;
        this.#linked = false;
        this.#self = null;
        this.#auth = undefined;
        this.#loginMode = false;
        deleteAuthState(this.settings.authDir).catch((err) =>
          this.#log.warn("deleting WhatsApp auth state failed", { error: String(err) })
        );
        this.#set("logged_out", action.message);
        return;
      case "conflict":
      case "relink":
      case "qr_expired":
        this.#log.warn(action.message, { accountId: this.accountId });
        this.#generation++;
        this.#loginMode = false;
        this.#qr = undefined;
        this.#set(
          action.kind === "conflict"
            ? "conflict"
            : action.kind === "qr_expired"
            ? "not_linked"
            : "logged_out",
          action.message,
        );
        return;
      case "reconnect":
        this.#scheduleReconnect(reason ?? action.reason);
    }
  }

  #scheduleReconnect(reason: string): void {
    this.#attempts++;
    if (this.#attempts > this.policy.maxAttempts) {
      this.#attempts = this.policy.maxAttempts;
      const msg =
        `WhatsApp account "${this.accountId}" gave up after ${this.policy.maxAttempts} reconnect attempts (last: ${reason}); check the network, then restart the channel`;
      this.#log.error(msg, { accountId: this.accountId });
      this.#set("gave_up", msg);
      return;
    }
    const delay = reconnectDelayMs(this.policy, this.#attempts, this.#clock.random);
    this.#log.warn("WhatsApp disconnected; reconnecting", {
      accountId: this.accountId,
      reason,
      attempt: this.#attempts,
      delayMs: delay,
    });
    this.#set(
      "reconnecting",
      `${reason}; reconnect ${this.#attempts} of ${this.policy.maxAttempts}`,
    );
    const gen = this.#generation;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (gen === this.#generation) void this.#connect();
    }, delay);
  }
}
