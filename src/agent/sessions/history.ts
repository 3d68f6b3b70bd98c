/**
 * Views of transcript rows: what `chat.history` shows (from the latest
 * reset) and what the model is given (from the latest reset or compaction),
 * spec `agent.md` sections 3.2 and 7.3. Pure functions over rows.
 *
 * @module
 */

import type {
  AgentMessage,
  AssistantMessage,
  ToolResultMessage,
  TranscriptLine,
  UserMessage,
} from "../types.ts";

type ChainRow = Exclude<TranscriptLine, { type: "session" }>;
type Row = ChainRow & Record<string, unknown>;

/** A `chat.history` message: the stored message plus `__openclaw {id, seq}`. */
export type HistoryMessage = Record<string, unknown> & {
  role: string;
  __openclaw: Record<string, unknown> & { id: string; seq: number };
};

/** Options of {@link historyFromRows}. */
export interface HistoryOptions {
  /** Keep only the last `limit` messages (default 200, at most 1000). */
  limit?: number;
  /** Drop the oldest messages until the JSON of the rest fits (default 6 MiB, the spec's cap). */
  maxBytes?: number;
}

/** `chat.history` response cap (protocol.md). */
export const HISTORY_MAX_BYTES = 6 * 1024 * 1024;

/** Index of the first row after the latest `reset` (0 when there is none). */
function afterLatestReset(rows: readonly ChainRow[]): number {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].type === "reset") return i + 1;
  return 0;
}

/**
 * The `chat.history` messages: from the latest reset (shown first as a
 * `system` "Reset" note, as the UI capture does), each stored message with
 * `__openclaw.id` (the row id) and `__openclaw.seq` (its 1-based row
 * position), displayable `custom` rows as `{role:"custom", …}`.
 */
export function historyFromRows(
  rows: readonly ChainRow[],
  opts: HistoryOptions = {},
): { messages: HistoryMessage[]; total: number } {
  const limit = Math.max(1, Math.min(opts.limit ?? 200, 1000));
  const start = afterLatestReset(rows);
  const out: HistoryMessage[] = [];
  const meta = (row: ChainRow, i: number, extra?: unknown) => ({
    ...(extra && typeof extra === "object" ? extra as Record<string, unknown> : {}),
    id: row.id,
    seq: i + 1,
  });
  if (start > 0) {
    const reset = rows[start - 1];
    out.push({
      role: "system",
      content: [{ type: "text", text: "Reset" }],
      timestamp: Date.parse(reset.timestamp),
      __openclaw: meta(reset, start - 1),
    });
  }
  for (let i = start; i < rows.length; i++) {
    const row = rows[i] as Row;
    if (row.type === "message" && isObject(row.message)) {
      const msg = row.message as Record<string, unknown> & { role: string };
      out.push({ ...msg, __openclaw: meta(row, i, msg.__openclaw) });
    } else if (
      (row.type === "custom" || (row.type as string) === "custom_message") && row.display === true
    ) {
      out.push({
        role: "custom",
        customType: row.customType,
        content: row.content,
        display: true,
        timestamp: Date.parse(row.timestamp),
        __openclaw: meta(row, i),
      });
    }
  }
  const page = out.slice(-limit);
  const max = opts.maxBytes ?? HISTORY_MAX_BYTES;
  const enc = new TextEncoder();
  let bytes = 2;
  let keep = page.length;
  // Newest first, so the cap removes the oldest messages.
  for (let i = page.length - 1; i >= 0; i--) {
    bytes += enc.encode(JSON.stringify(page[i])).length + 1;
    if (bytes > max) break;
    keep = i;
  }
  return { messages: page.slice(keep), total: out.length };
}

/** The user message that stands in for compacted history. */
export function compactionSummaryMessage(summary: string, timestamp: number): UserMessage {
  return {
    role: "user",
    content: "The conversation history before this point was compacted into the following " +
      `summary:\n\n<summary>\n${summary}\n</summary>`,
    timestamp,
  };
}

