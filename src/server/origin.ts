/**
 * The browser `Origin` check at the WebSocket upgrade. Browsers send `Origin`
 * on every WebSocket they open and scripts cannot forge it, so it tells a
 * page on some web site from the CLI or a native app (which send none).
 *
 * @module
 */

/** The origin verdict: `browser` is the normalized origin when one was sent. */
export type OriginVerdict =
  | { ok: true; browser?: string }
  | { ok: false; origin: string; reason: string };

/** `scheme://host[:port]` in lower case with default ports dropped, or `undefined` when not an origin. */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  return `${url.protocol}//${url.host}`.toLowerCase();
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);
const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/** `localhost`, `127.0.0.1`, `[::1]` or any IP literal: a name DNS rebinding cannot forge. */
export function isLiteralHostName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || IP_LITERAL.test(name);
}

/**
 * Checks a request's `Origin`. Accepted: no `Origin` (not a browser); an
 * origin listed in `allowedOrigins`; and the gateway's own address, i.e. an
 * origin whose host and port equal the request's `Host` when that host is
 * `localhost` or an IP literal. A DNS name pointing at the gateway is not
 * enough on its own (that is how DNS rebinding reaches a loopback service):
 * such names go in `allowedOrigins`.
 */
export function checkOrigin(
  headers: Headers,
  allowedOrigins: readonly string[],
): OriginVerdict {
  const raw = headers.get("origin");
  if (raw === null) return { ok: true };
  const origin = normalizeOrigin(raw);
  if (!origin) return { ok: false, origin: raw, reason: "not an http(s) origin" };
  if (allowedOrigins.some((o) => normalizeOrigin(o) === origin)) {
    return { ok: true, browser: origin };
  }
  const host = headers.get("host")?.toLowerCase();
  const originHost = new URL(origin).host;
  if (host && originHost === host) {
    const name = new URL(origin).hostname;
    if (isLiteralHostName(name)) return { ok: true, browser: origin };
  }
  return { ok: false, origin, reason: "not the gateway's own origin" };
}
