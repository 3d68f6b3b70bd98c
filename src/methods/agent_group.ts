/**
 * The agent, chat, sessions and models handlers over one agent runtime.
 * Loaded on the first call of one of them (see `AGENT_METHODS` in
 * `mod.ts`), together with the agent runtime, so a gateway that never runs
 * a turn never loads either.
 *
 * @module
 */

import type { HandlerTable } from "../server/router.ts";
import type { AgentRuntime } from "../agent/mod.ts";
import { agentHandlers } from "./agent.ts";
import { chatHandlers } from "./chat.ts";
import { sessionsHandlers } from "./sessions.ts";
import { modelsHandlers } from "./models.ts";

export { finalReply } from "./agent.ts";

/** The agent, chat, sessions and models handlers over `agent`. */
export function agentMethodHandlers(agent: AgentRuntime): HandlerTable {
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
  } as HandlerTable;
}
