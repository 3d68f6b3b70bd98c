/**
 * The agent's memory: per-agent session indexes and JSONL transcripts under
 * `<stateDir>/agents/<agentId>/sessions/` (spec `agent.md` section 7).
 *
 * @example
 * ```ts
 * const sessions = createSessionStore({ stateDir: "/home/me/.openclaw" });
 * const { entry } = await sessions.ensure("agent:main:main", { createdVia: "operator" });
 * await sessions.append("agent:main:main", { type: "message", message: userMessage });
 * const context = await sessions.modelContext("agent:main:main");
 * ```
 *
 * @module
 */

import type { AgentMessage, SessionEntry, SessionRow, Usage } from "../types.ts";
import { historyFromRows, type HistoryMessage, modelContextFromRows } from "./history.ts";
import { agentIdFromKey, DEFAULT_AGENT_ID, normalizeAgentId, SessionKeyError } from "./keys.ts";
import { checkSessionId, freshFileName, transcriptName } from "./_files.ts";
import { addEntryUsage, newEntry, resetEntry } from "./_entry.ts";
import { openSessionIndex, type SessionIndex, UpdateResult } from "./store.ts";
import { type ListOptions, listSessions } from "./list.ts";
import { type ChainRow, type NewRow, openTranscript, type Transcript } from "./transcript.ts";

export * from "./keys.ts";
export type { ListOptions } from "./list.ts";
export * from "./reset_policy.ts";
export { compactionSummaryMessage, type HistoryMessage } from "./history.ts";
export {
  type ChainRow,
  type NewRow,
  TRANSCRIPT_VERSION,
  type TranscriptRead,
} from "./transcript.ts";

/** Narrow deps of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** `<stateDir>/agents/<agentId>/sessions/` holds each agent's sessions. */
  stateDir: string;
  /** Workspace dir of an agent, for the transcript header `cwd`. */
  cwdFor?: (agentId: string) => string;
  /** Run ids currently running on a session (the engine's lanes), for list rows. */
  activeRuns?: (sessionKey: string) => string[];
  /** A damaged index was kept aside (log it; `issues()` keeps the list too). */
  onIssue?: (message: string) => void;
  mainKey?: string;
  now?: () => number;
}

/** How a new session row starts. */
export interface EnsureInit {
  /** Use this id (e.g. the idempotency key of an explicit `agent` run). */
  sessionId?: string;
  createdVia?: string;
  chatType?: SessionEntry["chatType"];
  label?: string;
  /** Workspace dir for the transcript header (else `cwdFor`). */
  cwd?: string;
}

/** The session store every part shares. */
export interface SessionStore {
  /** Path of an agent's `sessions.json`. */
  indexPath(agentId: string): string;
  get(key: string): Promise<SessionEntry | undefined>;
  /** The row of `key`, created (with a new transcript) when missing. */
  ensure(key: string, init?: EnsureInit): Promise<{ entry: SessionEntry; created: boolean }>;
  /** Creates the row when missing, then merges `fields` into it. */
  upsert(key: string, fields: Record<string, unknown>, init?: EnsureInit): Promise<SessionEntry>;
  /** Merges fields into an existing row (`null` deletes a field); throws when missing. */
  patch(key: string, fields: Record<string, unknown>): Promise<SessionEntry>;
  /** Appends a `reset` row (sessionId kept) and zeroes the row's token counts. */
  reset(key: string, reason: string): Promise<SessionEntry>;
  /** Removes the row (and by default its transcript). Returns whether it existed. */
  delete(key: string, opts?: { deleteTranscript?: boolean }): Promise<boolean>;
  list(opts?: ListOptions): Promise<{ rows: SessionRow[]; total: number }>;
  /** Appends a row to the session's transcript (`touch`: also bump the row's `updatedAt`). */
  append(key: string, row: NewRow, opts?: { touch?: boolean }): Promise<ChainRow>;
  /** Transcript rows (after the header) of a session. */
  rows(key: string): Promise<ChainRow[]>;
  history(key: string, opts?: { limit?: number; maxBytes?: number }): Promise<{
    sessionId?: string;
    messages: HistoryMessage[];
    total: number;
  }>;
  modelContext(key: string): Promise<AgentMessage[]>;
  /** Adds one model call's usage to the row (see README: cumulative in/out, last total). */
  recordUsage(key: string, usage: Usage, opts?: { contextTokens?: number }): Promise<void>;
  /** Index problems seen so far (damaged files kept aside). */
  issues(): string[];
}

const MAX_OPEN_TRANSCRIPTS = 256;

