/**
 * Inbound durability for one bot account: updates are journaled before
 * Telegram is told they arrived (the next `getUpdates` offset confirms
 * them), and the `update_id` watermark moves only after the pipeline has
 * handled them. A restart replays the journal and drops what is at or below
 * the watermark, so it neither loses nor repeats a message.
 *
 * File: `$STATE/telegram/<accountId>-updates.json` (0600, atomic).
 *
 * @module
 */

import { writeFileAtomic } from "../../config/write.ts";
import type { TgUpdate } from "./_normalize.ts";

/** Journaled updates at most; beyond this the oldest are handled without a journal entry. */
const MAX_JOURNAL = 500;
/** An update larger than this is not journaled (it is still handled). */
const MAX_UPDATE_BYTES = 64 * 1024;

interface StateFile {
  version: 1;
  lastUpdateId: number;
  pending: TgUpdate[];
}

/** The journal and watermark of one account. */
export class UpdateState {
  #path: string;
  #last = 0;
  #pending = new Map<number, TgUpdate>();
  #inFlight = new Set<number>();
  #maxSeen = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  /** Loads the file; returns the journaled updates to replay, oldest first. */
  async load(): Promise<TgUpdate[]> {
    try {
      const raw = JSON.parse(await Deno.readTextFile(this.#path)) as Partial<StateFile>;
      this.#last = Number.isSafeInteger(raw.lastUpdateId) ? raw.lastUpdateId! : 0;
      for (const u of Array.isArray(raw.pending) ? raw.pending : []) {
        if (Number.isSafeInteger(u?.update_id) && u.update_id > this.#last) {
          this.#pending.set(u.update_id, u);
        }
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof SyntaxError)) throw err;
    }
    this.#maxSeen = Math.max(this.#last, ...this.#pending.keys());
    return [...this.#pending.values()].sort((a, b) => a.update_id - b.update_id);
  }

  /** The `getUpdates` offset that confirms everything journaled or handled. */
  get nextOffset(): number {
    return this.#maxSeen + 1;
  }

  /** The persisted watermark (last handled update, contiguous). */
  get lastUpdateId(): number {
    return this.#last;
  }

  /**
   * Accepts fresh updates: `fresh` are the ones to dispatch (new, not
   * handled, not in flight), right away; `journaled` settles once they are
   * on disk, and the caller confirms them to Telegram (next offset) only
   * then. Journaling is off the reply's path; a failed write rejects
   * `journaled`, and the batch comes again (the pipeline drops the repeat).
   */
  accept(updates: TgUpdate[]): { fresh: TgUpdate[]; journaled: Promise<void> } {
    const fresh: TgUpdate[] = [];
    for (const u of updates) {
      const id = u.update_id;
      if (id <= this.#last || this.#inFlight.has(id)) continue;
      this.#maxSeen = Math.max(this.#maxSeen, id);
      this.#inFlight.add(id);
      if (this.#pending.size < MAX_JOURNAL && JSON.stringify(u).length <= MAX_UPDATE_BYTES) {
        this.#pending.set(id, u);
      }
      fresh.push(u);
    }
    if (!fresh.length) return { fresh, journaled: Promise.resolve() };
    const journaled = this.#save().catch((err) => {
      // Not journaled: forget them so the next poll (same offset) brings them again.
      for (const u of fresh) {
        this.#inFlight.delete(u.update_id);
        this.#pending.delete(u.update_id);
      }
      throw err;
    });
    return { fresh, journaled };
  }

  /** Marks a replayed update as in flight (it is already journaled). */
  claim(id: number): boolean {
    if (id <= this.#last || this.#inFlight.has(id)) return false;
    this.#inFlight.add(id);
    return true;
  }

  /** The pipeline finished `id`: the watermark moves up to the oldest update still in flight. */
  done(id: number): Promise<void> {
    this.#inFlight.delete(id);
    this.#pending.delete(id);
    const oldest = this.#inFlight.size ? Math.min(...this.#inFlight) - 1 : this.#maxSeen;
    if (oldest > this.#last) this.#last = oldest;
    return this.#save();
  }

  #save(): Promise<void> {
    const write = async () => {
      const body: StateFile = {
        version: 1,
        lastUpdateId: this.#last,
        pending: [...this.#pending.values()].filter((u) => u.update_id > this.#last),
      };
      await writeFileAtomic(this.#path, JSON.stringify(body) + "\n", {
        backup: false,
        mode: 0o600,
      });
    };
    this.#chain = this.#chain.then(write, write);
    return this.#chain;
  }
}
