/**
 * The HTTP API on the gateway port (spec http.md): OpenAI Chat Completions
 * and models, OpenResponses, `POST /tools/invoke`, webhooks under
 * `hooks.path`, and the readiness probes, as one fetch-style handler that
 * answers `undefined` for paths that are not its own, so any transport can
 * put it in front of its own routes.
 *
 * Nothing heavy loads here: the probes answer directly, and the API app
 * (Hono, zod) is imported on the first API request.
 *
 * @example
 * ```ts
 * const api = createHttpApi({ config, auth: () => settings.auth, limiter, agent, readiness, log });
 * const res = await api(req, { remoteIp }); // undefined: not an API path
 * ```
 *
 * @module
 */

import type { AgentRuntime } from "../agent/mod.ts";
import type { BodyLimitHead } from "./body_limit.ts";
import type { GatewayConfig } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import type { AuthRateLimiter, AuthSettings } from "../server/auth.ts";
import type { HttpAgent } from "./_agent.ts";
import type { ImageFetchDeps } from "./_image_fetch.ts";
import { isGatewayAuthed } from "./_auth.ts";
import { SECURITY_HEADERS } from "./_common.ts";
import { type HttpSettings, httpSettings } from "./config.ts";
import { type Readiness, type ReadyCheck, readyResponse, startupResponse } from "./ready.ts";
import { requestBodyLimit } from "./body_limit.ts";
import { importLazy } from "../runtime/lazy_import.ts";
import { isLoopbackAddress } from "../server/auth.ts";
import { isLiteralHostName, normalizeOrigin } from "../server/origin.ts";
import { hostName } from "./_guard.ts";
import type { CanvasHost } from "../canvas/host.ts";

export type { HttpAgent } from "./_agent.ts";
export type { Phase, Readiness, ReadyCheck } from "./ready.ts";
export { channelReadyChecks } from "./ready.ts";
export { hooksConfigProblem, HTTP_DEFAULTS, type HttpSettings, httpSettings } from "./config.ts";

/** What the HTTP API needs from the gateway. */
export interface HttpApiDeps {
  /** The config in force (read per request: endpoint flags and hooks apply live). */
  config(): GatewayConfig;
  /** The gateway's shared-secret settings in force. */
  auth(): AuthSettings;
  /** The WebSocket handshake's limiter: failures on either side add up. */
  limiter: AuthRateLimiter;
  /**
   * The agent, loaded with the app on the first API request (see
   * {@link httpAgent}); absent = the agent endpoints answer 503.
   */
  agent?: () => Promise<HttpAgent>;
  /** Start-up phase and channel checks, for `/ready`. */
  readiness(): Readiness;
  log: Logger;
  /** Runtime edges of OpenResponses image URL fetches (tests). */
  imageFetch?: ImageFetchDeps;
  /** `gateway.controlUi.allowedOrigins`: browser origins admitted besides the gateway's own. */
  allowedOrigins?(): readonly string[];
}

/** What the lazily built app gets. */
export interface AppDeps extends Omit<HttpApiDeps, "config" | "agent"> {
  settings(): HttpSettings;
  agent?: HttpAgent;
}

/** Who asked and for what: the peer and the request URL, parsed once by the transport. */
export interface RequestInfo {
  remoteIp: string;
  url: URL;
}

/** The fetch-style API handler; `undefined` = not an API path. */
export type HttpApi = (req: Request, info: RequestInfo) => Promise<Response | undefined>;

const TOOLS = "/tools/invoke";
const READY = new Set(["/ready", "/readyz"]);
const STARTUP = new Set(["/startup", "/startupz"]);

/** The agent runtime as the HTTP API uses it. */
function httpAgent(runtime: AgentRuntime): HttpAgent {
  return {
    run: (req) => runtime.engine.run(req),
    subscribe: (fn) => runtime.engine.subscribe(fn),
    abort: (key, runId) => runtime.engine.abort(key, runId),
    agents() {
      const a = runtime.agents();
      return {
        defaultId: a.defaultId,
        mainKey: a.mainKey,
        ids: a.agents.map((x) => x.id.toLowerCase()),
      };
    },
    tools: (agentId) => runtime.parts().tools.forRun(agentId),
    workspace: (agentId) => runtime.parts().workspace(agentId),
    sessions: () => runtime.parts().sessions.view,
  };
}

