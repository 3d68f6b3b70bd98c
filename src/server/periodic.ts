/**
 * The instance's periodic work: `tick` keepalive events, housekeeping
 * (pruning stale presence rows and limiter entries) and health refreshes.
 *
 * @module
 */

import { HEALTH_REFRESH_MS } from "./health.ts";
import type { Hub } from "./hub.ts";

/** How often housekeeping runs. */
export const HOUSEKEEPING_MS = 60_000;

/** What the timers call. */
export interface PeriodicDeps {
  hub: Pick<Hub, "broadcast">;
  /** `gateway.policy.tickIntervalMs` at start (a change takes a restart). */
  tickIntervalMs: number;
  /** Prunes what expires (presence rows, limiter entries). */
  housekeeping(): void;
  /** Re-reads health and pushes it. */
  refreshHealth(): void;
}

/** Starts the timers; `stop()` clears them all. */
export function startPeriodic(deps: PeriodicDeps): { stop(): void } {
  const tick = setInterval(
    () => deps.hub.broadcast("tick", { ts: Date.now() }),
    deps.tickIntervalMs,
  );
  const housekeeping = setInterval(() => deps.housekeeping(), HOUSEKEEPING_MS);
  const health = setInterval(() => deps.refreshHealth(), HEALTH_REFRESH_MS);
  return {
    stop() {
      clearInterval(tick);
      clearInterval(housekeeping);
      clearInterval(health);
    },
  };
}
