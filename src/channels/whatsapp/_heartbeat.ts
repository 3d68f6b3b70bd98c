/**
 * A repeating timer on the channel's clock, for the `web-heartbeat` status
 * line: `run()` starts it (idempotent), `stop()` ends it.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import type { WhatsAppClock, WhatsAppStatus } from "./types.ts";

/** The `web-heartbeat` line: the account's state and inbound messages since the last line. */
export function logHeartbeat(log: Logger, s: WhatsAppStatus, inbound: number): void {
  log.child("web-heartbeat").info("WhatsApp heartbeat", {
    accountId: s.accountId,
    state: s.state,
    connected: s.connected,
    authAgeMs: s.authAgeMs,
    inbound,
    reconnectAttempts: s.reconnectAttempts,
  });
}

/** Calls `tick` every `seconds` while running; `seconds <= 0` never runs. */
export class Heartbeat {
  #timer: number | undefined;

  constructor(
    readonly clock: WhatsAppClock,
    readonly seconds: number,
    readonly tick: () => void,
  ) {}

  /** Starts ticking unless already running. */
  run(): void {
    if (this.#timer !== undefined || this.seconds <= 0) return;
    const next = () => {
      this.#timer = this.clock.setTimeout(() => {
        this.tick();
        next();
      }, this.seconds * 1000);
    };
    next();
  }

  /** Stops ticking. */
  stop(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