/** Builds the handler (cheap: the app is built on the first API request). */
export function createHttpApi(deps: HttpApiDeps): HttpApi {
  let cfg: GatewayConfig | undefined;
  let settings: HttpSettings | undefined;
  const current = () => {
    const next = deps.config();
    if (next !== cfg || !settings) {
      cfg = next;
      settings = httpSettings(next);
    }
    return settings;
  };
  let app: Promise<(req: Request, info: RequestInfo) => Promise<Response>> | undefined;
  const { agent: loadAgent, ...rest } = deps;
  const appDeps = async (): Promise<AppDeps> => ({
    ...rest,
    settings: current,
    ...(loadAgent ? { agent: await loadAgent() } : {}),
  });
  return async (req, info) => {
    const path = info.url.pathname;
    if (READY.has(path) || STARTUP.has(path)) {
      const s = current();
      if (req.method !== "GET" && req.method !== "HEAD") {
        return new Response("Method Not Allowed", {
          status: 405,
          headers: { ...SECURITY_HEADERS, Allow: "GET, HEAD", ...s.headers },
        });
      }
      const state = deps.readiness();
      if (STARTUP.has(path)) return startupResponse(state, s.headers);
      const authed = isGatewayAuthed(req, info.remoteIp, {
        auth: deps.auth(),
        limiter: deps.limiter,
      });
      return readyResponse(state, { remoteIp: info.remoteIp, authed }, s.headers);
    }
    // A path of an endpoint that is off is not claimed: the transport's 404
    // answers it, and Hono is never loaded for it.
    const s = current();
    const mine = path === TOOLS ||
      (path.startsWith("/v1/") && (s.chat.enabled || s.responses.enabled)) ||
      (s.hooks.enabled && path.startsWith(`${s.hooks.path}/`));
    if (!mine) return undefined;
    app ??= Promise.all([
      importLazy<typeof import("./_app.ts")>("src/http/_app.ts"),
      appDeps(),
    ]).then(([m, d]) => m.buildApp(d)).catch((err) => {
      app = undefined;
      throw err;
    });
    return await (await app)(req, info);
  };
}

/** What a gateway instance hands its HTTP side. */
export interface GatewayHttpDeps {
  /** The config in force (`{}` without one). */
  config(): GatewayConfig;
  auth(): AuthSettings;
  allowedOrigins(): readonly string[];
  limiter: AuthRateLimiter;
  /** The shared agent runtime, loaded on the first API request that needs it. */
  agent?: { load(): Promise<AgentRuntime> };
  /** True once the instance is stopping (`/ready` answers `draining`). */
  stopping(): boolean;
  /** Readiness checks of the configured channels and the process. */
  checks(): ReadyCheck[];
  log: Logger;
  /** The canvas host, mounted in front of the API (`/__openclaw__/canvas/`, `/__openclaw__/ws`). */
  canvas?: CanvasHost;
}

/**
 * Who may read the canvas host: loopback peers that name the gateway by a
 * loopback name or IP literal (or a host of `allowedOrigins`), and others
 * with the gateway secret as `Authorization: Bearer` (a wrong one counts
 * toward the lockout). The `Host` rule is the DNS-rebinding guard: a page on
 * `attacker.example` that rebinds its name to 127.0.0.1 reaches the gateway
 * from loopback, but names its own host.
 */
export function canvasAccess(
  deps: {
    auth(): AuthSettings;
    limiter: AuthRateLimiter;
    allowedOrigins?(): readonly string[];
  },
): (req: Pick<Request, "headers">, remoteIp: string) => boolean {
  const ownHost = (req: Pick<Request, "headers">) => {
    const host = req.headers.get("host");
    if (host === null || isLiteralHostName(hostName(host))) return true;
    const h = host.trim().toLowerCase();
    return (deps.allowedOrigins?.() ?? []).some((o) => {
      const origin = normalizeOrigin(o);
      return origin !== undefined && new URL(origin).host === h;
    });
  };
  return (req, remoteIp) =>
    (isLoopbackAddress(remoteIp) && ownHost(req)) ||
    // Only the headers are read (bearer), so an upgrade's head is enough.
    isGatewayAuthed(req as Request, remoteIp, { auth: deps.auth(), limiter: deps.limiter });
}

/** The HTTP API and the per-request body cap, wired to one gateway instance. */
export function gatewayHttp(
  deps: GatewayHttpDeps,
): { api: HttpApi; bodyLimit(head: BodyLimitHead): number } {
  const { agent, canvas } = deps;
  const api = createHttpApi({
    config: deps.config,
    auth: deps.auth,
    allowedOrigins: deps.allowedOrigins,
    limiter: deps.limiter,
    ...(agent ? { agent: async () => httpAgent(await agent.load()) } : {}),
    readiness: () => ({
      phase: deps.stopping() ? "draining" : "started",
      checks: deps.checks(),
    }),
    log: deps.log,
  });
  return {
    bodyLimit: (head) =>
      requestBodyLimit(head, { settings: httpSettings(deps.config()), auth: deps.auth() }),
    // Canvas pages here share the control UI's origin: serveCanvas sandboxes
    // them (CANVAS_CSP) unless the canvas listener says it is its own origin.
    api: canvas ? async (req, info) => await canvas.handle(req, info) ?? await api(req, info) : api,
  };
}
