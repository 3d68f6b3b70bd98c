/**
 * One live Baileys socket per WhatsApp account: connect with a pinned
 * version and the configured endpoint, QR events for login, the 515 restart
 * after pairing, reconnect with backoff, stop on logout or conflict, and a
 * status snapshot. Nothing here throws into the gateway: a Baileys failure
 * becomes state plus a log line.
 *
 * @module
 */

import type { WASocket } from "@whiskeysockets/baileys";
import type { Logger } from "../../log/logger.ts";
import { type Baileys, loadBaileys } from "./_baileys.ts";
import { InboundDispatcher, type InboundHandler } from "./_inbound_dispatch.ts";
import { endSocket, Listeners, openSocket, wireSocket } from "./_socket.ts";
import { classifyClose, gaveUpMessage, notLinkedMessage, stoppedState } from "./_close_reason.ts";
import {
  notConnectedError,
  notLinkedError,
  TERMINAL_STATES,
  waitForOpen,
  withTimeout,
} from "./_wait.ts";
import { AccountAuth } from "./_account_auth.ts";
import { Heartbeat, logHeartbeat } from "./_heartbeat.ts";
import { resolveReconnectPolicy } from "./backoff.ts";
import { Reconnects, systemClock } from "./_reconnect.ts";
import type {
  ReconnectPolicy,
  WhatsAppAccountSettings,
  WhatsAppClock,
  WhatsAppConnectionState,
  WhatsAppInboundEnvelope,
  WhatsAppStatus,
} from "./types.ts";

export type { InboundHandler } from "./_inbound_dispatch.ts";

/** Narrow dependencies of a {@link WhatsAppConnection}. */
export interface WhatsAppConnectionDeps {
  logger: Logger;
  onInbound?: InboundHandler;
  clock?: WhatsAppClock;
  /** Baileys loader (tests count loads); defaults to the lazy `import()`. */
  loadBaileys?: (log: Logger) => Promise<Baileys>;
}

const TERMINAL = TERMINAL_STATES;

/** The account's single Baileys connection and its lifecycle. */
export class WhatsAppConnection {
  readonly accountId: string;
  readonly settings: WhatsAppAccountSettings;
  readonly policy: ReconnectPolicy;
  #log: Logger;
  #deps: WhatsAppConnectionDeps;
  #clock: WhatsAppClock;
  #sock: WASocket | undefined;
  #account: AccountAuth;
  #state: WhatsAppConnectionState = "stopped";
  #lastError: string | null = null;
  #reconnects: Reconnects;
  /** 515 restarts since the last open. */
  #restarts = 0;
  #heartbeat: Heartbeat;
  #lastBeatDelivered = 0;
  #generation = 0;
  #loginMode = false;
  #qr: string | undefined;
  #qrListeners: Listeners<string>;
  #changeListeners: Listeners<void>;
  #inbound: InboundDispatcher;

