/**
 * The agent runtime: builds the model catalog, session store, workspace,
 * prompt, tools, commands and approvals from the live config and runs turns
 * through them. Channels, the HTTP APIs, the WebSocket methods and
 * `openclaw agent --local` all use the {@link AgentRuntime} this returns.
 *
 * Nothing heavy loads here: the model SDKs load on the first model call.
 *
 * @example
 * ```ts
 * const agent = createAgentEngine({ config: () => cfg, env, stateDir, log });
 * await agent.engine.start();
 * const run = await agent.engine.run({ idempotencyKey: "k1", message: "hi", sessionKey: "main" });
 * console.log((await run.done).text);
 * ```
 *
 * @module
 */

import type { Env } from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { agentSetting, configuredDefaultAgentId, foldAgentId } from "../config/agents.ts";
import type { Logger } from "../log/logger.ts";
import { type AgentEngineRuntime, createEngine, DEFAULT_TIMEOUT_SECONDS } from "./engine.ts";
import { defaultMaxConcurrent } from "./lanes.ts";
import type { RunParts } from "./ports.ts";
import { createModelCatalog, type ModelCatalogOptions } from "./providers/mod.ts";
import { createSessionStore, type SessionStore } from "./sessions/mod.ts";
import { engineSessions } from "./sessions/engine_port.ts";
import { ensureWorkspace, resolveWorkspaceDir } from "./workspace.ts";
import { buildParts } from "./_parts.ts";
import type { AgentsConfig, ToolsConfig } from "../config/schema_agent.ts";
import { toolPolicyWarnings } from "./tools/mod.ts";
import type { ModelCatalog } from "./types.ts";
import { compactSession } from "./compact.ts";
import type { MessageSend, NodesPort } from "./tools/mod.ts";
import { type ModelHealth, modelHealthOf } from "./model_health.ts";

/** A compaction's model call gives up after this long. */
export const COMPACT_TIMEOUT_MS = 120_000;

export type { AgentEngineRuntime } from "./engine.ts";

/** A workspace found in place is not checked again for this long. */
export const WORKSPACE_RECHECK_MS = 5_000;

/** Narrow deps of {@link createAgentEngine}. */
export interface AgentEngineDeps {
  /** The config in force; read on every run, so hot reloads apply to the next turn. */
  config: () => GatewayConfig;
  env: Env;
  stateDir: string;
  log: Logger;
  /** Keep the idempotency record on disk (default true; `--local` runs keep it too). */
  persistRuns?: boolean;
  /** Provider runtime edges (tests: fast retries). */
  catalog?: ModelCatalogOptions;
  /** Replaces parts (tests). */
  overrides?: Partial<RunParts>;
  /** Delta coalescing window, ms. */
  coalesceMs?: number;
  /** When the gateway started (`/status` uptime). */
  startedAt?: number;
  /** Channel sends for the agent's `message` tool (the gateway wires its channels here). */
  send?: MessageSend;
  /** The gateway's nodes for the agent's `nodes` tool (absent: no such tool). */
  nodes?: NodesPort;
}

export type { ModelHealth } from "./model_health.ts";

/** The engine and the shared parts the methods read. */
export interface AgentRuntime {
  engine: AgentEngineRuntime;
  store: SessionStore;
  catalog: ModelCatalog;
  /** The parts in force. */
  parts(): RunParts;
  /** Default model and credential state. */
  modelHealth(): ModelHealth;
  /** `sessions.list`-style defaults. */
  defaults(): {
    modelProvider: string | null;
    model: string | null;
    contextTokens: number | null;
    thinkingLevels?: string[];
  };
  /** Configured agents. */
  agents(): {
    defaultId: string;
    mainKey: string;
    agents: Array<
      { id: string; name?: string; workspace?: string; model?: string; isDefault: boolean }
    >;
  };
  /** Resolves an exec approval (`exec.approval.resolve`). */
  resolveApproval(
    id: string,
    decision: "allow-once" | "allow-always" | "deny",
    by: string,
  ): Promise<void>;
  /** Ends runs, denies pending approvals, stops background commands. */
  stop(): Promise<void>;
  /** `sessions.compact`: one summarisation call, in the session's lane. */
  compact(key: string): Promise<
    | {
      compacted: true;
      result: { summary: string; firstKeptEntryId: string; tokensBefore: number };
    }
    | { compacted: false; reason: string }
  >;
}

