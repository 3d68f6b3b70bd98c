/**
 * The results of runs whose turn did not end them: a run a restart cut off
 * (answered from the run record, never run again), and a run stopped or
 * failed outside its turn (aborted while queued, timed out, admission error).
 *
 * @module
 */

import { RunStop, TIMEOUT_TEXT } from "./run_end.ts";
import { emptyUsage } from "./_usage.ts";
import type { RunResult } from "./types.ts";

/** The answer for a key that was admitted but never finished (crash or stop mid-turn). */
export function interruptedResult(
  hit: { at: number; runId: string; sessionKey: string; agentId: string },
): RunResult {
  return {
    runId: hit.runId,
    sessionKey: hit.sessionKey,
    sessionId: hit.runId,
    agentId: hit.agentId,
    status: "error",
    text: "",
    error: `Run "${hit.runId}" was interrupted by a gateway restart and is not run again ` +
      "(it may have had effects); send the message with a new idempotencyKey to retry",
    usage: emptyUsage(),
    startedAt: hit.at,
    endedAt: hit.at,
  };
}

/** Which run a result is about. */
export interface RunIds {
  runId: string;
  sessionKey: string;
  sessionId: string;
  agentId: string;
}

/** The result of a run that ended outside its turn: `stop` says why, else `err` failed it. */
export function unfinishedResult(
  ids: RunIds,
  end: { err: unknown; stop?: RunStop; startedAt: number },
): RunResult {
  const kind = end.stop?.kind;
  return {
    ...ids,
    status: kind === "rpc" ? "aborted" : kind === "timeout" ? "timeout" : "error",
    text: kind === "timeout" ? TIMEOUT_TEXT : "",
    error: end.stop?.message ?? (end.err as Error).message,
    usage: emptyUsage(),
    startedAt: end.startedAt,
    endedAt: Date.now(),
  };
}
