/**
 * The only handler table: method name -> handler. A method with no entry here
 * is unknown to clients and absent from `hello-ok.features.methods`.
 *
 * @module
 */

import type { HandlerTable } from "../server/router.ts";
import { channelHandlers, type ChannelMethodDeps } from "./channels.ts";
import { configHandlers, type ConfigMethodDeps } from "./config.ts";
import { type LogsDeps, logsHandlers } from "./logs.ts";
import { type SystemDeps, systemHandlers } from "./system.ts";
import type { AgentRuntime } from "../agent/mod.ts";
import { agentHandlers } from "./agent.ts";
import { chatHandlers } from "./chat.ts";
import { sessionsHandlers } from "./sessions.ts";
import { modelsHandlers } from "./models.ts";
import { nodeHandlers, type NodeMethodDeps } from "./nodes.ts";
import { deviceHandlers } from "./devices.ts";
import { nodePairingHandlers } from "./node_pairing.ts";

/**
 * What the process-level methods need. Their state (log sink, config file)
 * outlives an in-process restart, so the process supplies it.
 */
export interface ProcessMethodDeps {
  logs: LogsDeps;
  config: ConfigMethodDeps;
}

/** Everything the handlers need, grouped by handler file. */
export interface MethodDeps {
  system: SystemDeps;
  /** Absent in a bare instance (tests): then `logs.tail` and `config.*` are not served. */
  process?: ProcessMethodDeps;
  /** Absent in a bare instance: then `send`, `channels.*` are not served. */
  channels?: ChannelMethodDeps;
  /** Absent in an instance without the agent runtime: then no agent/chat/sessions methods. */
  agent?: AgentRuntime;
  /** Absent in a bare instance: then no `node.*` / `device.*` methods. */
  nodes?: NodeMethodDeps;
}

/** The agent, chat, sessions and models handlers over one agent runtime. */
function agentMethodHandlers(agent: AgentRuntime) {
  const { engine, store } = agent;
  return {
    ...agentHandlers({ engine, resolveApproval: agent.resolveApproval }),
    ...chatHandlers({ engine, store: () => store, defaults: () => agent.defaults() }),
    ...sessionsHandlers({
      engine,
      store: () => store,
      defaults: () => agent.defaults(),
      defaultAgentId: () => agent.agents().defaultId,
      compact: (key) => agent.compact(key),
      changed: (key, reason, entry) =>
        engine.publish({
          event: "sessions.changed",
          payload: { sessionKey: key, reason, ...(entry ? { session: { key, ...entry } } : {}) },
        }),
    }),
    ...modelsHandlers({ catalog: () => agent.catalog, agents: () => agent.agents() }),
  };
}

/** Builds the table. */
export function buildHandlers(deps: MethodDeps): HandlerTable {
  return {
    ...systemHandlers(deps.system),
    ...(deps.process ? logsHandlers(deps.process.logs) : {}),
    ...(deps.process ? configHandlers(deps.process.config) : {}),
    ...(deps.channels ? channelHandlers(deps.channels) : {}),
    ...(deps.agent ? agentMethodHandlers(deps.agent) : {}),
    ...(deps.nodes ? nodeHandlers(deps.nodes) : {}),
    ...(deps.nodes ? deviceHandlers(deps.nodes.nodes) : {}),
    ...(deps.nodes ? nodePairingHandlers(deps.nodes.nodes.pairing) : {}),
  } as HandlerTable;
}
