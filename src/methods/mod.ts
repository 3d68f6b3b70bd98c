/**
 * The only handler table: method name -> handler. A method with no entry here
 * is unknown to clients and absent from `hello-ok.features.methods`.
 *
 * @module
 */

import type { MethodName } from "../../protocol/methods.ts";
import type { CallContext, HandlerTable } from "../server/router.ts";
import { channelHandlers, type ChannelMethodDeps } from "./channels.ts";
import { configHandlers, type ConfigMethodDeps } from "./config.ts";
import { type LogsDeps, logsHandlers } from "./logs.ts";
import { type SystemDeps, systemHandlers } from "./system.ts";
import type { AgentRuntime } from "../agent/mod.ts";
import { importLazy } from "../runtime/lazy_import.ts";
import { nodeHandlers, type NodeMethodDeps } from "./nodes.ts";
import { deviceHandlers } from "./devices.ts";
import { nodePairingHandlers } from "./node_pairing.ts";
import { nodePendingHandlers } from "./node_pending.ts";
import { canvasHandlers, type CanvasMethodDeps } from "./canvas.ts";
import { nodePublishHandlers } from "./node_publish.ts";

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
  agent?: LoadableAgent;
  /** Absent in a bare instance: then no `node.*` / `device.*` methods. */
  nodes?: NodeMethodDeps;
  /** Absent in a bare instance: then no canvas capability refresh. */
  canvas?: CanvasMethodDeps;
}

/** The agent runtime, loaded (and started) on first use. */
export interface LoadableAgent {
  load(): Promise<AgentRuntime>;
}

/**
 * The methods served by the agent runtime. Their handlers (and the runtime)
 * load on the first call of any of them; the names are here so
 * `hello-ok.features.methods` is complete before that (a test checks this
 * list against the loaded table).
 */
export const AGENT_METHODS: readonly MethodName[] = Object.freeze([
  "agent",
  "agent.wait",
  "exec.approval.resolve",
  "chat.send",
  "chat.history",
  "chat.abort",
  "chat.inject",
  "sessions.list",
  "sessions.preview",
  "sessions.patch",
  "sessions.reset",
  "sessions.delete",
  "sessions.compact",
  "models.list",
  "agents.list",
] as MethodName[]);

/** Handlers that load the agent runtime and the real handlers on the first call. */
function lazyAgentHandlers(agent: LoadableAgent): HandlerTable {
  let table: Promise<HandlerTable> | undefined;
  const load = () =>
    table ??= Promise.all([
      agent.load(),
      importLazy<typeof import("./agent_group.ts")>("src/methods/agent_group.ts"),
    ]).then(([runtime, group]) => group.agentMethodHandlers(runtime)).catch((err) => {
      table = undefined;
      throw err;
    });
  return Object.fromEntries(AGENT_METHODS.map((name) => [
    name,
    async (params: never, ctx: CallContext) => {
      const handler = (await load())[name];
      if (!handler) throw new Error(`The agent runtime has no handler for "${name}"`);
      return await handler(params, ctx);
    },
  ]));
}

/** Builds the table. */
export function buildHandlers(deps: MethodDeps): HandlerTable {
  return {
    ...systemHandlers(deps.system),
    ...(deps.process ? logsHandlers(deps.process.logs) : {}),
    ...(deps.process ? configHandlers(deps.process.config) : {}),
    ...(deps.channels ? channelHandlers(deps.channels) : {}),
    ...(deps.agent ? lazyAgentHandlers(deps.agent) : {}),
    ...(deps.nodes ? nodeHandlers(deps.nodes) : {}),
    ...(deps.nodes ? deviceHandlers(deps.nodes.nodes) : {}),
    ...(deps.nodes ? nodePairingHandlers(deps.nodes.nodes.pairing) : {}),
    ...(deps.nodes ? nodePendingHandlers(deps.nodes) : {}),
    ...(deps.canvas ? canvasHandlers(deps.canvas) : {}),
    ...(deps.nodes ? nodePublishHandlers(deps.nodes.nodes.registry) : {}),
  } as HandlerTable;
}
