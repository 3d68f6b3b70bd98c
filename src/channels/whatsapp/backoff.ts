/**
 * Reconnect backoff of a WhatsApp account (spec channels.md section 3,
 * `web.reconnect`). Pure functions: the connection owns the timers.
 *
 * @module
 */

import type { ReconnectPolicy } from "./types.ts";

/** The spec's defaults: 2 s to 30 s, x1.8, +-25 %, 12 attempts. */
export const DEFAULT_RECONNECT: Readonly<ReconnectPolicy> = Object.freeze({
  initialMs: 2_000,
  maxMs: 30_000,
  factor: 1.8,
  jitter: 0.25,
  maxAttempts: 12,
});

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** Fills in defaults and clamps overrides (initial at least 250 ms, max at least initial). */
export function resolveReconnectPolicy(partial: Partial<ReconnectPolicy> = {}): ReconnectPolicy {
  const initialMs = clamp(partial.initialMs, 250, 600_000, DEFAULT_RECONNECT.initialMs);
  return {
    initialMs,
    maxMs: clamp(partial.maxMs, initialMs, 3_600_000, Math.max(initialMs, DEFAULT_RECONNECT.maxMs)),
    factor: clamp(partial.factor, 1, 10, DEFAULT_RECONNECT.factor),
    jitter: clamp(partial.jitter, 0, 1, DEFAULT_RECONNECT.jitter),
    maxAttempts: Math.round(clamp(partial.maxAttempts, 1, 1_000, DEFAULT_RECONNECT.maxAttempts)),
  };
}

/**
 * The wait before reconnect attempt `attempt` (1-based): `initial * factor^(attempt-1)`
 * capped at `max`, then moved by up to +-`jitter` of itself.
 */
export function reconnectDelayMs(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}
