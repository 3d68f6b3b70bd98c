/**
 * How the channel makes a Baileys socket (the options that matter: pinned
 * version, configured endpoint, no history sync, no link previews, private
 * presence) and a small listener set that never lets a listener's exception
 * escape into Baileys.
 *
 * @module
 */

import type { AuthenticationState, WASocket } from "@whiskeysockets/baileys";
import type { Logger } from "../../log/logger.ts";
import { type Baileys, baileysLogger, WA_WEB_VERSION } from "./_baileys.ts";
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
