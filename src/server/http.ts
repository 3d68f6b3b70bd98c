/**
 * HTTP on the gateway port: WebSocket upgrades go to the control plane, the
 * rest to HTTP routes. Later features (OpenAI-compatible API, hooks, control
 * UI) add routes here.
 *
 * @module
 */

import type { ConnInfo, HttpHandler, UpgradeRequest } from "./serve.ts";
import type { HttpApi } from "../http/mod.ts";

/** Headers on every HTTP response. */
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), geolocation=()",
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8" },
  });
}

/** What the HTTP side needs. */
export interface HttpDeps {
  /** Handles a WebSocket upgrade request. */
  upgrade(req: UpgradeRequest, info: ConnInfo): Response;
  /** Whether the gateway is still starting or shutting down. */
  live(): boolean;
  /** The HTTP API (`src/http/`); `undefined` from it = not its path. */
  api?: HttpApi;
  /** The control UI (`src/ui/`); asked after the API, `undefined` = not its path. */
  ui?: (req: Request) => Promise<Response | undefined>;
}

/** The gateway's fetch handler. */
export function createHttpHandler(deps: HttpDeps): HttpHandler {
  return (req, info) => {
    if (req.headers.get("upgrade")?.toLowerCase() === "websocket") return deps.upgrade(req, info);
    // Parsed once here; the API and its handlers read this URL, not req.url again.
    const url = new URL(req.url);
    const { pathname } = url;
    if (pathname === "/health" || pathname === "/healthz") {
      if (req.method !== "GET" && req.method !== "HEAD") {
        return new Response("Method Not Allowed", {
          status: 405,
          headers: { ...SECURITY_HEADERS, Allow: "GET, HEAD" },
        });
      }
      return deps.live() ? json(200, { ok: true, status: "live" }) : json(503, {
        ok: false,
        status: "stopping",
      });
    }
    const notFound = () => new Response("Not Found", { status: 404, headers: SECURITY_HEADERS });
    const ui = deps.ui;
    const viaUi = () => ui ? ui(req).then((res) => res ?? notFound()) : Promise.resolve(notFound());
    return deps.api ? deps.api(req, { ...info, url }).then((res) => res ?? viaUi()) : viaUi();
  };
}
