/**
 * DM pairing (spec channels.md section 2): an unknown sender gets a code; the
 * owner approves it (`openclaw pairing approve telegram CODE`) and the sender
 * joins the channel's allow list. Codes: 8 characters from an alphabet
 * without 0 O 1 I, valid 1 hour, at most 3 pending per channel.
 *
 * Stores, both 0600 and written atomically:
 * `$STATE/credentials/<channel>-pairing.json` (pending requests) and
 * `<channel>-allowFrom.json` (default account) or
 * `<channel>-<accountId>-allowFrom.json`.
 *
 * @module
 */

import { writeFileAtomic } from "../config/write.ts";

/** Letters and digits that cannot be misread (no 0 O 1 I). */
export const PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** Code length. */
export const PAIRING_CODE_LENGTH = 8;
/** A request expires after an hour. */
export const PAIRING_TTL_MS = 60 * 60 * 1000;
/** Pending requests per channel; more are ignored until one expires or is approved. */
export const PAIRING_MAX_PENDING = 3;
/** The stores are small; a larger file is refused rather than parsed. */
const MAX_STORE_BYTES = 1024 * 1024;
/** Allow list entries kept per file. */
const MAX_ALLOW_ENTRIES = 10_000;

/** One pending request. */
export interface PairingRequest {
  channel: string;
  accountId: string;
  senderId: string;
  code: string;
  createdAt: number;
  lastSeenAt: number;
  meta?: { name?: string; username?: string };
}

/** An approval failed; the message names the code and what to do. */
export class PairingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PairingError";
  }
}

/** A fresh code from the crypto RNG (rejection sampling: no modulo bias). */
export function generatePairingCode(): string {
  const out: string[] = [];
  const buf = new Uint8Array(16);
  while (out.length < PAIRING_CODE_LENGTH) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      // 256 - 256 % 32 = 256: every byte maps evenly onto 32 letters.
      if (out.length < PAIRING_CODE_LENGTH) out.push(PAIRING_ALPHABET[b % 32]);
    }
  }
  return out.join("");
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    const stat = await Deno.stat(path);
    if (stat.size > MAX_STORE_BYTES) {
      throw new PairingError(
        `Pairing store ${path} is ${stat.size} bytes (over ${MAX_STORE_BYTES}): move it aside and restart`,
      );
    }
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return fallback;
    if (err instanceof SyntaxError) return fallback;
    throw err;
  }
}

/** Options of {@link PairingStore}. */
export interface PairingStoreOptions {
  /** `$STATE/credentials`. */
  dir: string;
  now?: () => number;
  code?: () => string;
}

/** The pairing and allow-list stores of every channel (one writer per file at a time). */
export class PairingStore {
  #dir: string;
  #now: () => number;
  #code: () => string;
  #tail = new Map<string, Promise<unknown>>();

  constructor(opts: PairingStoreOptions) {
    this.#dir = opts.dir;
    this.#now = opts.now ?? Date.now;
    this.#code = opts.code ?? generatePairingCode;
  }

