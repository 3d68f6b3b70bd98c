/**
 * Builds the prompt, tools, commands and approvals parts for the engine's
 * ports (`ports.ts`). Private to `mod.ts`. Parts that depend on config are
 * rebuilt when the config object changes (a hot reload), not per turn.
 *
 * @module
 */

import type { GatewayConfig } from "../config/schema.ts";
import type { AgentsConfig, ToolsConfig } from "../config/schema_agent.ts";
import { VERSION } from "../version.ts";
import { createAllowlistFileStore, createApprovals } from "./approvals.ts";
import { createCommands } from "./commands.ts";
import type { RunParts } from "./ports.ts";
import { createPrompt } from "./prompt_engine.ts";
import type { SessionStore } from "./sessions/mod.ts";
import {
  createProcessRegistry,
  createToolSet,
  type MessageSend,
  type NodesPort,
} from "./tools/mod.ts";
import type { ApprovalDecision, ModelCatalog, RunEvent } from "./types.ts";

/** Inputs of {@link buildParts}. */
export interface PartsDeps {
  config: () => GatewayConfig;
  stateDir: string;
  catalog: ModelCatalog;
  store: SessionStore;
  publish: (ev: RunEvent) => void;
  /** Aborts a session's runs (`/stop`). */
  abort: (sessionKey: string) => string[];
  startedAt: number;
  /** Channel sends for the `message` tool (absent: the tool answers that no channel is wired). */
  send?: MessageSend;
  /** The gateway's nodes for the `nodes` tool (absent: no such tool). */
  nodes?: NodesPort;
}

/** The parts other than catalog, sessions and workspace. */
export function buildParts(deps: PartsDeps) {
  const approvals = createApprovals({
    broadcast: (event, payload) => deps.publish({ event, payload }),
    store: createAllowlistFileStore(`${deps.stateDir}/exec-approvals.json`),
  });
  // One registry for the gateway: a backgrounded command outlives its turn.
  const processes = createProcessRegistry();
  const prompt = createPrompt({
    limits: () => {
      const d = (deps.config().agents?.defaults ?? {}) as {
        bootstrapMaxChars?: number;
        bootstrapTotalMaxChars?: number;
      };
      return {
        bootstrapMaxChars: d.bootstrapMaxChars,
        bootstrapTotalMaxChars: d.bootstrapTotalMaxChars,
      };
    },
    defaultModelRef: () => {
      const ref = deps.catalog.defaultRefs()[0];
      return ref ? `${ref.provider}/${ref.model}` : undefined;
    },
  });
  const commands = createCommands({
    sessions: deps.store,
    catalog: deps.catalog,
    abort: deps.abort,
    version: VERSION,
    startedAt: deps.startedAt,
  });
  let toolsFor: { config: GatewayConfig; set: ReturnType<typeof createToolSet> } | undefined;
  const tools = () => {
    const config = deps.config();
    if (toolsFor?.config !== config) {
      toolsFor = {
        config,
        set: createToolSet(
          { tools: config.tools as ToolsConfig | undefined, agents: config.agents as AgentsConfig },
          {
            processes,
            approvedBinaries: (agentId) => approvals.allowlist(agentId),
            send: deps.send,
            nodes: deps.nodes,
          },
        ),
      };
    }
    return toolsFor.set;
  };
  return {
    parts(): Pick<RunParts, "prompt" | "tools" | "approvals" | "commands"> {
      return { prompt, tools: tools(), approvals, commands };
    },
    /** `exec.approval.resolve`; throws INVALID_REQUEST for an unknown id or decision. */
    async resolveApproval(id: string, decision: ApprovalDecision, by: string): Promise<void> {
      await approvals.resolve(id, decision, by);
    },
    /** Denies pending approvals and stops background commands (shutdown). */
    async stop(): Promise<void> {
      approvals.stop();
      await processes.stop?.();
    },
  };
}
