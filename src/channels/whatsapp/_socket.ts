/**
 * How the channel makes a Baileys socket (the options that matter: pinned
 * version, configured endpoint, no history sync, no link previews, private
 * presence) and a small listener set that never lets a listener's exception
 * escape into Baileys.
 *
 * @module
 */

import type { AuthenticationState, WAMessage, WASocket } from "@whiskeysockets/baileys";
import type { Logger } from "../../log/logger.ts";
import { type Baileys, baileysLogger, WA_WEB_VERSION } from "./_baileys.ts";
import { closeStatusCode } from "./_close_reason.ts";
import type { WhatsAppAccountSettings } from "./types.ts";

/** Makes one socket for an account (Baileys connects at once). */
export function openSocket(
  b: Baileys,
  settings: WhatsAppAccountSettings,
  deps: { auth: AuthenticationState; log: Logger },
): WASocket {
  return b.makeWASocket({
    // Always pinned: without it Baileys fetches the current version online.
    version: WA_WEB_VERSION,
    ...(settings.wsUrl ? { waWebSocketUrl: settings.wsUrl } : {}),
    auth: deps.auth,
    logger: baileysLogger(deps.log) as never,
    browser: b.Browsers.ubuntu("Chrome"),
    // The phone keeps its notifications while the gateway is connected.
    markOnlineOnConnect: false,
    syncFullHistory: false,
    shouldSyncHistoryMessage: () => false,
    generateHighQualityLinkPreview: false,
    connectTimeoutMs: 20_000,
    ...(settings.qrTimeoutMs ? { qrTimeout: settings.qrTimeoutMs } : {}),
  });
}

/** What a socket's events drive; all but `creds` only while `live()`. */
export interface SocketEvents {
  live(): boolean;
  creds(): void;
  qr(qr: string): void;
  open(): void;
  close(code: number | undefined): void;
  /** New messages (`notify` upserts only; history is never dispatched). */
  messages(messages: WAMessage[]): void;
}

/** Routes a socket's Baileys events to `on`; a throwing handler is logged, never thrown into Baileys. */
export function wireSocket(sock: WASocket, on: SocketEvents, log: Logger): void {
  sock.ev.on("creds.update", () => on.creds());
  sock.ev.on("connection.update", (u) => {
    if (!on.live()) return;
    try {
      if (u.qr) on.qr(u.qr);
      if (u.connection === "open") on.open();
      if (u.connection === "close") on.close(closeStatusCode(u.lastDisconnect?.error));
    } catch (err) {
      log.warn("WhatsApp connection update failed", { error: String(err) });
    }
  });
  sock.ev.on("messages.upsert", ({ messages, type }) => {
    if (on.live() && type === "notify") on.messages(messages);
  });
}

/** Detaches and ends a socket (if any); a failure is only logged. */
export function endSocket(sock: WASocket | undefined, log: Logger): void {
  if (!sock) return;
  try {
    sock.ev.removeAllListeners(undefined as never);
    sock.end(undefined);
  } catch (err) {
    log.debug("ending socket failed", { error: String(err) });
  }
}

/** Listeners of one event; a throwing listener is logged and skipped. */
export class Listeners<T> {
  #fns = new Set<(arg: T) => void>();
  constructor(readonly name: string, readonly log: Logger) {}

  /** Adds `fn`; returns the unsubscribe. */
  add(fn: (arg: T) => void): () => void {
    this.#fns.add(fn);
    return () => this.#fns.delete(fn);
  }

  /** Calls every listener with `arg`. */
  emit(arg: T): void {
    for (const fn of [...this.#fns]) {
      try {
        fn(arg);
      } catch (err) {
        this.log.warn(`${this.name} listener failed`, { error: String(err) });
      }
    }
  }
}
