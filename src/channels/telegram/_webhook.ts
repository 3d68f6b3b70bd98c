/**
 * Webhook mode: a local listener (`webhookHost:webhookPort/webhookPath`)
 * that checks `X-Telegram-Bot-Api-Secret-Token` through grammY's
 * `webhookCallback`, answers 200 and leaves the work to the pipeline.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";

/** Telegram updates are small; a larger body is refused before parsing. */
const MAX_WEBHOOK_BODY = 1024 * 1024;

/**
 * The request with its body read up to {@link MAX_WEBHOOK_BODY} (a chunked
 * body has no length to check up front), or `undefined` when it is larger.
 */
async function capped(req: Request): Promise<Request | undefined> {
  if (Number(req.headers.get("content-length") ?? "0") > MAX_WEBHOOK_BODY) {
    await req.body?.cancel();
    return undefined;
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of req.body ?? []) {
    total += chunk.length;
    if (total > MAX_WEBHOOK_BODY) return undefined;
    parts.push(chunk);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const p of parts) (body.set(p, at), at += p.length);
  return new Request(req.url, { method: "POST", headers: req.headers, body });
}

/** Options of {@link startWebhook}. */
export interface WebhookOptions {
  grammy: typeof import("grammy");
  bot: InstanceType<typeof import("grammy")["Bot"]>;
  webhook: { secret: string; host: string; port: number; path: string };
  signal: AbortSignal;
  log: Logger;
  /** Called with the bound port (tests bind port 0). */
  onListen?: (port: number) => void;
}

/** Starts the listener; returns its close function. */
export async function startWebhook(opts: WebhookOptions): Promise<() => Promise<void>> {
  const { webhook, log } = opts;
  const handle = opts.grammy.webhookCallback(opts.bot, "std/http", {
    secretToken: webhook.secret,
    // The bot middleware only journals the update; the reply happens later.
    timeoutMilliseconds: 10_000,
  });
  const ac = new AbortController();
  const signal = AbortSignal.any([opts.signal, ac.signal]);
  let bound!: (port: number) => void;
  const listening = new Promise<number>((r) => (bound = r));
  const server = Deno.serve({
    hostname: webhook.host,
    port: webhook.port,
    signal,
    onListen: ({ port }) => bound(port),
    onError: (err) => {
      log.warn(`Telegram webhook request failed: ${(err as Error).message}`);
      return new Response("Internal error", { status: 500 });
    },
  }, (req: Request) => {
    // Wrapped on purpose: Deno.serve calls a zero-arity handler (grammY's
    // callback is `(...args) =>`) without the Request.
    if (new URL(req.url).pathname !== webhook.path) {
      return new Response("Not found", { status: 404 });
    }
    if (req.method !== "POST") return new Response("Method not allowed", { status: 405 });
    return capped(req).then((r) =>
      r ? handle(r) : new Response("Payload too large", { status: 413 })
    );
  });
  const port = await listening;
  opts.onListen?.(port);
  log.info(`Telegram webhook listening on http://${webhook.host}:${port}${webhook.path}`);
  return async () => {
    ac.abort();
    await server.finished;
  };
}
