/**
 * Browser guards of the HTTP API, checked before auth on every API route:
 *
 * - `Origin`: a browser page on another site must not drive the API (with
 *   `gateway.auth.mode: "none"` it needs no secret). Accepted as at the
 *   WebSocket upgrade (`checkOrigin`): no `Origin` (not a browser), the
 *   gateway's own loopback/IP origin, or `gateway.controlUi.allowedOrigins`.
 * - `Host` (auth `none` only): DNS rebinding lets a page on
 *   `attacker.example` reach a loopback gateway as its own origin, so without
 *   a secret only a loopback name or an IP literal is served.
 *
 * Private to `src/http/`.
 *
 * @module
 */

import { checkOrigin, isLiteralHostName } from "../server/origin.ts";
import { HttpError } from "./_common.ts";

/** 403 naming what was refused and what to do. */
function forbidden(message: string): HttpError {
  return new HttpError(403, "forbidden", message);
}

/** The host part of a `Host` header (`[::1]:80` -> `[::1]`), lower case. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

/**
 * Throws 403 for a browser request from a foreign origin, and, when the
 * gateway runs without auth, for a `Host` that is not a loopback name or an
 * IP literal.
 */
export function guardBrowser(
  req: Request,
  opts: { allowedOrigins: readonly string[]; authNone: boolean },
): void {
  const origin = checkOrigin(req.headers, opts.allowedOrigins);
  if (!origin.ok) {
    throw forbidden(
      `Origin ${JSON.stringify(origin.origin)} is not allowed (${origin.reason}): call the API ` +
        "from the gateway's own origin, or add the origin to gateway.controlUi.allowedOrigins",
    );
  }
  if (!opts.authNone) return;
  const host = req.headers.get("host");
  if (host === null) return;
  const name = hostName(host);
  if (isLiteralHostName(name)) return;
  throw forbidden(
    `Host ${JSON.stringify(host.slice(0, 256))} is not served without auth: use ` +
      "http://127.0.0.1:<port> or http://localhost:<port>, or set gateway.auth.token",
  );
}
