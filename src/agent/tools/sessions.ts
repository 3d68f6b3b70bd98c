/**
 * `sessions_list`, `sessions_history`, `session_status`: read-only views of
 * sessions through `ctx.sessions`, with answers capped in size so a long
 * transcript cannot flood the model context.
 *
 * @module
 */

import type { AgentMessage, SessionRow, Tool, ToolContext } from "../types.ts";
import {
  clip,
  guarded,
  optBool,
  optNumber,
  optString,
  reqString,
  textResult,
  ToolFailure,
} from "./_util.ts";

/** Largest JSON answer of a session tool (characters). */
const MAX_ANSWER_CHARS = 80_000;
/** Longest text part of one history message. */
const MAX_PART_CHARS = 4_000;

/** `current` -> this session; `main` -> this agent's main session; others as given. */
function resolveKey(key: string | undefined, ctx: ToolContext): string {
  if (!key || key === "current") return ctx.sessionKey;
  if (key === "main") return `agent:${ctx.agentId}:main`;
  return key;
}

function summaryRow(r: SessionRow) {
  return {
    key: r.key,
    agentId: r.agentId,
    kind: r.kind,
    sessionId: r.sessionId,
    updatedAt: r.updatedAt,
    ...(r.label ? { label: r.label } : {}),
    ...(r.displayName ? { displayName: r.displayName } : {}),
    ...(r.chatType ? { chatType: r.chatType } : {}),
    ...(r.hasActiveRun ? { hasActiveRun: true } : {}),
    ...(r.totalTokens !== undefined ? { totalTokens: r.totalTokens } : {}),
    ...(r.lastChannel ? { lastChannel: r.lastChannel } : {}),
  };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function trimMessage(m: AgentMessage): { message: unknown; cut: boolean } {
  let cut = false;
  const trimText = (t: string) => {
    if (t.length <= MAX_PART_CHARS) return t;
    cut = true;
    return `${t.slice(0, MAX_PART_CHARS)}…[truncated]`;
  };
  if (typeof m.content === "string") {
    return { message: { ...m, content: trimText(m.content) }, cut };
  }
  const content = m.content.map((p) => {
    if (p.type === "text") return { ...p, text: trimText(p.text) };
    if (p.type === "thinking") return { ...p, thinking: trimText(p.thinking) };
    if (p.type === "image") {
      cut = true;
      return { type: "text", text: `[image ${p.mimeType}]` };
    }
    return p;
  });
  return { message: { ...m, content }, cut };
}

/** The `sessions_list` tool. */
export function createSessionsListTool(): Tool {
  return {
    name: "sessions_list",
    description:
      "List visible session metadata; filter by kind/agent/activity. limit defaults to 100 (max 200). Use before history/send target selection.",
    parameters: {
      type: "object",
      properties: {
        kinds: {
          type: "array",
          items: { type: "string" },
          description: "Only these kinds (direct, group, ...).",
        },
        agentId: { type: "string", minLength: 1, maxLength: 64 },
        activeMinutes: {
          type: "integer",
          minimum: 1,
          description: "Only sessions updated in the last N minutes.",
        },
        limit: { type: "integer", minimum: 1 },
        includeLastMessage: { type: "boolean" },
      },
    },
    title: () => "List sessions",
    execute: guarded(async (args, ctx) => {
      const limit = Math.min(optNumber(args, "limit", { min: 1, integer: true }) ?? 100, 200);
      const agentId = optString(args, "agentId", { max: 64 });
      const active = optNumber(args, "activeMinutes", { min: 1, integer: true });
      const includeLast = optBool(args, "includeLastMessage") ?? false;
      const kinds = Array.isArray(args.kinds) ? args.kinds.map(String).slice(0, 20) : undefined;
      let rows = await ctx.sessions.list({ agentId, limit: 1000 });
      if (kinds?.length) rows = rows.filter((r) => kinds.includes(r.kind));
      if (active) rows = rows.filter((r) => Date.now() - r.updatedAt <= active * 60_000);
      const page = rows.slice(0, limit).map((r) => ({
        ...summaryRow(r),
        ...(includeLast && r.lastMessagePreview
          ? { lastMessagePreview: clip(r.lastMessagePreview, 200) }
          : {}),
      }));
      const out = {
        count: page.length,
        limitApplied: limit,
        hasMore: rows.length > limit,
        sessions: page,
      };
      return textResult(json(out), out);
    }),
  };
}

/** The `sessions_history` tool. */
export function createSessionsHistoryTool(): Tool {
  return {
    name: "sessions_history",
    description:
      "Read sanitized session history (latest tail). limit bounds it (max 1000). Include tool messages with includeTools.",
    parameters: {
      type: "object",
      required: ["sessionKey"],
      properties: {
        sessionKey: { type: "string", minLength: 1 },
        limit: { type: "integer", minimum: 1, maximum: 1000 },
        includeTools: { type: "boolean" },
      },
    },
    title: (args) => `Read history of ${clip(String(args.sessionKey ?? ""), 60)}`,
    execute: guarded(async (args, ctx) => {
      const key = resolveKey(reqString(args, "sessionKey", { max: 512 }), ctx);
      const limit = optNumber(args, "limit", { min: 1, max: 1000, integer: true }) ?? 50;
      const includeTools = optBool(args, "includeTools") ?? false;
      const exists = await ctx.sessions.status(key);
      if (!exists) {
        throw new ToolFailure(`Unknown session "${key}": use sessions_list to find keys`);
      }
      const all = await ctx.sessions.history(key, { limit, includeTools });
      let contentTruncated = false;
      const messages: unknown[] = [];
      let chars = 0;
      let droppedMessages = false;
      // Newest first until the budget is spent, then back in order.
      for (let i = all.length - 1; i >= 0; i--) {
        const { message, cut } = trimMessage(all[i]);
        const size = JSON.stringify(message).length;
        if (chars + size > MAX_ANSWER_CHARS) {
          droppedMessages = true;
          break;
        }
        contentTruncated ||= cut;
        chars += size;
        messages.unshift(message);
      }
      const out = {
        sessionKey: key,
        messages,
        truncated: droppedMessages || contentTruncated,
        droppedMessages,
        contentTruncated,
        contentRedacted: false,
        bytes: chars,
      };
      return textResult(json(out), {
        sessionKey: key,
        count: messages.length,
        truncated: out.truncated,
      });
    }),
  };
}

/** The `session_status` tool. */
export function createSessionStatusTool(): Tool {
  return {
    name: "session_status",
    description:
      'Show session model/usage/time. `sessionKey="current"` (default) for this session.',
    parameters: {
      type: "object",
      properties: {
        sessionKey: { type: "string" },
        model: { type: "string", description: "Not supported here: use the /model command." },
      },
    },
    title: () => "Session status",
    execute: guarded(async (args, ctx) => {
      const key = resolveKey(optString(args, "sessionKey", { max: 512 }), ctx);
      if (optString(args, "model", { max: 200 })) {
        throw new ToolFailure(
          `Changing the model from session_status is not supported: ask the user to send /model`,
        );
      }
      const row = await ctx.sessions.status(key);
      if (!row) throw new ToolFailure(`Unknown session "${key}": use sessions_list to find keys`);
      const model = row.modelOverride
        ? `${row.providerOverride ? `${row.providerOverride}/` : ""}${row.modelOverride}`
        : "default";
      const lines = [
        `Session: ${row.key} (${row.kind}${row.isMain ? ", main" : ""})`,
        `Session id: ${row.sessionId}`,
        `Model: ${model}`,
        `Thinking: ${row.thinkingLevel ?? "default"}`,
        `Tokens: ${row.inputTokens ?? 0} in / ${row.outputTokens ?? 0} out (context ${
          row.contextTokens ?? 0
        })`,
        `Compactions: ${row.compactionCount ?? 0}`,
        `Updated: ${new Date(row.updatedAt).toISOString()}`,
        ...(row.hasActiveRun ? ["A run is active"] : []),
      ];
      const out = {
        ok: true,
        sessionKey: row.key,
        agentId: row.agentId,
        changedModel: false,
        stateVersion: row.updatedAt,
        statusText: lines.join("\n"),
      };
      return textResult(out.statusText, out);
    }),
  };
}
