/**
 * Who may open a WebSocket: the browser-origin check, and admission of
 * unauthenticated sockets. Sockets waiting for `connect` are capped per
 * address and in total; a new socket past a cap evicts the oldest waiting
 * one instead of being refused, so silent sockets cannot lock out a client
 * that completes its handshake promptly.
 *
 * @module
 */

import type { AuthMode } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import { isLoopbackAddress } from "./auth.ts";
import { errorResponse } from "./http1.ts";
import { checkOrigin } from "./origin.ts";
import { type ConnInfo, type UpgradeRequest, upgradeWebSocket } from "./serve.ts";
import { type SessionDeps, WsSession } from "./ws_session.ts";

/** At most this many sockets may wait for their handshake at once... */
export const MAX_PENDING = 1024;
/** ...and at most this many from one address. */
export const MAX_PENDING_PER_IP = 64;
/** Close code of a waiting socket evicted by a newer one (RFC 6455 "try again later"). */
export const EVICTED_CLOSE = { code: 1013, reason: "too many sockets waiting for connect" };

/** What admission needs from the gateway. */
export interface UpgradeDeps {
  stopping(): boolean;
  allowedOrigins(): readonly string[];
  authMode(): AuthMode;
  session: SessionDeps;
  log: Logger;
  /** Tests only: rewrites the peer address (see `GatewaySettings.peerAddress`). */
  peerAddress?: (remoteIp: string) => string;
}

/** The sockets of one gateway instance, from upgrade to close. */
export class SocketAdmission {
  /** Unauthenticated sockets, oldest first. */
  readonly pending = new Set<WsSession>();
  /** Sockets the transport has not reported closed yet. */
  readonly live = new Set<WsSession>();
  #deps: UpgradeDeps;
  /** What every session is given: the gateway's deps, plus the release back to admission. */
  #sessionDeps: SessionDeps;
  #lastWarning = new Map<string, number>();
  #drained: (() => void) | undefined;

  constructor(deps: UpgradeDeps) {
    this.#deps = deps;
    this.#sessionDeps = { ...deps.session, released: (session) => this.#released(session) };
  }

  // The transport closed a socket (before or after its handshake).
  #released(session: WsSession): void {
    this.pending.delete(session);
    this.live.delete(session);
    if (this.live.size === 0) this.#drained?.();
  }

  /** A session finished its handshake: it no longer counts as waiting. */
  opened(session: WsSession): void {
    this.pending.delete(session);
  }

  /** Handles an upgrade request: a refusal, or the upgrade. */
  upgrade(req: UpgradeRequest, info: ConnInfo): Response {
    if (this.#deps.stopping()) return errorResponse(503, "Gateway is shutting down");
    const origin = checkOrigin(req.headers, this.#deps.allowedOrigins());
    if (!origin.ok) {
      // Whatever a client sent, quoted short: it lands in a log line and an answer.
      const shown = JSON.stringify(origin.origin.slice(0, 100));
      this.#warnOnce(
        "origin",
        `upgrade refused (403): origin ${shown} is ${origin.reason}`,
      );
      return errorResponse(
        403,
        `Origin ${shown} is not allowed: open the page from the gateway's own address ` +
          "or add the origin to gateway.controlUi.allowedOrigins",
      );
    }
    if (origin.browser && this.#deps.authMode() === "none") {
      return errorResponse(
        403,
        'Browser connections need auth: gateway.auth.mode "none" admits only non-browser ' +
          "clients (set gateway.auth.token)",
      );
    }
    const remoteIp = this.#deps.peerAddress?.(info.remoteIp) ?? info.remoteIp;
    this.#makeRoom(remoteIp);
    return upgradeWebSocket(req, (socket) => {
      const session = new WsSession(socket, {
        remoteIp,
        isLoopback: isLoopbackAddress(remoteIp),
        browserOrigin: origin.browser,
        host: req.headers.get("host")?.slice(0, 300) ?? undefined,
      }, this.#sessionDeps);
      this.pending.add(session);
      this.live.add(session);
      // The session handles the socket's events itself (it releases itself
      // from admission on close): no wrapper closures per connection.
      return session;
    });
  }

  /** Evicts the oldest waiting socket(s) so one more from `ip` fits both caps. */
  #makeRoom(ip: string): void {
    let fromPeer = 0;
    let oldestFromPeer: WsSession | undefined;
    for (const p of this.pending) {
      if (p.peer.remoteIp !== ip) continue;
      fromPeer++;
      oldestFromPeer ??= p;
    }
    let victim: WsSession | undefined;
    if (fromPeer >= MAX_PENDING_PER_IP) victim = oldestFromPeer;
    else if (this.pending.size >= MAX_PENDING) victim = this.pending.values().next().value;
    if (!victim) return;
    this.#warnOnce(
      "evict",
      "too many sockets waiting for their handshake: closing the oldest " +
        `(${this.pending.size} waiting, ${fromPeer} from ${ip})`,
    );
    this.pending.delete(victim);
    victim.close(EVICTED_CLOSE.code, EVICTED_CLOSE.reason);
  }

  /** Closes the oldest waiting socket (the process is short of descriptors). */
  shedOldest(): boolean {
    const victim = this.pending.values().next().value;
    if (!victim) return false;
    this.pending.delete(victim);
    victim.close(EVICTED_CLOSE.code, EVICTED_CLOSE.reason);
    return true;
  }

  /** Closes every waiting socket. */
  closePending(code: number, reason: string): void {
    for (const session of this.pending) session.close(code, reason);
    this.pending.clear();
  }

  /** Resolves when every socket has closed, or after `ms`. */
  async drained(ms: number): Promise<void> {
    if (this.live.size === 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#drained = () => (clearTimeout(t), resolve());
    });
  }

  // Said once a minute per kind: a flood must not flood the log too.
  #warnOnce(kind: "origin" | "evict", message: string): void {
    const now = Date.now();
    if (now - (this.#lastWarning.get(kind) ?? 0) < 60_000) return;
    this.#lastWarning.set(kind, now);
    this.#deps.log.warn(message);
  }
}
