/**
 * `chat.send`, `chat.history`, `chat.abort`, `chat.inject` (spec 3.2): the
 * chat UI's view of a session. `chat.send` answers once (`started`); the
 * turn arrives as `chat` / `agent` events.
 *
 * @module
 */

import type {
  ChatAbortParams,
  ChatHistoryParams,
  ChatInjectParams,
  ChatSendParams,
} from "../../protocol/schemas/chat.ts";
import type { AgentEngineRuntime } from "../agent/engine.ts";
import type { SessionEntry } from "../agent/types.ts";
import { invalidRequest } from "../errors.ts";
import type { CallContext } from "../server/router.ts";
import { imagesOf, sessionKeyOf, startRun } from "./agent.ts";

/** The session store as the chat methods use it. */
export interface ChatStore {
  get(key: string): Promise<SessionEntry | undefined>;
  ensure(key: string, init?: { createdVia?: string }): Promise<{ entry: SessionEntry }>;
  history(key: string, opts?: { limit?: number; maxBytes?: number }): Promise<{
    sessionId?: string;
    messages: Record<string, unknown>[];
    total: number;
  }>;
  append(key: string, row: { type: "message"; message: unknown }): Promise<{ id: string }>;
}

/** What these handlers use. */
export interface ChatMethodDeps {
  engine: AgentEngineRuntime;
  store: () => ChatStore;
  /** `sessions.list`-style defaults (model, context window) for the history answer. */
  defaults: () => Record<string, unknown>;
}

/** Builds the handlers. */
export function chatHandlers(deps: ChatMethodDeps) {
  const { engine } = deps;
  return {
    "chat.send": async (params: ChatSendParams, ctx: CallContext) => {
      const images = imagesOf(params.attachments);
      if (!params.message.trim() && !images) {
        throw invalidRequest("chat.send message is empty: send text or an image attachment");
      }
      const handle = await startRun(engine, {
        idempotencyKey: params.idempotencyKey,
        message: params.message,
        images,
        agentId: params.agentId,
        sessionKey: params.sessionKey,
        sessionId: params.sessionId,
        thinking: params.thinking,
        timeoutMs: params.timeoutMs,
        client: { id: ctx.clientId, mode: "operator" },
        interpretCommands: params.suppressCommandInterpretation !== true,
      });
      if (!handle.duplicate) return { runId: handle.runId, status: "started" as const };
      if (engine.sessionOf(handle.runId)) {
        return { runId: handle.runId, status: "in_flight" as const };
      }
      const result = await handle.done;
      return { runId: result.runId, status: result.status };
    },

    "chat.history": async (params: ChatHistoryParams) => {
      const key = sessionKeyOf(engine, params.sessionKey);
      const store = deps.store();
      const entry = await store.get(key);
      // The store keeps the newest messages that fit in maxBytes (6 MiB unless asked for less).
      const { sessionId, messages: kept, total } = await store.history(key, {
        limit: params.limit ?? 200,
        maxBytes: params.maxBytes,
      });
      return {
        sessionKey: key,
        ...(sessionId ? { sessionId } : {}),
        messages: kept,
        hasMore: total > kept.length,
        totalMessages: total,
        ...(entry?.thinkingLevel ? { thinkingLevel: entry.thinkingLevel } : {}),
        defaults: deps.defaults(),
        ...(entry ? { sessionInfo: { key, ...entry } } : {}),
      };
    },

    "chat.abort": (params: ChatAbortParams) => {
      const key = sessionKeyOf(engine, params.sessionKey);
      if (params.runId) {
        const owner = engine.sessionOf(params.runId);
        if (owner && owner !== key) {
          throw invalidRequest(
            `runId does not match sessionKey: run "${params.runId}" belongs to "${owner}"`,
          );
        }
      }
      const runIds = engine.abort(key, params.runId);
      return { ok: true as const, aborted: runIds.length > 0, runIds };
    },

    "chat.inject": async (params: ChatInjectParams) => {
      const key = sessionKeyOf(engine, params.sessionKey);
      const store = deps.store();
      await store.ensure(key, { createdVia: "operator" });
      const row = await store.append(key, {
        type: "message",
        message: {
          role: "assistant",
          content: [{ type: "text", text: params.message }],
          provider: "openclaw",
          model: "gateway-injected",
          stopReason: "stop",
          timestamp: Date.now(),
          ...(params.label ? { __openclaw: { label: params.label, injected: true } } : {
            __openclaw: { injected: true },
          }),
        },
      });
      return { ok: true as const, messageId: row.id };
    },
  };
}
