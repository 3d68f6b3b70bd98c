/**
 * `sessions.list` rows: index entries of one or all agents plus the
 * computed fields of spec `agent.md` section 7.2 (kind, classification,
 * isMain, active runs, last message preview), newest first.
 *
 * @module
 */

import type { SessionEntry, SessionRow } from "../types.ts";
import { describeKey, normalizeAgentId } from "./keys.ts";
import type { SessionIndex } from "./store.ts";
import { type ChainRow, readTranscript } from "./transcript.ts";

/** Options of `SessionStore.list`. */
export interface ListOptions {
  agentId?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
  /** Only sessions updated within this many minutes. */
  activeMinutes?: number;
  /** Case-insensitive substring of key, label or displayName. */
  search?: string;
  label?: string;
  /** Adds `lastMessagePreview` (reads each listed transcript's tail). */
  includeLastMessage?: boolean;
}

/** What listing reads. */
export interface ListDeps {
  /** `<stateDir>/agents`: one folder per agent. */
  agentsRoot: string;
  index(agentId: string): SessionIndex;
  transcriptPath(key: string, entry: SessionEntry): string | undefined;
  activeRuns?: (sessionKey: string) => string[];
  mainKey?: string;
  now: () => number;
}

/** Lists sessions; `total` counts every match before the page is cut. */
export async function listSessions(
  opts: ListOptions,
  deps: ListDeps,
): Promise<{ rows: SessionRow[]; total: number }> {
  const agentIds = opts.agentId
    ? [normalizeAgentId(opts.agentId)]
    : await agentDirs(deps.agentsRoot);
  const since = opts.activeMinutes !== undefined
    ? deps.now() - opts.activeMinutes * 60_000
    : undefined;
  const search = opts.search?.toLowerCase();
  const rows: SessionRow[] = [];
  for (const agentId of agentIds) {
    const map = await deps.index(agentId).read();
    for (const [key, entry] of Object.entries(map)) {
      if (since !== undefined && entry.updatedAt < since) continue;
      if (opts.label !== undefined && entry.label !== opts.label) continue;
      if (
        search &&
        ![key, entry.label, entry.displayName].some((s) =>
          typeof s === "string" && s.toLowerCase().includes(search)
        )
      ) continue;
      const facts = describeKey(key, { mainKey: deps.mainKey, agentId });
      const active = deps.activeRuns?.(key) ?? [];
      rows.push({
        ...structuredClone(entry),
        key,
        agentId: facts.agentId,
        kind: facts.kind,
        classification: facts.classification,
        isMain: facts.isMain,
        hasActiveRun: active.length > 0,
        activeRunIds: active,
        ...(active.length > 0 ? { status: "running" } : {}),
      });
    }
  }
  rows.sort((a, b) => b.updatedAt - a.updatedAt || a.key.localeCompare(b.key));
  const offset = Math.max(0, opts.offset ?? 0);
  const limit = Math.max(1, Math.min(opts.limit ?? 100, 1000));
  const page = rows.slice(offset, offset + limit);
  if (opts.includeLastMessage) {
    for (const row of page) {
      const path = deps.transcriptPath(row.key, row);
      if (path === undefined) continue;
      const read = await readTranscript(path, 64 * 1024);
      const preview = lastPreview(read.rows);
      if (preview) row.lastMessagePreview = preview;
    }
  }
  return { rows: page, total: rows.length };
}

async function agentDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(root)) {
      if (e.isDirectory && /^[a-z0-9][a-z0-9_-]{0,63}$/.test(e.name)) out.push(e.name);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out.sort();
}

/** The newest user or assistant text since the latest reset, one line, at most 200 characters. */
function lastPreview(rows: ChainRow[]): string | undefined {
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (r.type === "reset") return undefined;
    if (r.type !== "message") continue;
    const m = r.message as { role?: string; content?: unknown };
    if (m.role !== "user" && m.role !== "assistant") continue;
    const text = typeof m.content === "string"
      ? m.content
      : Array.isArray(m.content)
      ? m.content.filter((p) => p?.type === "text").map((p) => p.text).join(" ")
      : "";
    if (text.trim()) return text.trim().replace(/\s+/g, " ").slice(0, 200);
  }
  return undefined;
}
