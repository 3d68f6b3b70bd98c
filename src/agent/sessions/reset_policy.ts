/**
 * Automatic session resets (spec `agent.md` section 7.4): `session.reset`
 * `{mode: none|daily|idle, atHour, idleMinutes}`, overridden per chat type
 * (`resetByType`) and per channel (`resetByChannel`). Pure: the engine asks
 * {@link resetDue} when it opens a session and calls `reset` when told to.
 *
 * @module
 */

import type { SessionConfig } from "../../config/schema_agent.ts";
import type { SessionEntry } from "../types.ts";

/** One reset policy. */
export interface ResetPolicy {
  mode?: "none" | "daily" | "idle";
  /** Local hour of the daily reset (default 4). */
  atHour?: number;
  idleMinutes?: number;
}

/** The policy for a session: channel override, then chat type, then `session.reset`. */
export function pickResetPolicy(
  session: SessionConfig | undefined,
  where: { chatType?: string; channel?: string },
): ResetPolicy {
  return (where.channel ? session?.resetByChannel?.[where.channel] : undefined) ??
    (where.chatType ? session?.resetByType?.[where.chatType] : undefined) ??
    session?.reset ?? { mode: "none" };
}

/**
 * Whether the session should start over before this turn: `daily` when its
 * last activity is before the latest `atHour` boundary in `timeZone`,
 * `idle` when it has been quiet longer than `idleMinutes`.
 */
export function resetDue(
  entry: Pick<SessionEntry, "updatedAt" | "lastInteractionAt">,
  policy: ResetPolicy,
  now: number,
  timeZone = "UTC",
): "daily" | "idle" | undefined {
  const last = entry.lastInteractionAt ?? entry.updatedAt;
  if (policy.mode === "idle") {
    const minutes = policy.idleMinutes ?? 0;
    return minutes > 0 && now - last > minutes * 60_000 ? "idle" : undefined;
  }
  if (policy.mode === "daily") {
    return last < dailyBoundary(now, policy.atHour ?? 4, timeZone) ? "daily" : undefined;
  }
  return undefined;
}

/** The latest moment at or before `now` when the local clock in `timeZone` read `hour`:00. */
export function dailyBoundary(now: number, hour: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    }).formatToParts(now).map((p) => [p.type, Number(p.value)]),
  );
  const localAsUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const offset = localAsUtc - Math.floor(now / 1000) * 1000;
  let boundary = Date.UTC(parts.year, parts.month - 1, parts.day, hour) - offset;
  if (boundary > now) boundary -= 86_400_000;
  return boundary;
}
