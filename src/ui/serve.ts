/**
 * Serves the built control UI (`ui-dist/`) on the gateway port under
 * `gateway.controlUi.basePath`: strict CSP, no framing, immutable caching for
 * hashed assets, gzip when the browser accepts it, and an SPA fallback to
 * `index.html` for page routes.
 *
 * @module
 */

import { SECURITY_HEADERS } from "../server/http.ts";
import { contentTypeOf } from "../mime.ts";

/** The page's Content-Security-Policy: own origin only, WebSocket to it. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Where the built UI lives (the committed `ui-dist/`). */
export const UI_DIST = new URL("../../ui-dist/", import.meta.url);

/** How the UI is configured (`gateway.controlUi`). */
export interface ControlUiSettings {
  enabled: boolean;
  /** URL prefix, `/` by default; always starts and ends with `/`. */
  basePath: string;
}

/** Normalises `gateway.controlUi` to settings (enabled, `/`-bounded base path). */
export function controlUiSettings(
  raw: { enabled?: boolean; basePath?: string } | undefined,
): ControlUiSettings {
  let base = (raw?.basePath ?? "/").trim() || "/";
  if (!base.startsWith("/")) base = `/${base}`;
  if (!base.endsWith("/")) base = `${base}/`;
  return { enabled: raw?.enabled !== false, basePath: base };
}

/** Answers a request for the UI, or `undefined` when it is not the UI's. */
export type ControlUi = (req: Request) => Promise<Response | undefined>;

interface Entry {
  body: Uint8Array;
  gz: Uint8Array;
}

/** Creates the UI handler; `settings()` is read per request so reloads apply. */
export function createControlUi(
  settings: () => ControlUiSettings,
  dir: URL = UI_DIST,
): ControlUi {
  const cache = new Map<string, Entry>();
  /** Reads (and gzips) a file once; index.html gets the base path written in. */
  const load = async (rel: string, basePath: string): Promise<Entry | null> => {
    const key = rel === "index.html" ? `${basePath}\0${rel}` : rel;
    const hit = cache.get(key);
    if (hit) return hit;
    let entry: Entry | null = null;
    try {
      let body: Uint8Array = await Deno.readFile(new URL(rel, dir));
      if (rel === "index.html") body = withBasePath(body, basePath);
      const gz = new Uint8Array(
        await new Response(
          new Blob([body as BlobPart]).stream().pipeThrough(new CompressionStream("gzip")),
        ).arrayBuffer(),
      );
      entry = { body, gz };
    } catch {
      entry = null;
    }
    // Only files found are kept: names asked for are the client's choice, so
    // remembered misses would let anyone fill the cache (and a file built
    // after a miss would stay missing).
    if (entry && cache.size < 256) cache.set(key, entry);
    return entry;
  };
  return async (req) => {
    const s = settings();
    if (!s.enabled || (req.method !== "GET" && req.method !== "HEAD")) return undefined;
    const { pathname } = new URL(req.url);
    const bare = s.basePath.slice(0, -1);
    if (pathname === bare && bare) {
      return new Response(null, {
        status: 308,
        headers: { ...SECURITY_HEADERS, Location: s.basePath },
      });
    }
    if (!pathname.startsWith(s.basePath)) return undefined;
    const rel = pathname.slice(s.basePath.length);
    const isAsset = rel.startsWith("assets/");
    if (isAsset && !/^assets\/[A-Za-z0-9_.-]{1,128}$/.test(rel)) return undefined;
    if (!isAsset && !(req.headers.get("accept") ?? "text/html").includes("text/html")) {
      return undefined;
    }
    // The SPA fallback is for page routes only: not the gateway's reserved
    // paths, and not file names (`/secret.txt` is a 404, not the app).
    if (
      !isAsset && rel !== "index.html" && (rel.startsWith("__openclaw__") || /\.[^/]*$/.test(rel))
    ) {
      return undefined;
    }
    const file = isAsset ? rel : "index.html";
    const entry = await load(file, s.basePath);
    if (!entry) return undefined;
    const gzip = /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "");
    const body = gzip ? entry.gz : entry.body;
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      "Content-Type": contentTypeOf(file),
      "Cache-Control": isAsset ? "public, max-age=31536000, immutable" : "no-cache",
      "Content-Security-Policy": UI_CSP,
      "X-Frame-Options": "DENY",
      Vary: "Accept-Encoding",
    };
    if (gzip) headers["Content-Encoding"] = "gzip";
    return new Response(req.method === "HEAD" ? null : body as BodyInit, { headers });
  };
}

/**
 * Points index.html's assets and `data-base-path` at the base path, so deep
 * routes (`/ui/sessions/x`) load `/ui/assets/...` and the router knows its root.
 */
function withBasePath(body: Uint8Array, basePath: string): Uint8Array {
  // Written into attribute values: escaped, so `&` in a path stays itself.
  const attr = basePath.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = new TextDecoder().decode(body)
    .replace('data-base-path="/"', `data-base-path="${attr}"`)
    .replaceAll('"./assets/', `"${attr}assets/`);
  return new TextEncoder().encode(html);
}
