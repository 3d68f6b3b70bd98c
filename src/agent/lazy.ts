/**
 * The agent runtime as the gateway holds it: nothing of the engine, tools,
 * sessions or model SDK is loaded until the first call that needs it (an
 * `agent`/`chat.*`/`sessions.*`/`models.list` request, a channel message, an
 * HTTP API request). A gateway that never runs a turn starts and idles as
 * small as one without the agent. Only the default model's health (read by
 * `health`, `status` and `hello-ok`) is answered without loading: it needs
 * the config and the catalog, not the engine.
 *
 * @module
 */

import { importLazy } from "../runtime/lazy_import.ts";
import type { AgentEngineDeps, AgentRuntime } from "./mod.ts";
import { type ModelHealth, modelHealthOf } from "./model_health.ts";
import type { AgentEngine, RunEvent } from "./types.ts";

/** The agent runtime, loaded on first use. */
export interface LazyAgent {
  /** Loads, builds and starts the runtime once; later calls get the same one. */
  load(): Promise<AgentRuntime>;
  /** The runtime when it has been loaded. */
  loaded(): AgentRuntime | undefined;
  /**
   * The engine for channels and the event bridge: `run` loads the runtime;
   * `subscribe` holds listeners until it exists; `abort` before it exists
   * aborts nothing (nothing runs).
   */
  readonly engine: AgentEngine;
  /** Default model and credential state, without loading the runtime. */
  modelHealth(): ModelHealth;
  /** Stops the runtime if it was loaded. */
  stop(): Promise<void>;
}

/** Wraps {@link AgentEngineDeps} into a {@link LazyAgent}; loads nothing. */
export function createLazyAgent(deps: AgentEngineDeps): LazyAgent {
  const listeners = new Set<(ev: RunEvent) => void>();
  let runtime: AgentRuntime | undefined;
  let loading: Promise<AgentRuntime> | undefined;
  let stopped = false;

  const load = (): Promise<AgentRuntime> =>
    loading ??= (async () => {
      const mod = await importLazy<typeof import("./mod.ts")>("src/agent/mod.ts");
      if (stopped) throw new Error("The gateway is stopping: the agent runtime is not started");
      const rt = mod.createAgentEngine(deps);
      // One forwarder for every listener, including ones added later.
      rt.engine.subscribe((ev) => {
        for (const fn of listeners) fn(ev);
      });
      runtime = rt;
      await rt.engine.start();
      return rt;
    })().catch((err) => {
      if (!runtime) loading = undefined;
      throw err;
    });

  const engine: AgentEngine = {
    run: async (req) => (await load()).engine.run(req),
    abort: (key, runId) => runtime?.engine.abort(key, runId) ?? [],
    subscribe(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    start: async () => void await load(),
    stop: async () => await runtime?.engine.stop(),
  };

  return {
    load,
    loaded: () => runtime,
    engine,
    modelHealth: () => modelHealthOf(deps.config(), deps.env),
    async stop() {
      stopped = true;
      // A load under way finishes first, so its runs are stopped too.
      await loading?.catch(() => {});
      await runtime?.stop();
    },
  };
}
