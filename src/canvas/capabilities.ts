/**
 * Canvas capabilities: unguessable, expiring tokens that let a node's web
 * view read the canvas without the gateway secret (a web view cannot send
 * `Authorization`). A capability rides in the URL, either as a path prefix
 * `/__openclaw__/cap/<cap>/<canvas path>` or as `?oc_cap=<cap>`, is bound to
 * the WebSocket connection it was issued to, dies when that connection
 * closes, and expires after {@link CAPABILITY_TTL_MS} without use (each use
 * slides the expiry, as the runbook-era gateway did).
 *
 * A lookup compares the offered token with every live one in constant time
 * (no early exit, no Map hashing of the secret), as the original gateway's
 * `safeEqualSecret` scan did; the table holds at most
 * {@link MAX_CAPABILITIES}, so the scan stays small. (`node:crypto` would give
 * a synchronous SHA-256 for a hashed Map key, but loading it costs ~15 ms and
 * ~8 MB at start-up; Web Crypto's digest is async and an upgrade is not.)
 *
 * @module
 */

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
/** Length of every capability this table issues (base64url of {@link CAPABILITY_BYTES}). */
const CAPABILITY_CHARS = Math.ceil(CAPABILITY_BYTES * 4 / 3);

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

/** Whether two strings of the same length are equal, looking at every character. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % b.length);
  return diff === 0;
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
  /** Connection id -> its capability and expiry; insertion order = age. */
  #byConn = new Map<string, { capability: string; expiresAtMs: number }>();

  constructor(opts: CapabilityTableOptions = {}) {
    this.ttlMs = opts.ttlMs ?? CAPABILITY_TTL_MS;
    this.#max = opts.max ?? MAX_CAPABILITIES;
    this.#now = opts.now ?? Date.now;
  }

  /** Issues a capability for `connId`, replacing the one it had. */
  issue(connId: string): CapabilityGrant {
    this.revoke(connId);
    while (this.#byConn.size >= this.#max) {
      this.#byConn.delete(this.#byConn.keys().next().value!);
    }
    const capability = mint();
    const expiresAtMs = this.#now() + this.ttlMs;
    this.#byConn.set(connId, { capability, expiresAtMs });
    return { capability, expiresAtMs };
  }

  /**
   * The connection a live `capability` belongs to, or `undefined` (unknown,
   * expired, revoked). A hit extends the expiry by the TTL.
   */
  check(capability: string): string | undefined {
    // The length is no secret: every capability has the same one.
    if (capability.length !== CAPABILITY_CHARS) return undefined;
    const now = this.#now();
    let owner: string | undefined;
    for (const [connId, entry] of this.#byConn) {
      if (entry.expiresAtMs <= now) {
        this.#byConn.delete(connId);
        continue;
      }
      if (sameText(entry.capability, capability)) owner = connId;
    }
    if (owner !== undefined) this.#byConn.get(owner)!.expiresAtMs = now + this.ttlMs;
    return owner;
  }

  /** Drops the capability of `connId` (its connection closed); true when it had one. */
  revoke(connId: string): boolean {
    return this.#byConn.delete(connId);
  }

  /** Capabilities held (expired ones are dropped when next looked up). */
  get size(): number {
    return this.#byConn.size;
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
