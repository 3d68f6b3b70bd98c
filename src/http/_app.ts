/**
 * The HTTP API as a Hono app, built on the first API request (Hono and zod
 * load here, never at gateway start). Each route: 404 while its endpoint is
 * off, 405 with `Allow` for another method, 403 for a foreign browser
 * origin (and, without auth, a non-literal `Host`), then auth, then the endpoint;
 * errors become the endpoint's envelope in one place. Private to
 * `src/http/` (loaded by `mod.ts` with a dynamic import).
 *
 * @module
 */

import { Hono } from "hono";
import { requireGatewayAuth } from "./_auth.ts";
import {
  type Envelope,
  errorResponse,
  HttpError,
  methodNotAllowed,
  SECURITY_HEADERS,
} from "./_common.ts";
import type { ApiContext, Endpoint } from "./_context.ts";
import { guardBrowser } from "./_guard.ts";
import { chatCompletions, getModel, listModels } from "./openai_chat.ts";
import { responses } from "./responses.ts";
import { toolsInvoke } from "./tools_invoke.ts";
import { createHookState, hooks } from "./hooks.ts";
import type { HttpSettings } from "./config.ts";
import type { AppDeps, RequestInfo } from "./mod.ts";

type Env = { Bindings: RequestInfo };

/** The app's fetch: the answer for an API path. */
export type AppFetch = (req: Request, info: RequestInfo) => Promise<Response>;

/** Plain 404 (also for a disabled endpoint: it does not say it exists). */
export function notFound(): Response {
  return new Response("Not Found", {
    status: 404,
    headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" },
  });
}

class Disabled extends Error {}

/**
 * API answers are for one authenticated caller: `no-store` keeps them out of
 * browser and proxy caches (an answer that sets its own, such as SSE's
 * `no-cache`, keeps it).
 */
const API_CACHE = { "Cache-Control": "no-store" };

function withHeaders(res: Response, extra: Record<string, string>): Response {
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...API_CACHE, ...extra })) {
    if (!res.headers.has(k)) res.headers.set(k, v);
  }
  return res;
}

/** Builds the app over the deps `mod.ts` resolved. */
export function buildApp(deps: AppDeps): AppFetch {
  const app = new Hono<Env>();
  const agent = deps.agent;
  const hookState = createHookState({
    run: (req) => agent ? agent.run(req) : Promise.reject(new Error("no agent")),
  });
  const context = ({ remoteIp, url }: RequestInfo): ApiContext => ({
    remoteIp,
    url,
    settings: deps.settings(),
    ...(agent ? { agent } : {}),
    log: deps.log,
    ...(deps.imageFetch ? { imageFetch: deps.imageFetch } : {}),
  });

  const guard = (req: Request) =>
    guardBrowser(req, {
      allowedOrigins: deps.allowedOrigins?.() ?? [],
      authNone: deps.auth().mode === "none",
    });

  const route = (opts: {
    allow: string;
    envelope: Envelope;
    enabled?: (s: HttpSettings) => boolean;
    handler: Endpoint;
  }) =>
  async (c: { req: { raw: Request }; env: RequestInfo }) => {
    const req = c.req.raw;
    const ctx = context(c.env);
    try {
      if (opts.enabled && !opts.enabled(ctx.settings)) throw new Disabled();
      if (!opts.allow.split(", ").includes(req.method)) throw methodNotAllowed(opts.allow);
      guard(req);
      requireGatewayAuth(req, ctx.remoteIp, { auth: deps.auth(), limiter: deps.limiter });
      return withHeaders(await opts.handler(req, ctx), ctx.settings.headers);
    } catch (err) {
      if (err instanceof Disabled) return notFound();
      if (!(err instanceof HttpError)) {
        deps.log.error("http api handler failed", {
          path: ctx.url.pathname,
          error: (err as Error).message,
        });
      }
      return withHeaders(errorResponse(err, opts.envelope), ctx.settings.headers);
    }
  };

  const chatOn = (s: HttpSettings) => s.chat.enabled;
  app.all(
    "/v1/chat/completions",
    route({ allow: "POST", envelope: "openai", enabled: chatOn, handler: chatCompletions }),
  );
  app.all(
    "/v1/models",
    route({ allow: "GET", envelope: "openai", enabled: chatOn, handler: listModels }),
  );
  app.all(
    "/v1/models/:id{.+}",
    route({ allow: "GET", envelope: "openai", enabled: chatOn, handler: getModel }),
  );
  app.all(
    "/v1/responses",
    route({
      allow: "POST",
      envelope: "openai",
      enabled: (s) => s.responses.enabled,
      handler: responses,
    }),
  );
  app.all("/tools/invoke", route({ allow: "POST", envelope: "ok", handler: toolsInvoke }));
  app.all("*", async (c) => {
    const req = c.req.raw;
    const ctx = context(c.env);
    const base = ctx.settings.hooks.path;
    const path = ctx.url.pathname;
    const sub = path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined;
    if (sub === undefined || !/^[a-zA-Z0-9_.-]{1,64}$/.test(sub)) return notFound();
    try {
      // Hooks keep their own token; only the origin guard applies (no auth-none Host rule).
      if (ctx.settings.hooks.enabled) {
        guardBrowser(req, { allowedOrigins: deps.allowedOrigins?.() ?? [], authNone: false });
      }
      return withHeaders(await hooks(req, ctx, hookState, sub), ctx.settings.headers);
    } catch (err) {
      if (!(err instanceof HttpError)) {
        deps.log.error("hook handler failed", { hook: sub, error: (err as Error).message });
      }
      if (err instanceof HttpError && err.status === 404 && err.message === "Not Found") {
        return notFound();
      }
      return withHeaders(errorResponse(err, "ok"), ctx.settings.headers);
    }
  });
  return (req, info) => Promise.resolve(app.fetch(req, info));
}
