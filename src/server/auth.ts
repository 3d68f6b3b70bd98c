/**
 * Shared-secret auth for the control plane: constant-time compare and a
 * per-address limiter for repeated failures.
 *
 * @module
 */

import type { AuthFailureCode } from "../../protocol/errors.ts";
import type { AuthMode } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";

/**
 * Compares two secrets in constant time for a given input length: every
 * character of `given` is compared (against `expected` read cyclically), so
 * the time depends on neither where they differ nor `expected`'s content or
 * length. No hashing and no allocation: this runs on every handshake.
 */
export function safeEqualSecret(given: string, expected: string): boolean {
  if (expected.length === 0) return given.length === 0;
  let diff = given.length ^ expected.length;
  for (let i = 0; i < given.length; i++) {
    diff |= given.charCodeAt(i) ^ expected.charCodeAt(i % expected.length);
  }
  return diff === 0;
}

/** The auth settings in force. */
export interface AuthSettings {
  mode: AuthMode;
  token?: string;
  password?: string;
}

/** Limiter settings: `maxAttempts` failures within `windowMs` lock an address for `lockoutMs`. */
export interface RateLimitSettings {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  exemptLoopback: boolean;
}

/** Defaults from the spec: 10 failures / 60 s -> 5 min lockout, loopback exempt. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  maxAttempts: 10,
  windowMs: 60_000,
  lockoutMs: 300_000,
  exemptLoopback: true,
};

const MAX_TRACKED = 10_000;
const MAX_LOCKOUTS = 100_000;

/** Whether an address is loopback (127/8, ::1, IPv4-mapped loopback). */
export function isLoopbackAddress(ip: string): boolean {
  return ip === "::1" || ip.startsWith("127.") || ip.startsWith("::ffff:127.") ||
    ip === "localhost";
}

/**
 * The limiter's key for an address: IPv4 as is (also when IPv4-mapped), IPv6
 * by its /64, since one host usually owns a whole /64 and could otherwise
 * rotate through fresh addresses.
 */
