/**
 * Presence: the gateway's own row plus one per connected client or reporting
 * device, deduplicated by device id, then instance id, then connection.
 *
 * @module
 */

import type { PresenceEntry } from "../../protocol/schemas/presence.ts";
import { selfIp } from "../runtime/host_info.ts";
import { VERSION } from "../version.ts";

/** Rows older than this are dropped unless their connection is still open. */
export const PRESENCE_TTL_MS = 5 * 60_000;
/** At most this many rows; the oldest go first. */
export const PRESENCE_MAX_ENTRIES = 200;
/**
 * At most this many bytes of rows (as JSON) in all: every operator's
 * `hello-ok` and every `presence` event carry the whole list.
 */
export const PRESENCE_MAX_BYTES = 128 * 1024;
/** At most this many roles, scopes or tags in one row (merges are unions). */
export const PRESENCE_MAX_LIST = 32;

/** Options of {@link PresenceStore}. */
export interface PresenceOptions {
  now?: () => number;
  ttlMs?: number;
  maxEntries?: number;
  maxBytes?: number;
}

/** The presence key of a WebSocket client: device id ?? instance id ?? connection id. */
export function presenceKey(
  ids: { deviceId?: string; instanceId?: string; connId: string },
): string {
  return (ids.deviceId ?? ids.instanceId ?? ids.connId).toLowerCase();
}

function union(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return [...new Set([...a, ...b])].slice(0, PRESENCE_MAX_LIST);
}

/** In-memory presence map with TTL, cap and a version counter. */
export class PresenceStore {
  #entries = new Map<string, PresenceEntry>();
  /** JSON size of each row, and their sum, for the byte cap. */
  #sizes = new Map<string, number>();
  #bytes = 0;
  #maxBytes: number;
  /** Open connections per key (tabs or an overlapping reconnect share a key): never expired. */
  #live = new Map<string, number>();
  #version = 0;
  #now: () => number;
  #ttl: number;
  #max: number;
  readonly selfKey: string;

  constructor(self: Omit<PresenceEntry, "ts">, opts: PresenceOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#ttl = opts.ttlMs ?? PRESENCE_TTL_MS;
    this.#max = opts.maxEntries ?? PRESENCE_MAX_ENTRIES;
    this.#maxBytes = opts.maxBytes ?? PRESENCE_MAX_BYTES;
    this.selfKey = `gateway:${(self.host ?? "self").toLowerCase()}`;
    this.#set(this.selfKey, { ...self, ts: this.#now() });
    this.#live.set(this.selfKey, 1);
  }

  /** Increments on every change; sent as `stateVersion.presence`. */
  get version(): number {
    return this.#version;
  }

  /** Merges `entry` into the row at `key` (field-wise; roles and scopes as unions). */
  upsert(key: string, entry: Omit<PresenceEntry, "ts">): void {
    const prev = this.#entries.get(key);
    // Field-wise merge: a field the update leaves undefined keeps its value.
    const defined = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    const next: PresenceEntry = { ...prev, ...defined, ts: this.#now() };
    next.roles = union(prev?.roles, entry.roles);
    next.scopes = union(prev?.scopes, entry.scopes);
    if (!next.roles) delete next.roles;
    if (!next.scopes) delete next.scopes;
    if (next.tags) next.tags = next.tags.slice(0, PRESENCE_MAX_LIST);
    if (!next.tags) delete next.tags;
    // Re-insert so Map order is oldest-first for the cap.
    this.#delete(key);
    this.#set(key, next);
    this.#cap(key);
    this.#version++;
  }

  /** A connection opened for `key`: merge its row and keep it while any connection is open. */
  connect(key: string, entry: Omit<PresenceEntry, "ts">): void {
    this.#live.set(key, (this.#live.get(key) ?? 0) + 1);
    this.upsert(key, entry);
  }

  /**
   * A connection for `key` closed. The row says "disconnect" (and starts to
   * age) only when it was the last one; returns whether the row changed.
   */
  disconnect(key: string): boolean {
    const open = (this.#live.get(key) ?? 0) - 1;
    if (open > 0) {
      this.#live.set(key, open);
      return false;
    }
    this.#live.delete(key);
    if (!this.#entries.has(key)) return false;
    this.upsert(key, { reason: "disconnect" });
    return true;
  }

  #set(key: string, entry: PresenceEntry): void {
    const size = JSON.stringify(entry).length;
    this.#entries.set(key, entry);
    this.#sizes.set(key, size);
    this.#bytes += size;
  }

  #delete(key: string): void {
    this.#bytes -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
    this.#entries.delete(key);
  }

  /**
   * Drops the oldest rows past the row cap (never the gateway's own), then
   * the oldest rows of closed connections and posted notes past the byte cap.
   * Rows of open connections are bounded by the connect schema and the
   * connection count; the row just written (`keep`) stays so its news is sent.
   */
  #cap(keep?: string): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#max) break;
      if (key !== this.selfKey) {
        this.#delete(key);
        this.#live.delete(key);
      }
    }
    for (const key of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      if (key !== this.selfKey && key !== keep && !this.#live.has(key)) this.#delete(key);
    }
  }

  /** Total JSON size of the rows, in bytes (UTF-16 code units). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Drops expired rows; returns whether anything changed. */
  prune(): boolean {
    const cutoff = this.#now() - this.#ttl;
    let changed = false;
    for (const [key, entry] of this.#entries) {
      if (!this.#live.has(key) && entry.ts < cutoff) {
        this.#delete(key);
        changed = true;
      }
    }
    if (changed) this.#version++;
    return changed;
  }

  /** Current rows, newest first. */
  list(): PresenceEntry[] {
    this.prune();
    return [...this.#entries.values()].sort((a, b) => b.ts - a.ts);
  }

  /** Number of rows. */
  get size(): number {
    return this.#entries.size;
  }
}

/** The gateway's own presence row (the first one every client sees). */
export function selfPresence(host: string): Omit<PresenceEntry, "ts"> {
  return {
    host,
    ip: selfIp(),
    version: VERSION,
    platform: Deno.build.os,
    deviceFamily: Deno.build.arch,
    mode: "gateway",
    reason: "self",
  };
}
