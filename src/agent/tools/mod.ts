/**
 * The built-in tools (spec 5): file tools confined to the workspace, exec
 * and process, web_fetch, the session tools and message, filtered by the
 * tool policy so removed tools are never offered to the model.
 *
 * @example
 * ```ts
 * const processes = createProcessRegistry();          // one per gateway
 * const tools = createTools(config.tools, { processes, approvedBinaries: approvals.allowlist });
 * // ... on shutdown: await processes.stop();
 * ```
 *
 * @module
 */

import type { Tool } from "../types.ts";
import type { AgentsConfig } from "../../config/schema_agent.ts";
import { agentSetting, foldAgentId } from "../../config/agents.ts";
import { execSettings, fetchSettings, type ToolsConfig } from "./config.ts";
import { createReadTool } from "./read.ts";
import { createWriteTool } from "./write.ts";
import { createEditTool } from "./edit.ts";
import { createLsTool } from "./ls.ts";
import { createExecTool } from "./exec.ts";
import { createProcessTool } from "./process.ts";
import { createProcessRegistry, type ProcessRegistry } from "./process_registry.ts";
import { createWebFetchTool } from "./web_fetch.ts";
import {
  createSessionsHistoryTool,
  createSessionsListTool,
  createSessionStatusTool,
} from "./sessions.ts";
import { createMessageTool, type MessageSend } from "./message.ts";
import { createNodesTool, type NodesPort } from "./nodes.ts";
import { compileToolPolicy, unknownToolEntries } from "./policy.ts";
import type { CommandRunner } from "./runner.ts";
import type { ResolveHost } from "../net_guard.ts";

export * from "./config.ts";
export * from "./policy.ts";
export { createProcessRegistry, type ProcessRegistry } from "./process_registry.ts";
export type { ProcessSession, ProcessStatus } from "./process_session.ts";
export { type CommandRunner, createShellRunner, type SpawnedProcess } from "./runner.ts";
export type { MessageSend, MessageSendRequest, MessageSendResult } from "./message.ts";
export type { NodesPort, NodeView } from "./nodes.ts";
export type { ResolveHost } from "../net_guard.ts";
export { isPrivateAddress } from "../net_guard.ts";
/** The short purpose of an exec call (`print text`), for `item.meta`. */
export { describeCommand } from "./_exec_result.ts";

/** What the tools need from the rest of the gateway; all optional. */
export interface ToolDeps {
  /**
   * Backgrounded exec sessions. Pass ONE registry for the gateway so a
   * command outlives its turn, and call `stop()` on shutdown; without it
   * each createTools call makes its own.
   */
  processes?: ProcessRegistry;
  /** Starts shell commands (default `bash -lc` via Deno.Command). */
  runner?: CommandRunner;
  /** Binaries operators allowed for good (`allow-always`), per agent: `approvals.allowlist`. */
  approvedBinaries?: (agentId: string) => Promise<readonly string[]>;
  /** Channel sends for the `message` tool (channels wire it; absent = clear error). */
  send?: MessageSend;
  /** HTTP client for web_fetch (default global fetch). */
  fetch?: typeof fetch;
  /** Name resolution for web_fetch's private-destination check. */
  resolveHost?: ResolveHost;
  /** The gateway's nodes for the `nodes` tool (absent: no such tool). */
  nodes?: NodesPort;
}

/** Every built-in tool, before the policy (for `tools.catalog`). */
function createAllTools(config: ToolsConfig | undefined, deps: ToolDeps = {}): Tool[] {
  const workspaceOnly = config?.fs?.workspaceOnly ?? true;
  const processes = deps.processes ?? createProcessRegistry();
  return [
    createReadTool({ workspaceOnly }),
    createWriteTool({ workspaceOnly }),
    createEditTool({ workspaceOnly }),
    createLsTool({ workspaceOnly }),
    createExecTool({
      settings: execSettings(config),
      processes,
      runner: deps.runner,
      approvedBinaries: deps.approvedBinaries,
      nodes: deps.nodes,
    }),
    createProcessTool(processes),
    ...(fetchSettings(config).enabled
      ? [
        createWebFetchTool({
          settings: fetchSettings(config),
          fetch: deps.fetch,
          resolveHost: deps.resolveHost,
        }),
      ]
      : []),
    createSessionsListTool(),
    createSessionsHistoryTool(),
    createSessionStatusTool(),
    createMessageTool(deps.send),
    ...(deps.nodes ? [createNodesTool(deps.nodes)] : []),
  ];
}

/** The tools `tools.profile/allow/alsoAllow/deny` allow, in a stable order. */
export function createTools(config: ToolsConfig | undefined, deps: ToolDeps = {}): Tool[] {
  const policy = compileToolPolicy(config);
  return createAllTools(config, deps).filter((t) => policy.allows(t.name));
}

/**
 * Tools per agent, as the engine asks for them (`EngineTools.forRun`): the
 * global `tools` policy and then the agent entry's own `tools` policy both
 * apply; the agent's `exec`/`fs`/`web` settings override the global ones.
 */
export function createToolSet(
  config: { tools?: ToolsConfig; agents?: AgentsConfig },
  deps: ToolDeps = {},
): { forRun(agentId: string): Tool[] } {
  const processes = deps.processes ?? createProcessRegistry();
  const cache = new Map<string, Tool[]>();
  return {
    forRun(agentId) {
      const key = foldAgentId(agentId);
      const hit = cache.get(key);
      if (hit) return hit;
      const own: ToolsConfig | undefined = agentSetting(config.agents, key, "tools");
      const merged: ToolsConfig = {
        ...config.tools,
        exec: { ...config.tools?.exec, ...own?.exec },
        fs: { ...config.tools?.fs, ...own?.fs },
        web: { fetch: { ...config.tools?.web?.fetch, ...own?.web?.fetch } },
      };
      const global = compileToolPolicy(config.tools);
      const local = own ? compileToolPolicy(own) : undefined;
      const tools = createAllTools(merged, { ...deps, processes })
        .filter((t) => global.allows(t.name) && (local?.allows(t.name) ?? true));
      cache.set(key, tools);
      return tools;
    },
  };
}

/**
 * Warnings for every tool policy entry (global and per agent) that names no
 * known tool or group; logged at start and after a reload.
 */
export function toolPolicyWarnings(
  config: { tools?: ToolsConfig; agents?: AgentsConfig },
): string[] {
  const out = unknownToolEntries(config.tools);
  for (const [i, a] of (config.agents?.list ?? []).entries()) {
    out.push(...unknownToolEntries(a.tools, `agents.list.${i}.tools`));
  }
  for (const [id, a] of Object.entries(config.agents?.entries ?? {})) {
    out.push(...unknownToolEntries(a.tools, `agents.entries.${id}.tools`));
  }
  return out;
}
