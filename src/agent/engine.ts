/**
 * The agent engine: admission (idempotency, lanes), run lifecycle (abort,
 * timeout), and the event fan-out every caller shares. A turn itself is
 * `run.ts`.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import { LaneCancelled, Lanes } from "./lanes.ts";
import type { RunParts } from "./ports.ts";
import { RunCache } from "./run_cache.ts";
import { RunStop } from "./run_end.ts";
import { interruptedResult, unfinishedResult } from "./engine_results.ts";
import { DELTA_COALESCE_MS, RunEmitter } from "./run_events.ts";
import { runTurn } from "./run.ts";
import {
  canonicalSessionKey,
  DEFAULT_AGENT_ID,
  explicitSessionKey,
  normalizeAgentId,
} from "./sessions/keys.ts";
import type { AgentEngine, RunEvent, RunHandle, RunRequest, RunResult } from "./types.ts";

/** Default run timeout: 600 s (see README: a stuck turn must not hold a lane for 48 h). */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** How long `stop()` waits for aborted runs to settle. */
export const STOP_GRACE_MS = 5_000;

/** Live engine settings, read on every run (config hot reload). */
export interface EngineSettings {
  /** `agents.defaults.timeoutSeconds` (0 = no limit). */
  timeoutSeconds: number;
  /** `agents.defaults.maxConcurrent`. */
  maxConcurrent: number;
  /** `session.mainKey`. */
  mainKey: string;
  /** The default agent id. */
  defaultAgentId: string;
}

/** Inputs of {@link createEngine}. */
export interface EngineDeps {
  /** The parts, for the config in force (rebuilt by the caller when it changes). */
  parts: () => RunParts;
  settings: () => EngineSettings;
  log: Logger;
  /** Where finished runs are recorded (`<stateDir>/agents/runs.jsonl`); absent = memory only. */
  runCachePath?: string;
  coalesceMs?: number;
}

/** The engine, plus what the methods need beyond {@link AgentEngine}. */
export interface AgentEngineRuntime extends AgentEngine {
  /** The result of `runId` once it ends, or `undefined` after `timeoutMs`. */
  wait(runId: string, timeoutMs: number): Promise<RunResult | undefined>;
  /** Ids of runs queued or running on a session. */
  activeRuns(sessionKey: string): string[];
  /** The session of a queued or running run. */
  sessionOf(runId: string): string | undefined;
  /** The canonical key of a caller's session key. */
  canonicalKey(raw: string, agentId?: string): string;
  /** The parts in force (sessions, catalog) for the methods that read them. */
  parts(): RunParts;
  /** Runs `fn` in the session's lane (no turn runs meanwhile), e.g. compaction. */
  inLane<T>(sessionKey: string, fn: () => Promise<T>): Promise<T>;
  /** Sends an event that is not a run's (approvals, session changes) to every subscriber. */
  publish(ev: RunEvent): void;
}

interface Active {
  runId: string;
  sessionKey: string;
  controller: AbortController;
  done: Promise<RunResult>;
  acceptedAt: number;
  agentId: string;
}