  constructor(settings: WhatsAppAccountSettings, deps: WhatsAppConnectionDeps) {
    this.accountId = settings.accountId;
    this.settings = settings;
    this.policy = resolveReconnectPolicy(settings.reconnect);
    this.#deps = deps;
    this.#log = deps.logger;
    this.#clock = deps.clock ?? systemClock;
    this.#reconnects = new Reconnects(this.policy, this.#clock);
    this.#account = new AccountAuth(settings.authDir, settings.accountId, deps.logger);
    this.#heartbeat = new Heartbeat(
      this.#clock,
      settings.heartbeatSeconds ?? 60,
      () => this.#heartbeatLine(),
    );
    this.#qrListeners = new Listeners("QR", deps.logger);
    this.#changeListeners = new Listeners("state", deps.logger);
    this.#inbound = new InboundDispatcher(this.accountId, {
      log: deps.logger,
      now: () => this.#clock.now(),
      handler: deps.onInbound,
      sendReadReceipts: settings.sendReadReceipts !== false,
    });
  }

  /** Starts the socket when the account is linked; otherwise records "not linked" and starts nothing. */
  async start(): Promise<WhatsAppStatus> {
    if (!TERMINAL.includes(this.#state)) return this.status();
    await this.#account.refresh();
    if (!this.#account.linked) {
      this.#set("not_linked", notLinkedMessage(this.accountId));
      return this.status();
    }
    this.#reconnects.reset();
    await this.#connect();
    return this.status();
  }

  /** Starts a socket that may show QR codes (for the login flows). Linked accounts just start. */
  async startLogin(): Promise<void> {
    this.#loginMode = true;
    if (!TERMINAL.includes(this.#state)) return;
    this.#reconnects.reset();
    await this.#connect();
  }

  /** Ends the socket and any pending reconnect, then waits for pending creds writes; the account stays linked. */
  async stop(): Promise<void> {
    this.#generation++;
    this.#loginMode = false;
    this.#reconnects.cancel();
    this.#endSocket();
    this.#set("stopped", this.#lastError);
    await this.#account.flush();
  }

  /** Unlinks: tells WhatsApp when connected (bounded wait), then deletes the auth state. */
  async logout(timeoutMs = 5_000): Promise<void> {
    const sock = this.#state === "open" ? this.#sock : undefined;
    this.#generation++; // this socket's close events no longer drive the state
    this.#reconnects.cancel();
    if (sock) await withTimeout(sock.logout(), timeoutMs);
    await this.stop();
    await this.#account.delete();
    this.#set("not_linked", null);
  }

  /** The health / `channels.status` snapshot. */
  status(): WhatsAppStatus {
    return {
      accountId: this.accountId,
      configured: true,
      linked: this.#account.linked,
      authAgeMs: this.#account.ageMs(this.#clock.now()),
      running: !TERMINAL.includes(this.#state),
      connected: this.#state === "open",
      state: this.#state,
      lastError: this.#lastError,
      reconnectAttempts: this.#reconnects.attempts,
      self: this.#account.self,
    };
  }

  /** The latest QR string Baileys emitted in login mode, if one is current. */
  get currentQr(): string | undefined {
    return this.#qr;
  }

  /** Calls `fn` on every new QR (Baileys rotates them); returns the unsubscribe. */
  onQr(fn: (qr: string) => void): () => void {
    return this.#qrListeners.add(fn);
  }

  /** Calls `fn` on every state change; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    return this.#changeListeners.add(fn);
  }

  /** Resolves when the socket is open; rejects when the account stops for good or after `timeoutMs`. */
  waitForOpen(timeoutMs: number): Promise<WhatsAppStatus> {
    return waitForOpen(this, timeoutMs);
  }

  /** The open socket, or a typed error: `NOT_LINKED` (with how to link) or `UNAVAILABLE`. */
  requireSocket(): WASocket {
    if (!this.#account.linked) throw notLinkedError(this.accountId);
    if (this.#state === "open" && this.#sock) return this.#sock;
    throw notConnectedError(this.status());
  }

  /** Records an id this account sent, so its echo is not taken as inbound. */
  rememberSent(id: string | null | undefined): void {
    this.#inbound.rememberSent(id);
  }

  /** Sends the read receipt for an accepted inbound message (unless disabled or self-chat). */
  markRead(envelope: WhatsAppInboundEnvelope): Promise<void> {
    return this.#inbound.markRead(this.#state === "open" ? this.#sock : undefined, envelope);
  }

  #set(state: WhatsAppConnectionState, lastError: string | null): void {
    this.#state = state;
    this.#lastError = lastError;
    if (TERMINAL.includes(state)) this.#heartbeat.stop();
    else this.#heartbeat.run();
    this.#changeListeners.emit();
  }

  /** The `web-heartbeat` line: state, and inbound messages since the last line. */
  #heartbeatLine(): void {
    const delivered = this.#inbound.delivered;
    logHeartbeat(this.#log, this.status(), delivered - this.#lastBeatDelivered);
    this.#lastBeatDelivered = delivered;
  }

  #endSocket(): void {
    const sock = this.#sock;
    this.#sock = undefined;
    endSocket(sock, this.#log);
  }

  async #connect(): Promise<void> {
    const gen = ++this.#generation;
    this.#reconnects.cancel();
    this.#endSocket();
    this.#set(this.#reconnects.attempts > 0 ? "reconnecting" : "connecting", this.#lastError);
    try {
      const b = await (this.#deps.loadBaileys ?? loadBaileys)(this.#log);
      if (gen !== this.#generation) return;
      const auth = await this.#account.open(b);
      if (gen !== this.#generation) return;
      const sock = openSocket(b, this.settings, { auth, log: this.#log });
      this.#sock = sock;
      this.#wire(sock, gen);
    } catch (err) {
      if (gen !== this.#generation) return;
      this.#log.warn("WhatsApp connect failed", { accountId: this.accountId, error: String(err) });
      this.#afterClose(undefined, `connect failed: ${err instanceof Error ? err.message : err}`);
    }
  }

  #wire(sock: WASocket, gen: number): void {
    wireSocket(sock, {
      live: () => gen === this.#generation,
      creds: () => this.#account.save(),
      qr: (qr) => this.#onQr(qr),
      open: () => this.#onOpen(sock),
      close: (code) => {
        this.#sock = undefined;
        this.#afterClose(code, undefined);
      },
      messages: (messages) => {
        const self = { jid: this.#account.self?.jid, lid: this.#account.self?.lid };
        for (const m of messages) this.#inbound.dispatch(m, self, () => this.#sock);
      },
    }, this.#log);
  }

  #onQr(qr: string): void {
    if (!this.#loginMode) {
      // Not linked and nobody asked to link: do not sit on a QR socket.
      this.#generation++;
      this.#endSocket();
      this.#account.linked = false;
      this.#set("not_linked", notLinkedMessage(this.accountId));
      return;
    }
    this.#qr = qr;
    this.#set("waiting_qr", null);
    this.#qrListeners.emit(qr);
  }

  #onOpen(sock: WASocket): void {
    this.#account.markOpen(sock.user ?? sock.authState.creds.me, this.#clock.now());
    this.#loginMode = false;
    this.#qr = undefined;
    this.#reconnects.reset();
    this.#restarts = 0;
    this.#log.info("WhatsApp connected", { accountId: this.accountId });
    this.#set("open", null);
  }

  #afterClose(code: number | undefined, reason: string | undefined): void {
    const action = classifyClose(code, { accountId: this.accountId, linked: this.#account.linked });
    switch (action.kind) {
      case "restart":
        // Once after pairing is normal; a server that keeps asking gets backoff instead.
        if (++this.#restarts > 2) return this.#scheduleReconnect("restart required (515) again");
        this.#log.info("WhatsApp asked for a restart (515); reconnecting", {
          accountId: this.accountId,
        });
        void this.#connect();
        return;
      case "logged_out":
      case "conflict":
      case "relink":
      case "qr_expired":
        this.#log.warn(action.message, { accountId: this.accountId });
        this.#generation++;
        this.#loginMode = false;
        this.#qr = undefined;
        if (action.kind === "logged_out") void this.#account.delete();
        this.#set(stoppedState(action.kind), action.message);
        return;
      case "reconnect":
        this.#scheduleReconnect(reason ?? action.reason);
    }
  }

  #scheduleReconnect(reason: string): void {
    const gen = this.#generation;
    const delay = this.#reconnects.schedule(() => {
      if (gen === this.#generation) void this.#connect();
    });
    const max = this.policy.maxAttempts;
    if (delay === undefined) {
      const msg = gaveUpMessage(this.accountId, max, reason);
      this.#log.error(msg, { accountId: this.accountId });
      this.#set("gave_up", msg);
      return;
    }
    const attempt = this.#reconnects.attempts;
    this.#log.warn("WhatsApp disconnected; reconnecting", {
      accountId: this.accountId,
      reason,
      attempt,
      delayMs: delay,
    });
    this.#set("reconnecting", `${reason}; reconnect ${attempt} of ${max}`);
  }
}
