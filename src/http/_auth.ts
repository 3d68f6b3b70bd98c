/**
 * Bearer auth of the HTTP APIs: the gateway's shared secret (checked as
 * token and as password, constant time) behind the same per-address limiter
 * as the WebSocket handshake, so failures on either side add up. Private to
 * `src/http/`.
 *
 * @module
 */

import {
  type AuthRateLimiter,
  type AuthSettings,
  checkSharedSecret,
  safeEqualSecret,
} from "../server/auth.ts";
import { HttpError } from "./_common.ts";

/** The bearer credential of a request, or `undefined`. */
export function bearer(req: Request): string | undefined {
  const h = req.headers.get("authorization");
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : undefined;
}

/** 429 with `Retry-After` in whole seconds (spec text). */
function rateLimited(retryAfterMs: number): HttpError {
  return new HttpError(
    429,
    "rate_limited",
    "Too many failed authentication attempts. Please try again later.",
    { "Retry-After": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  );
}

/** 401 (spec text). */
export function unauthorized(): HttpError {
  return new HttpError(401, "unauthorized", "Unauthorized");
}

/**
 * Throws 429 while the address is locked out and 401 for a missing or wrong
 * secret; a wrong one counts toward the lockout, a missing one does not (as
 * on the WebSocket).
 */
export function requireGatewayAuth(
  req: Request,
  remoteIp: string,
  deps: { auth: AuthSettings; limiter: AuthRateLimiter },
): void {
  const wait = deps.limiter.retryAfterMs(remoteIp);
  if (wait > 0) throw rateLimited(wait);
  if (deps.auth.mode === "none") return;
  const given = bearer(req);
  const failure = checkSharedSecret({ token: given, password: given }, deps.auth);
  if (!failure) {
    deps.limiter.recordSuccess(remoteIp);
    return;
  }
  if (failure.counts) {
    deps.limiter.recordFailure(remoteIp);
    const locked = deps.limiter.retryAfterMs(remoteIp);
    if (locked > 0) throw rateLimited(locked);
  }
  throw unauthorized();
}

/**
 * Whether the request carries the gateway secret, without answering 401
 * (readiness details). A wrong secret still counts toward the lockout, so
 * this is no guessing oracle.
 */
export function isGatewayAuthed(
  req: Request,
  remoteIp: string,
  deps: { auth: AuthSettings; limiter: AuthRateLimiter },
): boolean {
  try {
    if (deps.auth.mode === "none" || !bearer(req)) return false;
    requireGatewayAuth(req, remoteIp, deps);
    return true;
  } catch {
    return false;
  }
}

/**
 * Hook auth: `Authorization: Bearer <hooks.token>` or `x-openclaw-token`;
 * a `?token=` query is refused (it ends up in proxy and browser logs).
 */
export function requireHookAuth(
  req: Request,
  remoteIp: string,
  deps: { token: string; limiter: AuthRateLimiter; url: URL },
): void {
  const wait = deps.limiter.retryAfterMs(remoteIp);
  if (wait > 0) throw rateLimited(wait);
  if (deps.url.searchParams.has("token")) {
    throw new HttpError(
      400,
      "invalid_request_error",
      "The token query parameter is not accepted: send Authorization: Bearer <hooks.token>",
    );
  }
  const given = bearer(req) ?? req.headers.get("x-openclaw-token") ?? undefined;
  if (given !== undefined && given !== "" && safeEqualSecret(given, deps.token)) {
    deps.limiter.recordSuccess(remoteIp);
    return;
  }
  deps.limiter.recordFailure(remoteIp);
  const locked = deps.limiter.retryAfterMs(remoteIp);
  if (locked > 0) throw rateLimited(locked);
  throw unauthorized();
}
