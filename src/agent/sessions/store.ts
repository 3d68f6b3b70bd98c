/**
 * One agent's session index, `agents/<agentId>/sessions/sessions.json`
 * (`{ "<sessionKey>": SessionEntry }`, spec `agent.md` section 7.2).
 *
 * Writes are serialised and atomic (temp file, fsync, rename; file 0600,
 * folders 0700), so a SIGKILL leaves the old index or the new one. Updates
 * that arrive while a write is under way share the next write (group
 * commit): each still resolves only once its change is on disk, but twenty
 * sessions ending a turn at once cost two fsyncs, not twenty. A damaged
 * index is never silently reset: the file is kept aside as
 * `sessions.json.corrupt-<time>` and reported, and the rows that still
 * parse are used.
 *
 * @module
 */

import { writeFileAtomic } from "../../config/write.ts";
import type { SessionEntry } from "../types.ts";

/** Largest index file loaded (a bigger one is kept aside and reported). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** The rows of an index, by canonical session key. */
export type SessionMap = Record<string, SessionEntry>;

/** Options of {@link openSessionIndex}. */
export interface SessionIndexOptions {
  /** Called with a sentence when the file was damaged and set aside. */
  onIssue?: (message: string) => void;
  now?: () => number;
}

/** An open index. `read` is cached; `update` is the only way to change it. */
export interface SessionIndex {
  readonly path: string;
  /** The current rows (a shared snapshot: do not mutate). */
  read(): Promise<Readonly<SessionMap>>;
  /**
   * Runs `fn` on the rows (mutate them in place) and writes the result
   * atomically, one update at a time. Return `new UpdateResult(value,
   * false)` to skip the write when nothing changed.
   */
  update<T>(fn: (rows: SessionMap) => T | UpdateResult<T>): Promise<T>;
}

/** Return from an `update` callback to skip the write (nothing changed). */
export class UpdateResult<T> {
  constructor(readonly value: T, readonly write: boolean) {}
}

/** Opens the index at `path`; nothing is read before the first call. */
export function openSessionIndex(path: string, opts: SessionIndexOptions = {}): SessionIndex {
  const now = opts.now ?? Date.now;
  let cache: SessionMap | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // The write under way, and the next one (shared by every update since it began).
  let writing: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;

  /** Resolves once the rows as they are now (and any later change it carries) are on disk. */
  function persist(): Promise<void> {
    next ??= writing.catch(() => {}).then(async () => {
      next = undefined;
      const rows = cache;
      if (!rows) {
        // A write failed after this change was made in memory: it is not on disk.
        throw new Error(`Session index ${path} was not saved (an earlier write failed); retry`);
      }
      const write = writeFileAtomic(path, JSON.stringify(rows, null, 2) + "\n", {
        backup: false,
        mode: 0o600,
      });
      writing = write;
      try {
        await write;
      } catch (err) {
        // The in-memory rows may be ahead of the disk: reload on next use.
        if (cache === rows) cache = undefined;
        throw err;
      }
    });
    return next;
  }

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  }

  async function load(): Promise<SessionMap> {
    if (cache) return cache;
    cache = await loadIndex(path, now, opts.onIssue);
    return cache;
  }

  return {
    path,
    read: () => serial(load),
    async update<T>(fn: (rows: SessionMap) => T | UpdateResult<T>): Promise<T> {
      // Changes apply one at a time, in order; the write is shared (see persist).
      const { value, written } = await serial(async () => {
        const rows = await load();
        const result = fn(rows);
        const { value, write } = result instanceof UpdateResult
          ? result
          : { value: result, write: true };
        return { value, written: write ? persist() : undefined };
      });
      await written;
      return value;
    },
  };
}

async function loadIndex(
  path: string,
  now: () => number,
  onIssue?: (message: string) => void,
): Promise<SessionMap> {
  await removeStaleTemps(path);
  let text: string;
  try {
    const size = (await Deno.stat(path)).size;
    if (size > MAX_INDEX_BYTES) {
      const aside = await setAside(path, now, false);
      onIssue?.(
        `Session index ${path} is ${size} bytes, over the ${MAX_INDEX_BYTES} limit: ` +
          `kept aside as ${aside} and started empty (trim it and move it back to recover)`,
      );
      return {};
    }
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const aside = await setAside(path, now, false);
    onIssue?.(
      `Session index ${path} is not valid JSON (${(err as Error).message}): kept aside as ` +
        `${aside} and started empty (repair it and move it back to recover)`,
    );
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    const aside = await setAside(path, now, false);
    onIssue?.(
      `Session index ${path} is not a JSON object: kept aside as ${aside} and started empty ` +
        "(repair it and move it back to recover)",
    );
    return {};
  }
  const rows: SessionMap = {};
  const bad: string[] = [];
  for (const [key, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (isEntry(entry)) rows[key] = entry;
    else bad.push(key);
  }
  if (bad.length > 0) {
    const aside = await setAside(path, now, true);
    onIssue?.(
      `Session index ${path} has ${bad.length} unreadable row(s) (${
        bad.slice(0, 3).map((k) => JSON.stringify(k)).join(", ")
      }): a copy is kept as ${aside}; the other rows are used`,
    );
  }
  return rows;
}

/**
 * Temp files of writes a crash interrupted (`sessions.json.tmp-<pid>-<id>`).
 * Loading happens before this process writes, so any found are orphans.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash);
  const prefix = `${path.slice(slash + 1)}.tmp-`;
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.startsWith(prefix)) {
        await Deno.remove(`${dir}/${e.name}`).catch(() => {});
      }
    }
  } catch {
    // No folder yet: nothing to clean.
  }
}

function isEntry(v: unknown): v is SessionEntry {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  return typeof e.sessionId === "string" && e.sessionId.length > 0 &&
    typeof e.updatedAt === "number";
}

async function setAside(path: string, now: () => number, copy: boolean): Promise<string> {
  const aside = `${path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, "-")}`;
  if (copy) await Deno.copyFile(path, aside);
  else await Deno.rename(path, aside);
  await Deno.chmod(aside, 0o600).catch(() => {});
  return aside;
}
