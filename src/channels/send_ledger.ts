/**
 * The durable idempotency record of `send`: a key is marked pending before
 * the channel is called and holds the outcome afterwards, on disk, so a
 * client that retries after a gateway crash never sends twice. A key found
 * pending after a restart has an unknown outcome and is answered as such.
 *
 * File: `$STATE/channels/send-ledger.json` (0600, atomic). Spec: 5 minute
 * window, at most 1000 keys.
 *
 * @module
 */

import { writeFileAtomic } from "../config/write.ts";

/** Spec window and size. */
export const SEND_LEDGER_TTL_MS = 5 * 60_000;
export const SEND_LEDGER_MAX = 1000;

/** One key's record. */
export type LedgerRecord =
  | { at: number; state: "pending" }
  | { at: number; state: "ok"; result: Record<string, unknown> }
  | { at: number; state: "error"; code: string; message: string };

/** The ledger (one per gateway instance; writes are serialised). */
export class SendLedger {
  #path: string;
  #now: () => number;
  #records = new Map<string, LedgerRecord>();
  #loaded = false;
  #chain: Promise<void> = Promise.resolve();

  constructor(path: string, now: () => number = Date.now) {
    this.#path = path;
    this.#now = now;
  }

  async #load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    try {
      const raw = JSON.parse(await Deno.readTextFile(this.#path)) as {
        records?: Record<string, LedgerRecord>;
      };
      for (const [k, v] of Object.entries(raw.records ?? {})) {
        if (v && typeof v.at === "number") this.#records.set(k, v);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof SyntaxError)) throw err;
    }
  }

  #prune(): void {
    const cutoff = this.#now() - SEND_LEDGER_TTL_MS;
    for (const [k, v] of this.#records) if (v.at < cutoff) this.#records.delete(k);
    while (this.#records.size > SEND_LEDGER_MAX) {
      this.#records.delete(this.#records.keys().next().value!);
    }
  }

  /** The record of `key` within the window. */
  async get(key: string): Promise<LedgerRecord | undefined> {
    await this.#load();
    this.#prune();
    return this.#records.get(key);
  }

  /** Stores `record` for `key` and waits until it is on disk. */
  async set(key: string, record: LedgerRecord): Promise<void> {
    await this.#load();
    this.#records.delete(key);
    this.#records.set(key, record);
    this.#prune();
    const write = () =>
      writeFileAtomic(
        this.#path,
        JSON.stringify({ version: 1, records: Object.fromEntries(this.#records) }) + "\n",
        { backup: false, mode: 0o600 },
      );
    this.#chain = this.#chain.then(write, write);
    await this.#chain;
  }
}