export function limiterKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  const groups = [
    ...left,
    ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"),
    ...right,
  ];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * Where an attempt came from: `browser` when the socket carried a browser
 * `Origin`; `deviceToken` when it offered only a device token (the spec's
 * `device-token` limiter scope, apart from the shared secret's).
 */
export interface LimiterScope {
  browser?: boolean;
  deviceToken?: boolean;
}

/** Sliding-window failure counter with lockout, keyed by remote address (IPv6 by /64). */
export class AuthRateLimiter {
  #failures = new Map<string, number[]>();
  #lockedUntil = new Map<string, number>();
  #settings: RateLimitSettings;
  #now: () => number;
  #onLockout: (key: string, ms: number) => void;

  constructor(
    settings: RateLimitSettings,
    opts: { now?: () => number; onLockout?: (key: string, ms: number) => void } = {},
  ) {
    this.#settings = settings;
    this.#now = opts.now ?? Date.now;
    this.#onLockout = opts.onLockout ?? (() => {});
  }

  /**
   * Swaps in new settings and lockout reporter, keeping the failures and
   * lockouts seen so far: the limiter belongs to the process, so an
   * in-process restart must not forgive an attacker.
   */
  configure(settings: RateLimitSettings, onLockout?: (key: string, ms: number) => void): void {
    this.#settings = settings;
    if (onLockout) this.#onLockout = onLockout;
  }

  // A web page is limited even on loopback, under its own key, so a page
  // guessing the secret locks out itself and never the local CLI.
  #exempt(ip: string, from: LimiterScope): boolean {
    return !from.browser && this.#settings.exemptLoopback && isLoopbackAddress(ip);
  }

  #key(address: string, from: LimiterScope): string {
    const key = from.deviceToken ? `device-token:${limiterKey(address)}` : limiterKey(address);
    return from.browser ? `browser:${key}` : key;
  }

  /** Milliseconds until `ip` may try again, or 0 when it is not locked out. */
  retryAfterMs(address: string, from: LimiterScope = {}): number {
    if (this.#exempt(address, from)) return 0;
    const ip = this.#key(address, from);
    const until = this.#lockedUntil.get(ip);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left <= 0) {
      this.#lockedUntil.delete(ip);
      return 0;
    }
    return left;
  }

  /** Records a failed attempt; may start a lockout. */
  recordFailure(address: string, from: LimiterScope = {}): void {
    if (this.#exempt(address, from)) return;
    const ip = this.#key(address, from);
    const now = this.#now();
    const since = now - this.#settings.windowMs;
    const list = (this.#failures.get(ip) ?? []).filter((t) => t > since);
    list.push(now);
    if (list.length >= this.#settings.maxAttempts) {
      this.#lockedUntil.set(ip, now + this.#settings.lockoutMs);
      this.#failures.delete(ip);
      this.#onLockout(ip, this.#settings.lockoutMs);
      if (this.#lockedUntil.size > MAX_LOCKOUTS) this.prune();
    } else {
      this.#failures.set(ip, list);
    }
    if (this.#failures.size > MAX_TRACKED) this.prune();
  }

  /** Forgets an address after a success. */
  recordSuccess(address: string, from: LimiterScope = {}): void {
    this.#failures.delete(this.#key(address, from));
  }

  /** Drops stale entries; bounded memory under a spray of addresses. */
  prune(): void {
    const now = this.#now();
    const since = now - this.#settings.windowMs;
    for (const [ip, list] of this.#failures) {
      if (list[list.length - 1] <= since) this.#failures.delete(ip);
    }
    for (const [ip, until] of this.#lockedUntil) if (until <= now) this.#lockedUntil.delete(ip);
    while (this.#failures.size > MAX_TRACKED) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
    // Active lockouts are dropped only far past the failure cap: unlocking
    // early is what an attacker spraying addresses would want.
    while (this.#lockedUntil.size > MAX_LOCKOUTS) {
      this.#lockedUntil.delete(this.#lockedUntil.keys().next().value!);
    }
  }
}

/** A failed authentication, with the `details.code` clients act on. */
export interface AuthFailure {
  code: AuthFailureCode;
  message: string;
  /** Whether this attempt counts toward the limiter (missing credentials do not). */
  counts: boolean;
  recommendedNextStep: "update_auth_credentials" | "update_auth_configuration" | "wait_then_retry";
}

/** Checks offered credentials against the settings; `undefined` means accepted. */
export function checkSharedSecret(
  offered: { token?: string; password?: string } | undefined,
  settings: AuthSettings,
): AuthFailure | undefined {
  if (settings.mode === "none") return undefined;
  const given = offered?.token ?? offered?.password;
  const expected = settings.mode === "token" ? settings.token : settings.password;
  const kind = settings.mode; // "token" | "password"
  const upper = kind.toUpperCase() as "TOKEN" | "PASSWORD";
  if (!expected) {
    return {
      code: `AUTH_${upper}_NOT_CONFIGURED`,
      message:
        `unauthorized: gateway ${kind} not configured on the gateway (set gateway.auth.${kind})`,
      counts: false,
      recommendedNextStep: "update_auth_configuration",
    };
  }
  if (given === undefined || given === "") {
    return {
      code: `AUTH_${upper}_MISSING`,
      message: `unauthorized: gateway ${kind} missing (pass --${kind} or set ` +
        `OPENCLAW_GATEWAY_${upper} on the client)`,
      counts: false,
      recommendedNextStep: "update_auth_credentials",
    };
  }
  // The gateway accepts its secret in either field (newer clients send both ways).
  const ok = [offered?.token, offered?.password].some((v) =>
    v !== undefined && safeEqualSecret(v, expected)
  );
  if (ok) return undefined;
  return {
    code: `AUTH_${upper}_MISMATCH`,
    message: `unauthorized: gateway ${kind} mismatch (use the ${kind} from gateway.auth.${kind} ` +
      `or OPENCLAW_GATEWAY_${upper})`,
    counts: true,
    recommendedNextStep: "update_auth_credentials",
  };
}

/** The `onLockout` callback of {@link AuthRateLimiter.configure} that warns in the log. */
export function lockoutWarning(log: Pick<Logger, "warn">): (key: string, ms: number) => void {
  return (key, ms) =>
    log.warn(
      `auth: ${key} locked out for ${Math.round(ms / 1000)} s after repeated failures ` +
        "(gateway.auth.rateLimit)",
      { key, lockoutMs: ms },
    );
}
