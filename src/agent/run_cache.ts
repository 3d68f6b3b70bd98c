/**
 * The idempotency record of runs, kept on disk so a request retried after a
 * gateway restart (or crash) does not run its turn twice.
 *
 * One append-only JSONL file: a `started` line when a run is admitted and a
 * `done` line with its result when it ends. Appends survive a SIGKILL (a
 * torn last line is skipped); at load the file is compacted (expired and
 * excess entries dropped) and rewritten atomically (temp file + rename).
 * A key that started but never finished before a restart answers with an
 * "interrupted" error instead of running again: the turn may already have
 * had side effects (tools).
 *
 * @module
 */

import type { RunResult } from "./types.ts";
import { writeFileAtomic } from "../config/write.ts";

/** Finished runs are remembered this long (a client retry is minutes, not days). */
export const RUN_CACHE_TTL_MS = 24 * 60 * 60_000;
/** At most this many keys are remembered (oldest dropped first). */
export const RUN_CACHE_MAX_ENTRIES = 2000;
/** Reply text kept per run; longer replies are cut (the transcript keeps them whole). */
export const RUN_CACHE_MAX_TEXT = 64 * 1024;

/** What the cache knows about a key. */
export type CachedRun =
  | { state: "started"; at: number; runId: string; sessionKey: string; agentId: string }
  | { state: "done"; at: number; result: RunResult };

type Line =
  | { k: string; s: "started"; at: number; runId: string; sessionKey: string; agentId: string }
  | { k: string; s: "done"; at: number; r: RunResult };

/** Options of {@link RunCache}. */
export interface RunCacheOptions {
  /** The JSONL file; absent = memory only (tests, `--local`). */
  path?: string;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** Keyed run records, persisted. */
export class RunCache {
  #entries = new Map<string, CachedRun>();
  #path?: string;
  #ttl: number;
  #max: number;
  #now: () => number;
  #writes: Promise<void> = Promise.resolve();
  #appended = 0;
  #dirReady = false;

  constructor(opts: RunCacheOptions = {}) {
    this.#path = opts.path;
    this.#ttl = opts.ttlMs ?? RUN_CACHE_TTL_MS;
    this.#max = opts.maxEntries ?? RUN_CACHE_MAX_ENTRIES;
    this.#now = opts.now ?? Date.now;
  }

  /** Reads and compacts the file. A missing or unreadable file starts empty. */
  async load(): Promise<void> {
    if (!this.#path) return;
    let text = "";
    try {
      text = await Deno.readTextFile(this.#path);
    } catch {
      return;
    }
    const now = this.#now();
    for (const raw of text.split("\n")) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw);
      } catch {
        continue; // torn by a crash mid-append
      }
      if (typeof line?.k !== "string" || now - line.at > this.#ttl) continue;
      this.#entries.delete(line.k);
      this.#entries.set(
        line.k,
        line.s === "done" ? { state: "done", at: line.at, result: line.r } : {
          state: "started",
          at: line.at,
          runId: line.runId,
          sessionKey: line.sessionKey,
          agentId: line.agentId,
        },
      );
    }
    this.#evict();
    await this.#rewrite();
  }

  /** The record of `key`, if remembered and fresh. */
  get(key: string): CachedRun | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (this.#now() - hit.at > this.#ttl) {
      this.#entries.delete(key);
      return undefined;
    }
    return hit;
  }

  /** Records an admitted run. */
  started(key: string, run: { runId: string; sessionKey: string; agentId: string }): void {
    const at = this.#now();
    this.#set(key, { state: "started", at, ...run });
    this.#append({ k: key, s: "started", at, ...run });
  }

  /** Records a finished run. */
  done(key: string, result: RunResult): void {
    const at = this.#now();
    const r = result.text.length > RUN_CACHE_MAX_TEXT
      ? { ...result, text: result.text.slice(0, RUN_CACHE_MAX_TEXT) }
      : result;
    this.#set(key, { state: "done", at, result: r });
    this.#append({ k: key, s: "done", at, r });
  }

  /** Waits for pending appends (shutdown, tests). */
  flush(): Promise<void> {
    return this.#writes;
  }

  #set(key: string, entry: CachedRun): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#evict();
  }

  #evict(): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#max) break;
      this.#entries.delete(key);
    }
  }

  #append(line: Line): void {
    const path = this.#path;
    if (!path) return;
    const text = JSON.stringify(line) + "\n";
    // Rewritten (compacted) once the file holds twice the bound, so it stays small.
    const compact = ++this.#appended > this.#max * 2;
    if (compact) this.#appended = 0;
    this.#writes = this.#writes.then(async () => {
      try {
        if (!this.#dirReady) {
          await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
          this.#dirReady = true;
        }
        if (compact) await this.#rewrite();
        else await Deno.writeTextFile(path, text, { append: true, create: true, mode: 0o600 });
      } catch {
        // The record is best effort: a full disk must not fail the run.
      }
    });
  }

  async #rewrite(): Promise<void> {
    const path = this.#path;
    if (!path) return;
    const lines: string[] = [];
    for (const [k, e] of this.#entries) {
      lines.push(JSON.stringify(
        e.state === "done" ? { k, s: "done", at: e.at, r: e.result } : {
          k,
          s: "started",
          at: e.at,
          runId: e.runId,
          sessionKey: e.sessionKey,
          agentId: e.agentId,
        },
      ));
    }
    await writeFileAtomic(path, lines.length ? lines.join("\n") + "\n" : "", { backup: false });
  }
}
