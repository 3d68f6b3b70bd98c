/**
 * How many request body bytes the transport may read for one request, decided
 * from its head alone. The transport reads a body whole before the handler
 * runs, so this is where an unauthenticated client is kept from making the
 * gateway buffer an API-sized body: only a caller presenting the gateway
 * secret (or the hooks token on the hooks path) gets the route's cap.
 *
 * @module
 */

import { type AuthSettings, checkSharedSecret, safeEqualSecret } from "../server/auth.ts";
import type { HttpSettings } from "./config.ts";

/** What anyone may send: enough for every 401/400 answer and small requests. */
export const ANONYMOUS_BODY_BYTES = 64 * 1024;

/** The head fields the limit depends on. */
export interface BodyLimitHead {
  method: string;
  /** The request target (path and query). */
  target: string;
  headers: Headers;
}

/** The body cap of one request: the route's cap for an authenticated caller, else a small one. */
export function requestBodyLimit(
  head: BodyLimitHead,
  deps: { settings: HttpSettings; auth: AuthSettings },
): number {
  const path = head.target.split("?", 1)[0];
  const s = deps.settings;
  const route = path === "/v1/chat/completions"
    ? s.chat.maxBodyBytes
    : path === "/v1/responses"
    ? s.responses.maxBodyBytes
    : path === "/tools/invoke"
    ? s.tools.maxBodyBytes
    : s.hooks.enabled && (path === s.hooks.path || path.startsWith(`${s.hooks.path}/`))
    ? s.hooks.maxBodyBytes
    : undefined;
  if (route === undefined) return ANONYMOUS_BODY_BYTES;
  if (s.hooks.enabled && path.startsWith(s.hooks.path)) {
    const token = head.headers.get("x-openclaw-token") ?? bearerOf(head.headers);
    return s.hooks.token && token && safeEqualSecret(token, s.hooks.token)
      ? route
      : Math.min(route, ANONYMOUS_BODY_BYTES);
  }
  if (deps.auth.mode === "none") return route;
  const given = bearerOf(head.headers);
  return checkSharedSecret({ token: given, password: given }, deps.auth) === undefined
    ? route
    : Math.min(route, ANONYMOUS_BODY_BYTES);
}

function bearerOf(headers: Headers): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  return m ? m[1].trim() : undefined;
}
