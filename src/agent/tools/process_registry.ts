/**
 * Backgrounded exec sessions, shared by every run of the gateway so a
 * command outlives the turn that started it. Finished sessions are kept
 * for a while so `process poll`/`log` can read how they ended; the count
 * is capped; `stop()` kills everything on gateway shutdown.
 *
 * @module
 */

import type { ProcessSession } from "./process_session.ts";

/** Options of {@link createProcessRegistry}. */
export interface ProcessRegistryOptions {
  /** Most sessions kept (running + finished); default 64. */
  maxSessions?: number;
  /** How long a finished session stays listed; default 30 minutes. */
  finishedTtlMs?: number;
  now?: () => number;
}

/** The backgrounded sessions. */
export interface ProcessRegistry {
  /** Registers a backgrounded session; throws when too many are running. */
  add(session: ProcessSession): void;
  get(id: string, scopeKey: string): ProcessSession | undefined;
  list(scopeKey: string): ProcessSession[];
  /** Forgets a session (kill it first when running). */
  remove(id: string, scopeKey: string): boolean;
  /** A fresh, readable session id (`vivid-claw`). */
  newId(): string;
  /** Kills every running session and forgets them all. */
  stop(): Promise<void>;
}

const ADJ = [
  "amber",
  "brisk",
  "calm",
  "deft",
  "eager",
  "fair",
  "gentle",
  "keen",
  "lucid",
  "mellow",
  "nimble",
  "quiet",
  "rapid",
  "steady",
  "tidy",
  "vivid",
];
const NOUN = [
  "claw",
  "crab",
  "reef",
  "shell",
  "tide",
  "kelp",
  "wave",
  "pearl",
  "squid",
  "coral",
  "otter",
  "heron",
  "nudibranch",
  "lobster",
  "shrimp",
  "urchin",
];

function pick(list: string[]): string {
  return list[crypto.getRandomValues(new Uint32Array(1))[0] % list.length];
}

/** Creates the registry. */
export function createProcessRegistry(opts: ProcessRegistryOptions = {}): ProcessRegistry {
  const max = opts.maxSessions ?? 64;
  const ttl = opts.finishedTtlMs ?? 30 * 60_000;
  const now = opts.now ?? Date.now;
  const sessions = new Map<string, ProcessSession>();

  const prune = () => {
    for (const [id, s] of sessions) {
      if (s.status !== "running" && s.endedAt !== undefined && now() - s.endedAt > ttl) {
        sessions.delete(id);
      }
    }
    // Over the cap: drop the oldest finished ones first.
    if (sessions.size >= max) {
      const finished = [...sessions.values()].filter((s) => s.status !== "running")
        .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
      while (sessions.size >= max && finished.length) sessions.delete(finished.shift()!.id);
    }
  };

  return {
    add(session) {
      prune();
      if (sessions.size >= max) {
        throw new Error(
          `Too many background processes (${max} running): kill or remove some with the process tool first`,
        );
      }
      session.backgrounded = true;
      sessions.set(session.id, session);
    },
    get(id, scopeKey) {
      prune();
      const s = sessions.get(id);
      return s && s.scopeKey === scopeKey ? s : undefined;
    },
    list(scopeKey) {
      prune();
      return [...sessions.values()].filter((s) => s.scopeKey === scopeKey);
    },
    remove(id, scopeKey) {
      const s = sessions.get(id);
      if (!s || s.scopeKey !== scopeKey) return false;
      return sessions.delete(id);
    },
    newId() {
      for (let i = 0; i < 20; i++) {
        const id = `${pick(ADJ)}-${pick(NOUN)}`;
        if (!sessions.has(id)) return id;
      }
      return `${pick(ADJ)}-${pick(NOUN)}-${crypto.randomUUID().slice(0, 6)}`;
    },
    async stop() {
      const all = [...sessions.values()];
      sessions.clear();
      for (const s of all) s.kill();
      await Promise.all(all.map((s) => s.done.catch(() => {})));
    },
  };
}