/** Builds the engine (no I/O until `start()`). */
export function createEngine(deps: EngineDeps): AgentEngineRuntime {
  const listeners = new Set<(ev: RunEvent) => void>();
  const active = new Map<string, Active>();
  // `agent.wait` callers of runs not admitted yet (bounded by their own timeouts).
  const admitWaiters = new Map<string, Set<(done: Promise<RunResult>) => void>>();
  const cache = new RunCache({ path: deps.runCachePath });
  const lanes = new Lanes(() => deps.settings().maxConcurrent);
  let stopped = false;
  // Runs wait for the record to load, so a retry right after a restart is seen.
  let ready: Promise<void> = Promise.resolve();

  const emit = (ev: RunEvent) => {
    for (const fn of listeners) {
      try {
        fn(ev);
      } catch (err) {
        deps.log.warn("agent event listener failed", { error: (err as Error).message });
      }
    }
  };

  const canonicalKey = (raw: string, agentId?: string) =>
    canonicalSessionKey(raw, {
      agentId: agentId ?? deps.settings().defaultAgentId,
      mainKey: deps.settings().mainKey,
    });

  const replay = (key: string, retryInterrupted = false): RunHandle | undefined => {
    const running = active.get(key);
    if (running) {
      return {
        runId: running.runId,
        sessionKey: running.sessionKey,
        agentId: running.agentId,
        acceptedAt: running.acceptedAt,
        duplicate: true,
        done: running.done,
      };
    }
    const hit = cache.get(key);
    if (!hit || (hit.state !== "done" && retryInterrupted)) return undefined;
    const result = hit.state === "done" ? hit.result : interruptedResult(hit);
    return {
      runId: result.runId,
      sessionKey: result.sessionKey,
      agentId: result.agentId,
      acceptedAt: result.startedAt,
      duplicate: true,
      done: Promise.resolve(result),
    };
  };

  const engine: AgentEngineRuntime = {
    async run(req: RunRequest): Promise<RunHandle> {
      await ready;
      const key = req.idempotencyKey;
      const dup = replay(key, req.retryInterrupted === true);
      if (dup) return dup;
      if (stopped) throw new Error("The agent engine is stopped");
      const settings = deps.settings();
      const agentId = normalizeAgentId(req.agentId ?? settings.defaultAgentId ?? DEFAULT_AGENT_ID);
      const sessionKey = req.sessionKey
        ? canonicalKey(req.sessionKey, agentId)
        : explicitSessionKey(agentId, req.sessionId ?? key);
      const runId = key;
      const acceptedAt = Date.now();
      const controller = new AbortController();
      const emitter = new RunEmitter(
        { runId, sessionKey, agentId },
        emit,
        deps.coalesceMs ?? DELTA_COALESCE_MS,
      );
      // Reached with a "started" record only through `retryInterrupted`.
      const resumed = cache.get(key)?.state === "started";
      cache.started(key, { runId, sessionKey, agentId });
      const timeoutMs = req.timeoutMs ?? settings.timeoutSeconds * 1000;
      const execute = async () => {
        const timer = timeoutMs > 0
          ? setTimeout(() => controller.abort(new RunStop("timeout")), timeoutMs)
          : undefined;
        try {
          return await runTurn(
            {
              runId,
              agentId,
              sessionKey,
              sessionId: req.sessionId ?? (req.sessionKey ? undefined : key),
              message: req.message,
              images: req.images,
              thinking: req.thinking,
              model: req.model,
              extraSystemPrompt: req.extraSystemPrompt,
              channel: req.channel ?? "webchat",
              history: req.history,
              clientTools: req.clientTools,
              client: req.client,
              interpretCommands: req.interpretCommands ?? false,
              createdVia: req.channel ? "channel" : "operator",
              startedAt: Date.now(),
              resumed,
            },
            deps.parts(),
            emitter,
            controller.signal,
          );
        } finally {
          clearTimeout(timer);
        }
      };
      // `/stop` must not queue behind the run it stops.
      const stopCommand = req.interpretCommands === true && /^\/stop\s*$/i.test(req.message.trim());
      const done = (stopCommand ? execute() : lanes.run(sessionKey, execute, controller.signal))
        .catch((err): RunResult => {
          const stop = controller.signal.reason instanceof RunStop
            ? controller.signal.reason
            : undefined;
          if (!(err instanceof LaneCancelled)) {
            deps.log.error("agent run failed", { runId, error: (err as Error).message });
          } else if (stop?.kind === "rpc") {
            // Aborted while queued: it never started, but its chat still needs an end.
            emitter.chat("aborted", { stopReason: "rpc" });
          }
          const ids = { runId, sessionKey, sessionId: req.sessionId ?? runId, agentId };
          return unfinishedResult(ids, { err, stop, startedAt: acceptedAt });
        }).then((result) => {
          active.delete(key);
          // Cut short by a shutdown: the `started` record stays, so a retry after
          // the restart is answered "interrupted" (as after a crash), not run again.
          const reason = controller.signal.reason;
          if (!(reason instanceof RunStop && reason.kind === "shutdown")) cache.done(key, result);
          return result;
        });
      active.set(key, { runId, sessionKey, controller, done, acceptedAt, agentId });
      for (const notify of admitWaiters.get(key) ?? []) notify(done);
      admitWaiters.delete(key);
      return { runId, sessionKey, agentId, acceptedAt, duplicate: false, done };
    },

    abort(sessionKey: string, runId?: string): string[] {
      const ids: string[] = [];
      for (const run of active.values()) {
        if (run.sessionKey !== sessionKey || (runId && run.runId !== runId)) continue;
        if (run.controller.signal.aborted) continue;
        run.controller.abort(new RunStop("rpc"));
        ids.push(run.runId);
      }
      return ids;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async wait(runId, timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onAdmit: ((done: Promise<RunResult>) => void) | undefined;
      const timeout = new Promise<undefined>((
        r,
      ) => (timer = setTimeout(() => r(undefined), timeoutMs)));
      // A run not admitted yet (e.g. a message still on its way) is waited for too.
      const done = replay(runId)?.done ?? new Promise<RunResult>((resolve) => {
        onAdmit = (d) => d.then(resolve);
        let list = admitWaiters.get(runId);
        if (!list) admitWaiters.set(runId, list = new Set());
        list.add(onAdmit);
      });
      try {
        return await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
        const list = admitWaiters.get(runId);
        if (onAdmit && list) {
          list.delete(onAdmit);
          if (!list.size) admitWaiters.delete(runId);
        }
      }
    },

    activeRuns(sessionKey) {
      return [...active.values()].filter((r) => r.sessionKey === sessionKey).map((r) => r.runId);
    },

    publish: emit,
    inLane: (sessionKey, fn) => lanes.run(sessionKey, fn),
    sessionOf: (runId) => active.get(runId)?.sessionKey,
    canonicalKey,
    parts: () => deps.parts(),

    async start() {
      ready = cache.load().catch((err) => {
        deps.log.warn(`agent run record unreadable, starting empty: ${(err as Error).message}`);
      });
      await ready;
    },

    async stop() {
      stopped = true;
      const runs = [...active.values()];
      for (const run of runs) run.controller.abort(new RunStop("shutdown"));
      // Bounded: a tool that ignores its abort signal must not hold the shutdown.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled(runs.map((r) => r.done)),
        new Promise((r) => (timer = setTimeout(r, STOP_GRACE_MS))),
      ]);
      clearTimeout(timer);
      await cache.flush();
    },
  };
  return engine;
}