  /** Runs `fn` after every earlier change of `file`. */
  #serial<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tail.get(file) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.#tail.set(file, next.catch(() => {}));
    return next;
  }

  #pairingPath(channel: string): string {
    return `${this.#dir}/${safe(channel)}-pairing.json`;
  }

  #allowPath(channel: string, accountId: string): string {
    return accountId === "default"
      ? `${this.#dir}/${safe(channel)}-allowFrom.json`
      : `${this.#dir}/${safe(channel)}-${safe(accountId)}-allowFrom.json`;
  }

  async #readRequests(channel: string): Promise<PairingRequest[]> {
    const data = await readJson<{ requests?: PairingRequest[] }>(this.#pairingPath(channel), {});
    const now = this.#now();
    return (Array.isArray(data.requests) ? data.requests : [])
      .filter((r) => r && typeof r.code === "string" && now - r.createdAt < PAIRING_TTL_MS);
  }

  #writeRequests(channel: string, requests: PairingRequest[]): Promise<void> {
    return writeFileAtomic(
      this.#pairingPath(channel),
      JSON.stringify({ version: 1, requests }, null, 2) + "\n",
      { backup: false, mode: 0o600 },
    );
  }

  /** Pending (unexpired) requests of `channel`. */
  list(channel: string): Promise<PairingRequest[]> {
    return this.#readRequests(channel);
  }

  /**
   * Records a request from `senderId`. `created` is true only for a new
   * request (the caller replies with the code only then); a sender with a
   * pending request, or a full channel, gets `created: false`.
   */
  request(
    channel: string,
    accountId: string,
    senderId: string,
    meta?: PairingRequest["meta"],
  ): Promise<{ created: boolean; code?: string }> {
    return this.#serial(this.#pairingPath(channel), async () => {
      const requests = await this.#readRequests(channel);
      const now = this.#now();
      const mine = requests.find((r) => r.senderId === senderId && r.accountId === accountId);
      if (mine) {
        mine.lastSeenAt = now;
        await this.#writeRequests(channel, requests);
        return { created: false, code: mine.code };
      }
      if (requests.length >= PAIRING_MAX_PENDING) return { created: false };
      let code = this.#code();
      while (requests.some((r) => r.code === code)) code = this.#code();
      requests.push({
        channel,
        accountId,
        senderId,
        code,
        createdAt: now,
        lastSeenAt: now,
        ...(meta ? { meta } : {}),
      });
      await this.#writeRequests(channel, requests);
      return { created: true, code };
    });
  }

  /** Approves `code`: the sender joins the allow list; throws {@link PairingError} when unknown. */
  approve(
    channel: string,
    code: string,
    opts: { accountId?: string } = {},
  ): Promise<PairingRequest> {
    const wanted = code.trim().toUpperCase();
    return this.#serial(this.#pairingPath(channel), async () => {
      const requests = await this.#readRequests(channel);
      const hit = requests.find((r) =>
        r.code === wanted && (opts.accountId === undefined || r.accountId === opts.accountId)
      );
      if (!hit) {
        throw new PairingError(
          `No pending ${channel} pairing request with code "${wanted}": it may have expired ` +
            `(codes last 1 hour); run "openclaw pairing list ${channel}" to see pending codes`,
        );
      }
      await this.addAllowed(channel, hit.accountId, hit.senderId);
      await this.#writeRequests(channel, requests.filter((r) => r !== hit));
      return hit;
    });
  }

  /** Drops a pending request without approving it; false when there was none. */
  dismiss(channel: string, code: string): Promise<boolean> {
    const wanted = code.trim().toUpperCase();
    return this.#serial(this.#pairingPath(channel), async () => {
      const requests = await this.#readRequests(channel);
      const rest = requests.filter((r) => r.code !== wanted);
      if (rest.length === requests.length) return false;
      await this.#writeRequests(channel, rest);
      return true;
    });
  }

  /** Sender ids approved through pairing for this account. */
  async allowed(channel: string, accountId: string): Promise<string[]> {
    const data = await readJson<{ allowFrom?: unknown[] }>(this.#allowPath(channel, accountId), {});
    return (Array.isArray(data.allowFrom) ? data.allowFrom : []).map(String);
  }

  /** Adds `senderId` to the account's pairing allow list. */
  addAllowed(channel: string, accountId: string, senderId: string): Promise<void> {
    const path = this.#allowPath(channel, accountId);
    return this.#serial(path, async () => {
      const list = await this.allowed(channel, accountId);
      if (list.includes(senderId)) return;
      if (list.length >= MAX_ALLOW_ENTRIES) {
        throw new PairingError(
          `Allow list ${path} already holds ${MAX_ALLOW_ENTRIES} senders: remove some first`,
        );
      }
      list.push(senderId);
      await writeFileAtomic(path, JSON.stringify({ version: 1, allowFrom: list }, null, 2) + "\n", {
        backup: false,
        mode: 0o600,
      });
    });
  }
}

/** File-name-safe form of a channel or account id. */
function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
}
