/**
 * The events of one run: `agent` and `chat` payloads sharing one per-run
 * `seq` (spec 6.1, 6.2), with assistant text coalesced: the first chunk goes
 * out at once (time to first token), later chunks at most every
 * {@link DELTA_COALESCE_MS}.
 *
 * @module
 */

import type { RunEvent } from "./types.ts";

/** Delta throttle (protocol.md: ~150 ms). */
export const DELTA_COALESCE_MS = 150;

/** Who a run is. */
export interface RunIdentity {
  runId: string;
  sessionKey: string;
  agentId: string;
  sessionId?: string;
}

/** Emits the events of one run. */
export class RunEmitter {
  #seq = 0;
  #id: RunIdentity;
  #sink: (ev: RunEvent) => void;
  #coalesceMs: number;
  /** Cumulative text of the current assistant message. */
  #text = "";
  #pending = "";
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastFlush = 0;
  #itemIndex = 0;

  constructor(id: RunIdentity, sink: (ev: RunEvent) => void, coalesceMs = DELTA_COALESCE_MS) {
    this.#id = id;
    this.#sink = sink;
    this.#coalesceMs = coalesceMs;
  }

  /** The session id, once the session is resolved. */
  set sessionId(id: string) {
    this.#id = { ...this.#id, sessionId: id };
  }

  /** The reply text so far (all model calls of the run, as streamed). */
  get text(): string {
    return this.#text;
  }

  /** An `agent` event; returns its seq. `toolEvent` ones reach only `tool-events` clients. */
  agent(stream: string, data: Record<string, unknown>, opts: { toolEvent?: boolean } = {}) {
    const seq = ++this.#seq;
    const { runId, sessionKey, sessionId, agentId } = this.#id;
    this.#sink({
      event: "agent",
      payload: {
        runId,
        stream,
        data,
        sessionKey,
        ...(sessionId ? { sessionId } : {}),
        agentId,
        seq,
        ts: Date.now(),
      },
      ...(opts.toolEvent ? { toolEvent: true } : {}),
    });
    return seq;
  }

  /** A `chat` event at `seq` (the agent event it mirrors), or a fresh seq. */
  chat(state: string, fields: Record<string, unknown>, seq?: number): void {
    const { runId, sessionKey, agentId } = this.#id;
    this.#sink({
      event: "chat",
      payload: { runId, sessionKey, agentId, seq: seq ?? ++this.#seq, state, ...fields },
    });
  }

  /** `run_status` + `chat status` with the same seq. */
  status(phase: string): void {
    const seq = this.agent("run_status", { phase });
    this.chat("status", { phase }, seq);
  }

  /** A new model call starts: its assistant item gets the next index. */
  nextItem(): void {
    this.flush();
    this.#itemIndex++;
  }

  /** A chunk of assistant text. */
  delta(chunk: string): void {
    if (!chunk) return;
    this.#pending += chunk;
    const now = Date.now();
    if (now - this.#lastFlush >= this.#coalesceMs && !this.#timer) return this.flush();
    this.#timer ??= setTimeout(() => this.flush(), this.#coalesceMs - (now - this.#lastFlush));
  }

  /** Sends buffered text now (before tool calls and terminal events). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pending) return;
    const delta = this.#pending;
    this.#pending = "";
    this.#text += delta;
    this.#lastFlush = Date.now();
    const seq = this.agent("assistant", {
      text: this.#text,
      delta,
      itemId: `${this.#id.runId}:${this.#itemIndex}`,
    });
    this.chat("delta", { deltaText: delta, message: assistantMessage(this.#text) }, seq);
  }

  /**
   * The session-level error note of a failed run (obs.: its own `seq: 1`,
   * no agentId), shown by chat UIs under the turn.
   */
  sessionNote(errorMessage: string): void {
    const { runId, sessionKey } = this.#id;
    this.#sink({
      event: "chat",
      payload: { runId, sessionKey, seq: 1, state: "error", errorMessage },
    });
  }

  /** `sessions.changed` for the run's session (`session` row when the caller has it). */
  sessionsChanged(session: Record<string, unknown>, reason = "activity-summary"): void {
    const { sessionKey, agentId } = this.#id;
    const row = Object.keys(session).length ? { session: { key: sessionKey, ...session } } : {};
    this.#sink({ event: "sessions.changed", payload: { sessionKey, agentId, reason, ...row } });
  }

  /** Stops the coalescing timer (the run ended). */
  close(): void {
    this.flush();
  }
}

/** The cumulative assistant snapshot of `chat` events. */
export function assistantMessage(text: string): Record<string, unknown> {
  return { role: "assistant", content: [{ type: "text", text }], timestamp: Date.now() };
}
