/**
 * The reconnect schedule of one account: counts failed connections, waits
 * the backoff of the policy on the channel's clock, and says when the
 * attempts are used up. The connection decides what each outcome means.
 *
 * @module
 */

import { reconnectDelayMs } from "./backoff.ts";
import type { ReconnectPolicy, WhatsAppClock } from "./types.ts";

/** The real clock (tests pass their own). */
export const systemClock: WhatsAppClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as number,
  clearTimeout: (id) => clearTimeout(id),
  random: Math.random,
};

/** The account's reconnect attempts and the one pending reconnect timer. */
export class Reconnects {
  #attempts = 0;
  #timer: number | undefined;

  constructor(readonly policy: ReconnectPolicy, readonly clock: WhatsAppClock) {}

  /** Failed connections since the last open (capped at the policy's maximum). */
  get attempts(): number {
    return this.#attempts;
  }

  /** Starts counting again (an open socket, or an operator's start). */
  reset(): void {
    this.#attempts = 0;
  }

  /** Drops a pending reconnect. */
  cancel(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Counts one more failed connection and calls `fire` after the backoff;
   * returns that delay, or undefined (nothing scheduled) once the policy's
   * attempts are used up.
   */
  schedule(fire: () => void): number | undefined {
    this.cancel();
    this.#attempts++;
    if (this.#attempts > this.policy.maxAttempts) {
      this.#attempts = this.policy.maxAttempts;
      return undefined;
    }
    const delay = reconnectDelayMs(this.policy, this.#attempts, this.clock.random);
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      fire();
    }, delay);
    return delay;
  }
}
