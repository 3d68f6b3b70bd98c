/**
 * Run admission: one run at a time per session (FIFO), and at most
 * `maxConcurrent` runs across all sessions (spec section 8, "session lane
 * then global lane `main`").
 *
 * @module
 */

/** Default global cap: `max(8, cpu * 4)` as the spec says. */
export function defaultMaxConcurrent(cpus = navigator.hardwareConcurrency ?? 2): number {
  return Math.max(8, cpus * 4);
}

/** A queued run was cancelled before it got a slot. */
export class LaneCancelled extends Error {
  constructor() {
    super("Run cancelled while queued");
    this.name = "LaneCancelled";
  }
}

interface Waiter {
  grant(): void;
}

/** Per-session serial lanes under a global concurrency cap. */
export class Lanes {
  #tails = new Map<string, Promise<void>>();
  #depth = new Map<string, number>();
  #active = 0;
  #waiting: Waiter[] = [];
  #cap: () => number;

  /** `maxConcurrent` is read on every admission, so a config change applies live. */
  constructor(maxConcurrent: () => number) {
    this.#cap = maxConcurrent;
  }

  /**
   * Runs `fn` once the session's earlier runs have finished and a global slot
   * is free. Rejects with {@link LaneCancelled} when `signal` aborts first.
   */
  async run<T>(sessionKey: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const before = this.#tails.get(sessionKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.#tails.set(sessionKey, tail);
    this.#depth.set(sessionKey, (this.#depth.get(sessionKey) ?? 0) + 1);
    let slot = false;
    try {
      await abortable(before, signal);
      await this.#acquire(signal);
      slot = true;
      return await fn();
    } finally {
      if (slot) this.#releaseSlot();
      release();
      const left = (this.#depth.get(sessionKey) ?? 1) - 1;
      if (left === 0) {
        this.#depth.delete(sessionKey);
        if (this.#tails.get(sessionKey) === tail) this.#tails.delete(sessionKey);
      } else this.#depth.set(sessionKey, left);
    }
  }

  /** Runs queued or running on `sessionKey`. */
  depth(sessionKey: string): number {
    return this.#depth.get(sessionKey) ?? 0;
  }

  /** Runs holding a global slot. */
  get active(): number {
    return this.#active;
  }

  /** Runs waiting for a global slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (this.#active < this.#cap()) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          this.#active++;
          resolve();
        },
      };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(new LaneCancelled());
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #releaseSlot(): void {
    this.#active--;
    while (this.#waiting.length && this.#active < this.#cap()) this.#waiting.shift()!.grant();
  }
}

/** `p`, or a {@link LaneCancelled} rejection as soon as `signal` aborts. */
function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new LaneCancelled());
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new LaneCancelled());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