/** Builds the session store over `<stateDir>/agents/*`. */
export function createSessionStore(opts: SessionStoreOptions): SessionStore {
  const now = opts.now ?? Date.now;
  const indexes = new Map<string, SessionIndex>();
  const transcripts = new Map<string, Transcript>();
  const issues: string[] = [];
  const cwds = new Map<string, string>();
  const onIssue = (m: string) => {
    issues.push(m);
    opts.onIssue?.(m);
  };
  const dirOf = (agentId: string) =>
    `${opts.stateDir}/agents/${normalizeAgentId(agentId)}/sessions`;
  const indexOf = (agentId: string) => {
    const id = normalizeAgentId(agentId);
    let index = indexes.get(id);
    if (!index) {
      index = openSessionIndex(`${dirOf(id)}/sessions.json`, { onIssue, now });
      indexes.set(id, index);
    }
    return index;
  };
  const agentOf = (key: string) => agentIdFromKey(key, DEFAULT_AGENT_ID);
  const reported = new Set<string>();
  const fileOf = (key: string, entry: SessionEntry): string | undefined => {
    const name = transcriptName(entry);
    if (name === undefined) {
      if (!reported.has(key)) {
        reported.add(key);
        onIssue(
          `Session ${JSON.stringify(key)} in ${dirOf(agentOf(key))}/sessions.json has no ` +
            `sessionFile and its sessionId is not a safe file name: its transcript is ignored ` +
            `(give the row a sessionFile like "<id>.jsonl", or delete the row)`,
        );
      }
      return undefined;
    }
    return `${dirOf(agentOf(key))}/${name}`;
  };
  const transcriptOf = (key: string, entry: SessionEntry): Transcript => {
    const path = fileOf(key, entry);
    if (path === undefined) {
      throw new SessionKeyError(
        `Session ${JSON.stringify(key)} has no usable transcript file ` +
          `(no sessionFile and an unsafe sessionId): delete the row and start again`,
        key,
      );
    }
    let t = transcripts.get(path);
    if (!t) {
      if (transcripts.size >= MAX_OPEN_TRANSCRIPTS) {
        for (const [p, old] of transcripts) {
          if (!old.busy()) {
            transcripts.delete(p);
            break;
          }
        }
      }
      t = openTranscript(path, {
        sessionId: entry.sessionId,
        cwd: cwds.get(agentOf(key)) ?? opts.cwdFor?.(agentOf(key)) ?? "",
        now,
      });
      transcripts.set(path, t);
    }
    return t;
  };
  const mustGet = async (key: string) => {
    const entry = (await indexOf(agentOf(key)).read())[key];
    if (!entry) {
      throw new Deno.errors.NotFound(
        `Unknown session ${JSON.stringify(key)} (list sessions to see keys)`,
      );
    }
    return entry;
  };

  const store: SessionStore = {
    indexPath: (agentId) => `${dirOf(agentId)}/sessions.json`,
    async get(key) {
      const entry = (await indexOf(agentOf(key)).read())[key];
      return entry ? structuredClone(entry) : undefined;
    },
    async ensure(key, init = {}) {
      if (init.sessionId !== undefined) checkSessionId(init.sessionId);
      if (init.cwd) cwds.set(agentOf(key), init.cwd);
      return await indexOf(agentOf(key)).update<{ entry: SessionEntry; created: boolean }>(
        (rows) => {
          const existing = rows[key];
          if (existing) {
            return new UpdateResult({ entry: structuredClone(existing), created: false }, false);
          }
          const sessionId = init.sessionId ?? crypto.randomUUID();
          const entry = newEntry(sessionId, freshFileName(sessionId, rows), init, now());
          rows[key] = entry;
          return { entry: structuredClone(entry), created: true };
        },
      );
    },
    async upsert(key, fields, init) {
      await store.ensure(key, init);
      return await store.patch(key, fields);
    },
    async patch(key, fields) {
      await mustGet(key);
      return indexOf(agentOf(key)).update((rows) => {
        const entry = rows[key];
        for (const [k, v] of Object.entries(fields)) {
          if (k === "sessionId" || k === "sessionFile") continue; // identity is not patchable
          if (v === null || v === undefined) delete entry[k];
          else entry[k] = v;
        }
        entry.updatedAt = Math.max(now(), entry.updatedAt);
        return structuredClone(entry);
      });
    },
    async reset(key, reason) {
      const { entry } = await store.ensure(key);
      await transcriptOf(key, entry).append({ type: "reset", reason });
      return indexOf(agentOf(key)).update((rows) => {
        resetEntry(rows[key], now());
        return structuredClone(rows[key]);
      });
    },
    async delete(key, delOpts = {}) {
      const entry = (await indexOf(agentOf(key)).read())[key];
      if (!entry) return false;
      await indexOf(agentOf(key)).update((rows) => {
        delete rows[key];
      });
      const name = transcriptName(entry);
      const rest = await indexOf(agentOf(key)).read();
      const shared = Object.values(rest).some((e) => transcriptName(e) === name);
      if (delOpts.deleteTranscript !== false && name !== undefined && !shared) {
        const t = transcriptOf(key, entry);
        await t.remove();
        transcripts.delete(t.path);
      }
      return true;
    },
    list: (listOpts = {}) =>
      listSessions(listOpts, {
        agentsRoot: `${opts.stateDir}/agents`,
        index: indexOf,
        transcriptPath: fileOf,
        activeRuns: opts.activeRuns,
        mainKey: opts.mainKey,
        now,
      }),
    async append(key, row, appendOpts = {}) {
      const entry = await mustGet(key);
      const written = await transcriptOf(key, entry).append(row);
      // Touching the index costs an fsync'd rewrite: only when asked (run ends patch anyway).
      if (appendOpts.touch) {
        await indexOf(agentOf(key)).update((rows) => {
          const e = rows[key];
          if (e) e.updatedAt = Math.max(now(), e.updatedAt);
        });
      }
      return written;
    },
    async rows(key) {
      const entry = await store.get(key);
      return entry && fileOf(key, entry) ? (await transcriptOf(key, entry).read()).rows : [];
    },
    async history(key, hOpts = {}) {
      const entry = await store.get(key);
      if (!entry) return { messages: [], total: 0 };
      if (!fileOf(key, entry)) return { sessionId: entry.sessionId, messages: [], total: 0 };
      const read = await transcriptOf(key, entry).read();
      return { sessionId: entry.sessionId, ...historyFromRows(read.rows, hOpts) };
    },
    async modelContext(key) {
      return modelContextFromRows(await store.rows(key));
    },
    async recordUsage(key, usage, uOpts = {}) {
      await mustGet(key);
      await indexOf(agentOf(key)).update((rows) => {
        addEntryUsage(rows[key], usage, { contextTokens: uOpts.contextTokens, now: now() });
      });
    },
    issues: () => [...issues],
  };
  return store;
}
