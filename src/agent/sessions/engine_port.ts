/**
 * Adapts the {@link SessionStore} to the engine's narrow ports
 * (`EngineSessions` in `../ports.ts`) and the session tools' read-only
 * `SessionsView`, so the composition root wires them in one line.
 *
 * @module
 */

import type { EngineSessions } from "../ports.ts";
import type { AgentMessage, SessionsView } from "../types.ts";
import type { SessionStore } from "./mod.ts";

/** The store as the engine's `RunParts.sessions`. */
export function engineSessions(store: SessionStore): EngineSessions {
  return {
    open: (_agentId, key, opts) =>
      store.ensure(key, { sessionId: opts.sessionId, createdVia: opts.createdVia, cwd: opts.cwd }),
    context: (_agentId, key) => store.modelContext(key),
    append: async (_agentId, key, row) => {
      await store.append(key, row);
    },
    update: (_agentId, key, patch) => store.patch(key, patch as Record<string, unknown>),
    recordUsage: (_agentId, key, usage, contextTokens) =>
      store.recordUsage(key, usage, { contextTokens }),
    view: sessionsView(store),
  };
}

/** The read-only view the `sessions_list` / `sessions_history` / `session_status` tools use. */
function sessionsView(store: SessionStore): SessionsView {
  return {
    list: async (opts = {}) =>
      (await store.list({ agentId: opts.agentId, limit: opts.limit })).rows,
    async history(key, opts = {}) {
      const { messages } = await store.history(key, { limit: opts.limit });
      const out: AgentMessage[] = [];
      for (const m of messages) {
        if (m.role !== "user" && m.role !== "assistant" && m.role !== "toolResult") continue;
        if (m.role === "toolResult" && !opts.includeTools) continue;
        const { __openclaw: _meta, ...rest } = m;
        out.push(rest as unknown as AgentMessage);
      }
      return out;
    },
    async status(key) {
      const { rows } = await store.list({ search: key, limit: 1000 });
      return rows.find((r) => r.key === key);
    },
  };
}
