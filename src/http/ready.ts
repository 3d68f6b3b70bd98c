/**
 * Readiness probes (spec http.md section 7): `/ready` and `/readyz` answer
 * 200 once start-up is done, the gateway is not draining and every
 * configured channel passes its check, else 503; `/startup` and `/startupz`
 * answer the start-up phase. Unauthenticated; the per-check details go only
 * to loopback callers or callers with the gateway secret.
 *
 * @module
 */

import { isLoopbackAddress } from "../server/auth.ts";
import { json } from "./_common.ts";

/** Start-up phase of the gateway. */
export type Phase = "starting" | "started" | "draining";

/** One readiness check (a channel, the agent). */
export interface ReadyCheck {
  name: string;
  ok: boolean;
  /** Why not, for authenticated callers. */
  detail?: string;
}

/** What the probes read. */
export interface Readiness {
  phase: Phase;
  checks: ReadyCheck[];
}

/**
 * One check per channel: `/ready` holds at 503 while a channel with an
 * enabled account is not running.
 */
export function channelReadyChecks(channels: Record<string, { ok: boolean }>): ReadyCheck[] {
  return Object.entries(channels).map(([id, c]) => ({
    name: `channel:${id}`,
    ok: c.ok,
    ...(c.ok ? {} : { detail: "not running (see channels.status)" }),
  }));
}

/** `GET|HEAD /ready`, `/readyz`. */
export function readyResponse(
  state: Readiness,
  caller: { remoteIp: string; authed: boolean },
  headers: Record<string, string> = {},
): Response {
  const ready = state.phase === "started" && state.checks.every((c) => c.ok);
  const detailed = caller.authed || isLoopbackAddress(caller.remoteIp);
  const body = detailed ? { ready, status: state.phase, checks: state.checks } : { ready };
  return json(ready ? 200 : 503, body, {
    "Cache-Control": "no-store",
    ...(ready ? {} : { "Retry-After": "1" }),
    ...headers,
  });
}

/** `GET|HEAD /startup`, `/startupz`. */
export function startupResponse(state: Readiness, headers: Record<string, string> = {}): Response {
  return json(state.phase === "started" ? 200 : 503, { status: state.phase }, {
    "Cache-Control": "no-store",
    ...headers,
  });
}
