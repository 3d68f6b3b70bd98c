/**
 * The idempotency-key cache of side-effecting methods (`send`, `agent`,
 * `node.invoke`): a duplicate within the window gets the first outcome, and a
 * duplicate that arrives while the first is still running waits for it.
 *
 * @module
 */

/** Defaults from the spec: 5 minutes, 1000 entries. */
export const DEDUPE_TTL_MS = 5 * 60_000;
export const DEDUPE_MAX_ENTRIES = 1000;

interface Entry {
  at: number;
  outcome: Promise<unknown>;
}

/** Options of {@link DedupeCache}. */
export interface DedupeOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
  /**
   * Errors to forget instead of replaying, so a retry runs again (e.g. a
   * retryable or internal error). Default: none are forgotten.
   */
  forgetError?: (err: unknown) => boolean;
}

/** Caches the outcome (result or error) of a keyed call. */
export class DedupeCache {
  #entries = new Map<string, Entry>();
  #ttl: number;
  #max: number;
  #now: () => number;
  #forget: (err: unknown) => boolean;

  constructor(opts: DedupeOptions = {}) {
    this.#forget = opts.forgetError ?? (() => false);
    this.#ttl = opts.ttlMs ?? DEDUPE_TTL_MS;
    this.#max = opts.maxEntries ?? DEDUPE_MAX_ENTRIES;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * Runs `fn` once per `key` within the window. A later call with the same
   * key returns (or rethrows) the first call's outcome without running `fn`,
   * unless that outcome was an error `forgetError` lets go.
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttl) return hit.outcome as Promise<T>;
    const outcome = fn();
    // Handled here, so an unobserved rejection does not crash the process.
    outcome.catch((err) => {
      if (this.#forget(err) && this.#entries.get(key)?.outcome === outcome) {
        this.#entries.delete(key);
      }
    });
    this.#entries.delete(key);
    this.#entries.set(key, { at: now, outcome });
    this.#evict(now);
    return outcome;
  }

  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#max && now - entry.at < this.#ttl) break;
      this.#entries.delete(key);
    }
  }

  /** Number of cached keys. */
  get size(): number {
    return this.#entries.size;
  }
}
