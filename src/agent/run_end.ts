/**
 * How a turn ends: success, abort (`chat.abort`), timeout or failure, each
 * with the spec's terminal events (6.1, 6.2), transcript rows and result.
 *
 * @module
 */

import type { TurnInput } from "./run.ts";
import type { RunParts } from "./ports.ts";
import { assistantMessage, type RunEmitter } from "./run_events.ts";
import { ProviderError, type ResolvedModel, type RunResult, type Usage } from "./types.ts";

import { TIMEOUT_TEXT } from "./timeout_text.ts";

export { TIMEOUT_TEXT };

/** Why a run was stopped from outside; the abort reason of its signal. */
export class RunStop extends Error {
  constructor(readonly kind: "rpc" | "timeout" | "shutdown") {
    super(
      kind === "rpc"
        ? "This operation was aborted"
        : kind === "timeout"
        ? TIMEOUT_TEXT
        : "The gateway is shutting down",
    );
    this.name = "RunStop";
  }
}

/** What a turn accumulated, for its ending. */
export interface TurnState {
  input: TurnInput;
  emitter: RunEmitter;
  parts: RunParts;
  signal: AbortSignal;
  usage: Usage;
  lastCallUsage?: Usage;
  providerStarted: boolean;
  sessionId: string;
  replyText: string;
  model?: ResolvedModel;
  promptReport?: Record<string, unknown>;
  /** The session entry exists (transcript rows can be written). */
  opened?: boolean;
  /** `abortedLastRun` of the entry when the turn began. */
  abortedBefore?: boolean;
  /** Calls of caller-defined tools that ended the run. */
  clientToolCalls?: RunResult["clientToolCalls"];
}

function base(state: TurnState): Omit<RunResult, "status" | "text"> {
  const { input } = state;
  return {
    runId: input.runId,
    sessionKey: input.sessionKey,
    sessionId: state.sessionId,
    agentId: input.agentId,
    usage: state.usage,
    ...(state.model ? { provider: state.model.ref.provider, model: state.model.ref.model } : {}),
    ...(state.promptReport ? { promptReport: state.promptReport } : {}),
    ...(state.clientToolCalls ? { clientToolCalls: state.clientToolCalls } : {}),
    startedAt: input.startedAt,
    endedAt: Date.now(),
  };
}

async function touchSession(state: TurnState, aborted: boolean): Promise<void> {
  if (!state.opened) return;
  const { input, parts } = state;
  try {
    // One index write per turn where possible: the index is shared by every
    // session of the agent, so its writes (fsync'd) bound the turn rate.
    const used = state.usage.totalTokens > 0 || state.usage.input > 0 || state.usage.output > 0;
    if (used) {
      await parts.sessions.recordUsage(
        input.agentId,
        input.sessionKey,
        state.usage,
        state.model?.contextWindow,
      );
    }
    if (!used || (state.abortedBefore ?? false) !== aborted) {
      const entry = await parts.sessions.update(input.agentId, input.sessionKey, {
        lastInteractionAt: Date.now(),
        abortedLastRun: aborted,
      });
      state.emitter.sessionsChanged(entry);
    } else state.emitter.sessionsChanged({});
  } catch {
    // The index is bookkeeping: the transcript already holds the turn.
  }
}

/** A turn that ended normally. */
export async function finishOk(state: TurnState, stopReason: RunResult["stopReason"]) {
  const { emitter, input } = state;
  emitter.close();
  const text = emitter.text;
  const endedAt = Date.now();
  // Bookkeeping first: once a client sees the terminal event, the run is over.
  await touchSession(state, false);
  const seq = emitter.agent("lifecycle", {
    phase: "end",
    startedAt: input.startedAt,
    endedAt,
    stopReason,
    aborted: false,
    livenessState: "working",
    terminalReply: { disposition: "visible", text },
    executionSettled: true,
  });
  emitter.chat("final", { stopReason, message: assistantMessage(text) }, seq);
  return { ...base(state), status: "ok", text, stopReason } satisfies RunResult;
}

/** A turn that was aborted, timed out or failed. */
export async function finishError(state: TurnState, err: unknown): Promise<RunResult> {
  const { emitter, input, parts, signal } = state;
  emitter.close();
  const stop = signal.aborted && signal.reason instanceof RunStop ? signal.reason : undefined;
  const partial = emitter.text;
  const endedAt = Date.now();
  if (stop && state.opened && partial) {
    await parts.sessions.append(input.agentId, input.sessionKey, {
      type: "message",
      message: {
        role: "assistant",
        content: [{ type: "text", text: partial }],
        stopReason: "aborted",
        timestamp: endedAt,
        openclawAbort: { aborted: true, origin: stop.kind, runId: input.runId },
        __openclaw: { runId: input.runId },
      },
    }).catch(() => {});
  }
  if (stop?.kind === "rpc") {
    await touchSession(state, true);
    emitter.agent("lifecycle", {
      phase: "end",
      status: "cancelled",
      aborted: true,
      stopReason: "rpc",
      startedAt: input.startedAt,
      endedAt,
    });
    const seq = emitter.agent("lifecycle", {
      phase: "error",
      error: stop.message,
      aborted: true,
      stopReason: "aborted",
      executionSettled: true,
    });
    emitter.chat("aborted", { stopReason: "rpc", message: assistantMessage(partial) }, seq);
    return { ...base(state), status: "aborted", text: partial, stopReason: "rpc" };
  }
  if (stop?.kind === "timeout") {
    await touchSession(state, true);
    const seq = emitter.agent("lifecycle", {
      phase: "error",
      startedAt: input.startedAt,
      endedAt,
      error: TIMEOUT_TEXT,
      timeoutPhase: "provider",
      providerStarted: state.providerStarted,
      aborted: true,
      executionSettled: true,
    });
    emitter.chat("error", { errorMessage: TIMEOUT_TEXT, errorKind: "timeout" }, seq);
    return { ...base(state), status: "timeout", text: TIMEOUT_TEXT, error: TIMEOUT_TEXT };
  }
  const message = stop?.message ?? (err instanceof Error ? err.message : String(err));
  if (!partial && state.opened) {
    await parts.sessions.append(input.agentId, input.sessionKey, {
      type: "custom",
      customType: "run-failed-before-reply",
      content: `This turn ended before a reply: ${message}`,
      display: true,
    }).catch(() => {});
  }
  await touchSession(state, false);
  emitter.agent("lifecycle", { phase: "model", provider: null, model: null });
  const seq = emitter.agent("lifecycle", {
    phase: "error",
    startedAt: input.startedAt,
    endedAt,
    error: message,
    executionSettled: true,
  });
  const detail = err instanceof ProviderError
    ? {
      errorKind: err.reason === "rate_limit" || err.reason === "timeout" ? err.reason : "unknown",
      errorDetail: {
        provider: err.provider,
        model: err.model,
        failoverReason: err.reason,
        ...(err.status ? { httpStatus: err.status } : {}),
      },
    }
    : {};
  emitter.chat("error", { errorMessage: message, ...detail }, seq);
  if (!partial) {
    emitter.sessionNote(
      `⚠️ Agent failed before reply: ${message}\nTo view logs, run \`openclaw logs --follow\` in a terminal.`,
    );
  }
  return { ...base(state), status: "error", text: partial, error: message, stopReason: "error" };
}
