/**
 * How an index row changes: created, reset, charged with a model call's
 * usage. Pure edits of a {@link SessionEntry}; the store does the locking
 * and writing. Private to `sessions/`.
 *
 * @module
 */

import type { SessionEntry, Usage } from "../types.ts";
import type { EnsureInit } from "./mod.ts";

/** A fresh row for `sessionId`, its transcript in `sessionFile`. */
export function newEntry(
  sessionId: string,
  sessionFile: string,
  init: EnsureInit,
  now: number,
): SessionEntry {
  return {
    sessionId,
    createdAt: now,
    updatedAt: now,
    sessionStartedAt: now,
    createdVia: init.createdVia ?? "operator",
    chatType: init.chatType ?? "direct",
    ...(init.label ? { label: init.label } : {}),
    sessionFile,
    systemSent: false,
    abortedLastRun: false,
    compactionCount: 0,
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    totalTokensFresh: true,
    delivery: { kind: "internal" },
  };
}

/** A reset: a new lifecycle and zeroed token counts; the session id stays. */
export function resetEntry(e: SessionEntry, now: number): void {
  Object.assign(e, {
    updatedAt: now,
    sessionStartedAt: now,
    lifecycleRevision: crypto.randomUUID(),
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    totalTokensFresh: true,
    abortedLastRun: false,
    systemSent: false,
  });
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** Adds one model call's usage: cumulative input/output/cache/cost, the last total. */
export function addEntryUsage(
  e: SessionEntry,
  usage: Usage,
  opts: { contextTokens?: number; now: number },
): void {
  e.inputTokens = (e.inputTokens ?? 0) + usage.input;
  e.outputTokens = (e.outputTokens ?? 0) + usage.output;
  e.cacheRead = num(e.cacheRead) + usage.cacheRead;
  e.cacheWrite = num(e.cacheWrite) + usage.cacheWrite;
  e.costTotal = num(e.costTotal) + usage.cost.total;
  e.totalTokens = usage.totalTokens;
  e.totalTokensFresh = true;
  if (opts.contextTokens !== undefined) e.contextTokens = opts.contextTokens;
  e.updatedAt = Math.max(opts.now, e.updatedAt);
  e.lastInteractionAt = opts.now;
}