/** Builds the agent runtime (no I/O until `engine.start()`). */
export function createAgentEngine(deps: AgentEngineDeps): AgentRuntime {
  const { config, env, stateDir } = deps;
  const catalog = createModelCatalog(config, env, deps.catalog);
  const workspaceOf = (agentId: string) =>
    resolveWorkspaceDir({
      agentId,
      defaultAgentId: configuredDefaultAgentId(config().agents),
      agents: config().agents as never,
      env,
      stateDir,
    });
  // `engine` is defined below; the closures here run only once it exists.
  const store = createSessionStore({
    stateDir,
    cwdFor: workspaceOf,
    activeRuns: (key) => engine.activeRuns(key),
    onIssue: (m) => deps.log.warn(m),
    mainKey: (config().session as { mainKey?: string } | undefined)?.mainKey,
  });
  const shared = buildParts({
    config,
    stateDir,
    catalog,
    store,
    publish: (ev) => engine.publish(ev),
    abort: (key) => engine.abort(key),
    startedAt: deps.startedAt ?? Date.now(),
    send: deps.send,
    nodes: deps.nodes,
  });
  // Tool policy typos (`allow: ["exce"]`) leave an agent without tools: warn
  // at start, and on the first turn after a reload swaps the config.
  let checkedTools: GatewayConfig | undefined;
  const warnToolPolicy = () => {
    const cfg = config();
    if (cfg === checkedTools) return;
    checkedTools = cfg;
    const agents = cfg.agents as AgentsConfig | undefined;
    for (const m of toolPolicyWarnings({ tools: cfg.tools as ToolsConfig, agents })) {
      deps.log.warn(m);
    }
  };
  warnToolPolicy();
  const ensured = new Map<string, number>();
  const parts = (): RunParts => {
    warnToolPolicy();
    return runParts();
  };
  const runParts = (): RunParts => ({
    catalog,
    sessions: engineSessions(store),
    workspace: async (agentId) => {
      const dir = workspaceOf(agentId);
      // Checked at most every few seconds: six file operations per turn add up.
      const at = ensured.get(dir);
      if (at !== undefined && Date.now() - at < WORKSPACE_RECHECK_MS) return dir;
      const skip = (config().agents?.defaults as { skipBootstrap?: boolean } | undefined)
        ?.skipBootstrap;
      await ensureWorkspace(dir, { skipBootstrap: skip });
      ensured.set(dir, Date.now());
      return dir;
    },
    ...shared.parts(),
    ...deps.overrides,
  });
  const engine: AgentEngineRuntime = createEngine({
    parts,
    settings: () => {
      const cfg = config();
      const d = (cfg.agents?.defaults ?? {}) as { timeoutSeconds?: number; maxConcurrent?: number };
      return {
        timeoutSeconds: d.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        maxConcurrent: d.maxConcurrent ?? defaultMaxConcurrent(),
        mainKey: (cfg.session as { mainKey?: string } | undefined)?.mainKey ?? "main",
        defaultAgentId: configuredDefaultAgentId(cfg.agents),
      };
    },
    log: deps.log,
    runCachePath: deps.persistRuns === false ? undefined : `${stateDir}/agents/runs.jsonl`,
    coalesceMs: deps.coalesceMs,
  });

  const primary = () => {
    const ref = catalog.defaultRefs()[0];
    if (!ref) return { ref: undefined, model: undefined, problem: "No default model configured" };
    try {
      return { ref, model: catalog.resolve(ref), problem: undefined };
    } catch (err) {
      return { ref, model: undefined, problem: (err as Error).message };
    }
  };

  return {
    engine,
    store,
    catalog,
    parts,
    // The same answer the gateway gives before the runtime is loaded.
    modelHealth: (): ModelHealth => modelHealthOf(config(), env),
    defaults() {
      const p = primary();
      return {
        modelProvider: p.ref?.provider ?? null,
        model: p.ref?.model ?? null,
        contextTokens: p.model?.contextWindow ?? null,
        ...(p.model ? { thinkingLevels: p.model.thinkingLevels } : {}),
      };
    },
    agents() {
      const cfg = config();
      const def = configuredDefaultAgentId(cfg.agents);
      const ids = new Set([def, ...(cfg.agents?.list ?? []).map((a) => foldAgentId(a.id))]);
      const modelText = (m: unknown) =>
        typeof m === "string" ? m : (m as { primary?: string } | undefined)?.primary;
      return {
        defaultId: def,
        mainKey: (cfg.session as { mainKey?: string } | undefined)?.mainKey ?? "main",
        agents: [...ids].map((id) => {
          const name = agentSetting(cfg.agents, id, "name");
          const model = modelText(agentSetting(cfg.agents, id, "model"));
          return {
            id,
            ...(name ? { name } : {}),
            workspace: workspaceOf(id),
            ...(model ? { model } : {}),
            isDefault: id === def,
          };
        }),
      };
    },
    resolveApproval: (id, decision, by) => shared.resolveApproval(id, decision, by),
    async stop() {
      await engine.stop();
      await shared.stop();
    },
    compact: (key) =>
      engine.inLane(key, async () => {
        const entry = await store.get(key);
        if (!entry) throw new Deno.errors.NotFound(`Unknown session "${key}"`);
        const ref = entry.providerOverride && entry.modelOverride
          ? { provider: entry.providerOverride, model: entry.modelOverride }
          : catalog.defaultRefs()[0];
        return await compactSession(key, {
          sessions: store,
          complete: (system, user) =>
            catalog.complete(ref, {
              system,
              messages: [{ role: "user", content: user, timestamp: Date.now() }],
              signal: AbortSignal.timeout(COMPACT_TIMEOUT_MS),
            }),
        }, { force: true });
      }),
  };
}