/**
 * The messages the model is given: from the latest reset or compaction
 * (the compaction summary as a user message, then the kept rows from
 * `firstKeptEntryId`). Context-free command replies, empty failed turns and
 * displays-only rows are left out; a tool call without a result (a crash
 * mid-tool) gets a synthetic error result so providers accept the history.
 */
export function modelContextFromRows(rows: readonly ChainRow[]): AgentMessage[] {
  const { compaction, rows: picked } = contextRows(rows);
  const out: AgentMessage[] = [];
  if (compaction) {
    out.push(compactionSummaryMessage(compaction.summary, Date.parse(compaction.timestamp)));
  }
  for (const row of picked) {
    const msg = toContextMessage(row);
    if (msg) out.push(msg);
  }
  return repairToolPairs(out);
}

/**
 * The rows behind the model context: after the latest reset, or the latest
 * compaction (then its kept rows from `firstKeptEntryId` first), in order.
 */
export function contextRows(rows: readonly ChainRow[]): {
  compaction?: Extract<ChainRow, { type: "compaction" }>;
  rows: ChainRow[];
} {
  const start = afterLatestReset(rows);
  for (let i = rows.length - 1; i >= start; i--) {
    if (rows[i].type !== "compaction") continue;
    const c = rows[i] as Extract<ChainRow, { type: "compaction" }>;
    const kept = rows.findIndex((r, k) => k >= start && k < i && r.id === c.firstKeptEntryId);
    return {
      compaction: c,
      rows: [...(kept >= 0 ? rows.slice(kept, i) : []), ...rows.slice(i + 1)],
    };
  }
  return { rows: rows.slice(start) };
}

/** The context message of one row, or undefined when it does not enter the context. */
export function rowToContextMessage(row: ChainRow): AgentMessage | undefined {
  return toContextMessage(row as Row);
}

function toContextMessage(row: Row): AgentMessage | undefined {
  // `custom_message` rows (docs) enter the model context as user text.
  if ((row.type as string) === "custom_message" && typeof row.content === "string") {
    return { role: "user", content: row.content, timestamp: Date.parse(row.timestamp as string) };
  }
  if (row.type !== "message" || !isObject(row.message)) return undefined;
  const m = row.message as Record<string, unknown>;
  if (m.excludeFromContext === true) return undefined;
  if (isObject(m.__openclaw) && (m.__openclaw as Record<string, unknown>).contextFreeCommand) {
    return undefined;
  }
  const { __openclaw: _meta, ...clean } = m;
  if (m.role === "user") return clean as unknown as UserMessage;
  if (m.role === "toolResult") return clean as unknown as ToolResultMessage;
  if (m.role === "assistant") {
    const a = clean as unknown as AssistantMessage;
    // A failed call with nothing said adds nothing and some providers reject empty turns.
    if (!Array.isArray(a.content) || a.content.length === 0) return undefined;
    return a;
  }
  return undefined;
}

/** Drops tool results without a call and answers calls that never got a result. */
function repairToolPairs(messages: AgentMessage[]): AgentMessage[] {
  const out: AgentMessage[] = [];
  let open = new Map<string, string>();
  const closeOpen = () => {
    for (const [id, name] of open) {
      out.push({
        role: "toolResult",
        toolCallId: id,
        toolName: name,
        content: [{ type: "text", text: "No result: the run ended before this tool finished." }],
        isError: true,
        timestamp: 0,
      });
    }
    open = new Map();
  };
  for (const m of messages) {
    if (m.role === "toolResult") {
      if (!open.has(m.toolCallId)) continue;
      open.delete(m.toolCallId);
      out.push(m);
      continue;
    }
    closeOpen();
    out.push(m);
    if (m.role === "assistant") {
      for (const part of m.content) if (part.type === "toolCall") open.set(part.id, part.name);
    }
  }
  closeOpen();
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
