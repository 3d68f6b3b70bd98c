/**
 * A TEST DOUBLE of the agent engine: it echoes the message back, streams the
 * echo as `chat` delta events, serialises runs per session key, joins
 * duplicate idempotency keys, and records every request. The real engine
 * and a scripted provider replace it in the final end-to-end tests.
 *
 * @module
 */

import type {
  AgentEngine,
  RunEvent,
  RunHandle,
  RunRequest,
  RunResult,
} from "../../src/agent/types.ts";

/** Options of {@link EchoEngine}. */
export interface EchoEngineOptions {
  /** The reply for a request (default: `echo: <message>`). */
  reply?: (req: RunRequest) => string;
  /** Number of streamed deltas per reply (default 3). */
  deltas?: number;
  /** Pause before each delta (default 0). */
  deltaDelayMs?: number;
  /** Runs whose message matches end with status `error`. */
  failOn?: RegExp;
}

const ZERO_USAGE = {
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  totalTokens: 0,
  cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
};

/** The echoing engine. */
export class EchoEngine implements AgentEngine {
  /** Every request, in arrival order (duplicates included). */
  readonly requests: RunRequest[] = [];
  /** Session keys of runs currently running (to prove per-session serialisation). */
  readonly active = new Set<string>();
  /** Set when two runs of one session overlapped. */
  overlapped = false;
  /** Most runs of one session admitted and unfinished at once (1 = callers wait their turn). */
  maxAdmitted = 0;
  #admitted = new Map<string, number>();
  #opts: EchoEngineOptions;
  #listeners = new Set<(ev: RunEvent) => void>();
  #runs = new Map<string, RunHandle>();
  #lanes = new Map<string, Promise<unknown>>();

  constructor(opts: EchoEngineOptions = {}) {
    this.#opts = opts;
  }

  run(req: RunRequest): Promise<RunHandle> {
    this.requests.push(req);
    const known = this.#runs.get(req.idempotencyKey);
    if (known) return Promise.resolve({ ...known, duplicate: true });
    const sessionKey = req.sessionKey ?? "agent:main:main";
    const prev = this.#lanes.get(sessionKey) ?? Promise.resolve();
    const n = (this.#admitted.get(sessionKey) ?? 0) + 1;
    this.#admitted.set(sessionKey, n);
    this.maxAdmitted = Math.max(this.maxAdmitted, n);
    const done = prev.then(() => this.#execute(req, sessionKey)).finally(() =>
      this.#admitted.set(sessionKey, (this.#admitted.get(sessionKey) ?? 1) - 1)
    );
    this.#lanes.set(sessionKey, done);
    const handle: RunHandle = {
      runId: req.idempotencyKey,
      sessionKey,
      agentId: req.agentId ?? "main",
      acceptedAt: Date.now(),
      duplicate: false,
      done,
    };
    this.#runs.set(req.idempotencyKey, handle);
    return Promise.resolve(handle);
  }

  async #execute(req: RunRequest, sessionKey: string): Promise<RunResult> {
    if (this.active.has(sessionKey)) this.overlapped = true;
    this.active.add(sessionKey);
    const startedAt = Date.now();
    const text = (this.#opts.reply ?? ((r) => `echo: ${r.message}`))(req);
    const n = Math.max(1, this.#opts.deltas ?? 3);
    const step = Math.ceil(text.length / n);
    let seq = 0;
    for (let i = step; i < text.length + step; i += step) {
      if (this.#opts.deltaDelayMs) await new Promise((r) => setTimeout(r, this.#opts.deltaDelayMs));
      const soFar = text.slice(0, Math.min(i, text.length));
      this.#emit({
        event: "chat",
        payload: {
          runId: req.idempotencyKey,
          sessionKey,
          seq: ++seq,
          state: "delta",
          deltaText: soFar.slice(Math.max(0, i - step)),
          message: {
            role: "assistant",
            content: [{ type: "text", text: soFar }],
            timestamp: Date.now(),
          },
        },
      });
    }
    this.active.delete(sessionKey);
    const failed = this.#opts.failOn?.test(req.message) ?? false;
    this.#emit({
      event: "chat",
      payload: {
        runId: req.idempotencyKey,
        sessionKey,
        seq: ++seq,
        state: failed ? "error" : "final",
      },
    });
    return {
      runId: req.idempotencyKey,
      sessionKey,
      sessionId: "echo-session",
      agentId: req.agentId ?? "main",
      status: failed ? "error" : "ok",
      text: failed ? "" : text,
      ...(failed ? { error: "echo engine was told to fail" } : {}),
      usage: ZERO_USAGE,
      startedAt,
      endedAt: Date.now(),
    };
  }

  #emit(ev: RunEvent): void {
    for (const l of this.#listeners) l(ev);
  }

  abort(): string[] {
    return [];
  }

  subscribe(listener: (ev: RunEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
