/**
 * `sessions.list`, `sessions.preview`, `sessions.patch`, `sessions.reset`,
 * `sessions.delete`, `sessions.compact` (spec 7; protocol.md section 9).
 *
 * @module
 */

import type { SessionsListParams, SessionsPatchParams } from "../../protocol/schemas/sessions.ts";
import type { AgentEngineRuntime } from "../agent/engine.ts";
import type { SessionEntry, SessionRow } from "../agent/types.ts";
import { invalidRequest, unavailable } from "../errors.ts";
import { sessionKeyOf } from "./agent.ts";

/** Thinking levels a session may be set to. */
const THINKING = ["off", "minimal", "low", "medium", "high", "xhigh", "adaptive", "max", "ultra"];

/** The session store as these methods use it. */
export interface SessionsMethodStore {
  indexPath(agentId: string): string;
  get(key: string): Promise<SessionEntry | undefined>;
  patch(key: string, fields: Record<string, unknown>): Promise<SessionEntry>;
  reset(key: string, reason: string): Promise<SessionEntry>;
  delete(key: string, opts?: { deleteTranscript?: boolean }): Promise<boolean>;
  list(opts?: {
    agentId?: string;
    limit?: number;
    offset?: number;
    activeMinutes?: number;
    search?: string;
    label?: string;
    includeLastMessage?: boolean;
  }): Promise<{ rows: SessionRow[]; total: number }>;
  history(key: string, opts?: { limit?: number }): Promise<{
    messages: Record<string, unknown>[];
    total: number;
  }>;
}

/** A `sessions.compact` outcome. */
export interface CompactOutcome {
  compacted: boolean;
  reason?: string;
  result?: {
    summary: string;
    firstKeptEntryId: string;
    tokensBefore: number;
    details?: { readFiles: string[]; modifiedFiles: string[] };
  };
}

/** What these handlers use. */
export interface SessionsMethodDeps {
  engine: AgentEngineRuntime;
  store: () => SessionsMethodStore;
  /** The `defaults` block: default model and its context window. */
  defaults: () => {
    modelProvider: string | null;
    model: string | null;
    contextTokens: number | null;
    thinkingLevels?: string[];
  };
  defaultAgentId: () => string;
  /** Summarises a session with one model call; absent = not available. */
  compact?: (key: string) => Promise<CompactOutcome>;
  /** Broadcasts `sessions.changed`. */
  changed(key: string, reason: string, entry?: SessionEntry): void;
}

function textOf(message: Record<string, unknown>): string {
  const c = message.content;
  if (typeof c === "string") return c;
  if (!Array.isArray(c)) return "";
  return c.filter((p) => p?.type === "text").map((p) => String(p.text)).join(" ");
}

function notFound(err: unknown, key: string): never {
  if (err instanceof Deno.errors.NotFound) {
    throw invalidRequest(`Unknown session "${key}" (call sessions.list to see the keys)`);
  }
  throw err;
}

/** Builds the handlers. */
export function sessionsHandlers(deps: SessionsMethodDeps) {
  const { engine } = deps;
  const keyOf = (raw: string) => sessionKeyOf(engine, raw);
  return {
    "sessions.list": async (p: SessionsListParams) => {
      const store = deps.store();
      const offset = p.offset ?? 0;
      const { rows, total } = await store.list({
        agentId: p.agentId,
        limit: p.limit ?? 100,
        offset,
        activeMinutes: p.activeMinutes,
        search: p.search,
        label: p.label,
        includeLastMessage: p.includeLastMessage,
      });
      return {
        ts: Date.now(),
        path: store.indexPath(p.agentId ?? deps.defaultAgentId()),
        count: rows.length,
        totalCount: total,
        hasMore: offset + rows.length < total,
        defaults: deps.defaults(),
        sessions: rows,
      };
    },

    "sessions.preview": async (p: { keys: string[]; limit?: number; maxChars?: number }) => {
      const store = deps.store();
      const maxChars = p.maxChars ?? 500;
      const previews = [];
      for (const raw of p.keys) {
        const key = keyOf(raw);
        if (!(await store.get(key))) {
          previews.push({ key, status: "missing" as const, items: [] });
          continue;
        }
        const { messages } = await store.history(key, { limit: (p.limit ?? 5) * 3 });
        const items = messages
          .filter((m) => m.role === "user" || m.role === "assistant")
          .map((m) => ({ role: String(m.role), text: textOf(m).slice(0, maxChars) }))
          .filter((i) => i.text)
          .slice(-(p.limit ?? 5));
        previews.push({ key, status: items.length ? "ok" as const : "empty" as const, items });
      }
      return { ts: Date.now(), previews };
    },

    "sessions.patch": async (p: SessionsPatchParams) => {
      const key = keyOf(p.key);
      const { key: _k, model, ...rest } = p;
      if (typeof rest.thinkingLevel === "string" && !THINKING.includes(rest.thinkingLevel)) {
        throw invalidRequest(
          `Invalid thinkingLevel "${rest.thinkingLevel}": use one of ${THINKING.join(", ")}`,
        );
      }
      const fields: Record<string, unknown> = { ...rest };
      if (model === null) Object.assign(fields, { providerOverride: null, modelOverride: null });
      else if (model !== undefined) {
        const slash = model.indexOf("/");
        if (slash <= 0 || slash === model.length - 1) {
          throw invalidRequest(`Invalid model "${model}": use "provider/model"`);
        }
        fields.providerOverride = model.slice(0, slash);
        fields.modelOverride = model.slice(slash + 1);
      }
      const entry = await deps.store().patch(key, fields).catch((e) => notFound(e, key));
      deps.changed(key, "patch", entry);
      return { ok: true as const, key, entry };
    },

    "sessions.reset": async (p: { key: string; reason?: "new" | "reset" }) => {
      const key = keyOf(p.key);
      const entry = await deps.store().reset(key, p.reason ?? "reset");
      deps.changed(key, "reset", entry);
      return { ok: true as const, key, entry };
    },

    "sessions.delete": async (p: { key: string; deleteTranscript?: boolean }) => {
      const key = keyOf(p.key);
      // Each agent's main session is where its direct messages land: reset it, never delete it.
      const agentId = key.startsWith("agent:") ? key.split(":")[1] : undefined;
      if (agentId && key === engine.canonicalKey("main", agentId)) {
        throw invalidRequest(
          `Cannot delete the main session "${key}" (use sessions.reset to clear it)`,
        );
      }
      if (engine.activeRuns(key).length) {
        throw invalidRequest(
          `Session "${key}" has a running turn: stop it first (chat.abort) and retry`,
        );
      }
      const deleted = await deps.store().delete(key, { deleteTranscript: p.deleteTranscript });
      if (deleted) deps.changed(key, "delete");
      return { ok: true as const, key, deleted };
    },

    "sessions.compact": async (p: { key: string; maxLines?: number }) => {
      const key = keyOf(p.key);
      if (!deps.compact) throw unavailable("Compaction is not available in this gateway");
      // Runs in the session's lane: it waits for a running turn, and the next waits for it.
      const out = await deps.compact(key).catch((e) => notFound(e, key));
      if (out.compacted) deps.changed(key, "compact");
      return { ok: true as const, key, ...out };
    },
  };
}
