/**
 * Canvas capabilities: unguessable, expiring tokens that let a node's web
 * view read the canvas without the gateway secret (a web view cannot send
 * `Authorization`). A capability rides in the URL, either as a path prefix
 * `/__openclaw__/cap/<cap>/<canvas path>` or as `?oc_cap=<cap>`, is bound to
 * the WebSocket connection it was issued to, dies when that connection
 * closes, and expires after {@link CAPABILITY_TTL_MS} without use (each use
 * slides the expiry, as the runbook-era gateway did).
 *
 * The table keys on SHA-256 of the token, so a lookup never compares the
 * secret itself byte by byte, and holds at most {@link MAX_CAPABILITIES}.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** Path prefix of capability-scoped canvas URLs. */
export const CAPABILITY_PREFIX = "/__openclaw__/cap";
/** Query parameter that may carry a capability instead of the path prefix. */
export const CAPABILITY_QUERY = "oc_cap";
/** Lifetime of an unused capability (2026.9.6 and the runbook-era source: 10 min). */
export const CAPABILITY_TTL_MS = 10 * 60_000;
/** Random bytes per capability: 144 bits, 24 base64url characters (as captured). */
export const CAPABILITY_BYTES = 18;
/** Capabilities held at once (one per connection; the oldest goes first). */
export const MAX_CAPABILITIES = 4096;
/** Longest capability text looked up (anything longer cannot be one of ours). */
const MAX_CAPABILITY_CHARS = 64;

/** A freshly issued capability. */
export interface CapabilityGrant {
  capability: string;
  expiresAtMs: number;
}

/** Options of {@link CapabilityTable}. */
export interface CapabilityTableOptions {
  ttlMs?: number;
  max?: number;
  now?: () => number;
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function mint(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CAPABILITY_BYTES));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The live capabilities of one gateway instance. */
export class CapabilityTable {
  readonly ttlMs: number;
  #max: number;
  #now: () => number;
  /** Token hash -> owner and expiry; insertion order = age. */
  #byHash = new Map<string, { connId: string; expiresAtMs: number }>();
  #byConn = new Map<string, string>();

  constructor(opts: CapabilityTableOptions = {}) {
    this.ttlMs = opts.ttlMs ?? CAPABILITY_TTL_MS;
    this.#max = opts.max ?? MAX_CAPABILITIES;
    this.#now = opts.now ?? Date.now;
  }

  /** Issues a capability for `connId`, replacing the one it had. */
  issue(connId: string): CapabilityGrant {
    this.revoke(connId);
    while (this.#byHash.size >= this.#max) {
      const [oldest, entry] = this.#byHash.entries().next().value!;
      this.#byHash.delete(oldest);
      this.#byConn.delete(entry.connId);
    }
    const capability = mint();
    const hash = digest(capability);
    const expiresAtMs = this.#now() + this.ttlMs;
    this.#byHash.set(hash, { connId, expiresAtMs });
    this.#byConn.set(connId, hash);
    return { capability, expiresAtMs };
  }

  /**
   * The connection a live `capability` belongs to, or `undefined` (unknown,
   * expired, revoked). A hit extends the expiry by the TTL.
   */
  check(capability: string): string | undefined {
    if (!capability || capability.length > MAX_CAPABILITY_CHARS) return undefined;
    const hash = digest(capability);
    const entry = this.#byHash.get(hash);
    if (!entry) return undefined;
    const now = this.#now();
    if (entry.expiresAtMs <= now) {
      this.#byHash.delete(hash);
      this.#byConn.delete(entry.connId);
      return undefined;
    }
    entry.expiresAtMs = now + this.ttlMs;
    return entry.connId;
  }

  /** Drops the capability of `connId` (its connection closed); true when it had one. */
  revoke(connId: string): boolean {
    const hash = this.#byConn.get(connId);
    if (hash === undefined) return false;
    this.#byConn.delete(connId);
    this.#byHash.delete(hash);
    return true;
  }

  /** Capabilities held (expired ones are dropped when next looked up). */
  get size(): number {
    return this.#byHash.size;
  }
}

/** A request path split at the capability prefix. */
export type ScopedPath =
  | { capability: string; path: string }
  | { malformed: true };

/**
 * Splits `/__openclaw__/cap/<cap>/<rest>` into the capability and the
 * canonical path `/<rest>` (still URL-encoded, so the file server's own
 * checks see it as sent). `undefined`: not a capability path; `malformed`:
 * the prefix without a capability or without a path after it.
 */
export function splitCapabilityPath(pathname: string): ScopedPath | undefined {
  if (pathname !== CAPABILITY_PREFIX && !pathname.startsWith(CAPABILITY_PREFIX + "/")) {
    return undefined;
  }
  const rest = pathname.slice(CAPABILITY_PREFIX.length + 1);
  const slash = rest.indexOf("/");
  if (slash <= 0) return { malformed: true };
  let capability: string;
  try {
    capability = decodeURIComponent(rest.slice(0, slash)).trim();
  } catch {
    return { malformed: true };
  }
  if (!capability) return { malformed: true };
  return { capability, path: rest.slice(slash) };
}

/** `base` (`http://host:port`) scoped by `capability`: `<base>/__openclaw__/cap/<cap>`. */
export function scopedUrl(base: string, capability: string): string {
  return `${base.replace(/\/+$/, "")}${CAPABILITY_PREFIX}/${encodeURIComponent(capability)}`;
}
