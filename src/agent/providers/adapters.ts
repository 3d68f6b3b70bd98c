/**
 * The three adapters: an `ai` SDK language model for a {@link ResolvedModel},
 * loaded with dynamic `import()` so a gateway that never calls a model never
 * loads the SDK. Each adapter gets a fetch that feeds the idle watchdog with
 * every byte and shapes the request where the SDK differs from the captures:
 *
 * - `openai-completions` (`@ai-sdk/openai-compatible`, `includeUsage`):
 *   `max_tokens` is sent as `max_completion_tokens` (obs. request).
 * - `anthropic-messages` (`@ai-sdk/anthropic`, baseURL `${baseUrl}/v1`): adds
 *   `anthropic-dangerous-direct-browser-access: true` (obs.) and drops
 *   `anthropic-beta` on non-canonical endpoints (docs: beta headers are
 *   suppressed there).
 * - `ollama` (`ollama-ai-provider-v2`, native `${baseUrl}/api/chat`): adds
 *   `options: {}`, `truncate: false`, `shift: false` (obs.).
 *
 * @module
 */

import type { LanguageModel } from "ai";
import type { ResolvedModel } from "../types.ts";
import { importLazy } from "../../runtime/lazy_import.ts";

/** The fetch signature the SDK adapters accept. */
export type FetchFn = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const CANONICAL_ANTHROPIC = "api.anthropic.com";

/** Largest response body read from a provider; a longer one fails the attempt. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** A provider response body passed {@link MAX_RESPONSE_BYTES}. */
export class ResponseTooLargeError extends Error {
  constructor(limit: number) {
    const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MiB` : `${limit} bytes`;
    super(`the response passed ${size}`);
    this.name = "ResponseTooLargeError";
  }
}

/** Request shaping and limits of {@link watchedFetch}. */
export interface WatchOptions {
  /** Adjusts request headers in place. */
  shapeHeaders?: (headers: Headers) => void;
  /** Rewrites a JSON request body. */
  shapeBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Response body cap. Default {@link MAX_RESPONSE_BYTES}. */
  maxBytes?: number;
}

/**
 * The idle watchdog's heartbeat. It gets the request's abort signal, which
 * the SDK passes through unchanged: one cached SDK model serves concurrent
 * attempts, each found by its own signal (see `model_cache.ts`).
 */
export type ActivityFn = (signal: AbortSignal | null | undefined) => void;

/**
 * Wraps `base` so `onActivity` runs when the response headers arrive and on
 * every body chunk (the idle watchdog's heartbeat), the body is capped, and
 * the request may be shaped.
 */
function watchedFetch(
  base: FetchFn,
  onActivity: ActivityFn,
  opts: WatchOptions = {},
): FetchFn {
  const maxBytes = opts.maxBytes ?? MAX_RESPONSE_BYTES;
  return async (input, init) => {
    let nextInit = init;
    if (opts.shapeHeaders) {
      const headers = new Headers(init?.headers);
      opts.shapeHeaders(headers);
      nextInit = { ...nextInit, headers };
    }
    if (opts.shapeBody && typeof init?.body === "string") {
      try {
        const body = opts.shapeBody(JSON.parse(init.body));
        nextInit = { ...nextInit, body: JSON.stringify(body) };
      } catch { /* not JSON: send as is */ }
    }
    const res = await base(input, nextInit);
    const signal = init?.signal;
    onActivity(signal);
    if (!res.body) return res;
    let total = 0;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, ctl) {
          onActivity(signal);
          total += chunk.byteLength;
          if (total > maxBytes) ctl.error(new ResponseTooLargeError(maxBytes));
          else ctl.enqueue(chunk);
        },
      }),
    );
    return new Response(body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/**
 * The native Ollama fields the real gateway sends (obs.): `options` present,
 * and `truncate`/`shift` off so an over-long prompt is an error rather than
 * silently cut.
 */
function shapeOllamaBody(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, options: body.options ?? {}, truncate: false, shift: false };
}

function isCanonicalAnthropic(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === CANONICAL_ANTHROPIC;
  } catch {
    return false;
  }
}

/** Builds the SDK model for `model`, loading its adapter package on first use. */
export async function createLanguageModel(
  model: ResolvedModel,
  fetchFn: FetchFn,
  onActivity: ActivityFn,
  maxBytes: number = MAX_RESPONSE_BYTES,
): Promise<LanguageModel> {
  const headers = model.headers ?? {};
  switch (model.api) {
    case "openai-completions": {
      const { createOpenAICompatible } = await importLazy<
        typeof import("@ai-sdk/openai-compatible")
      >("@ai-sdk/openai-compatible");
      const provider = createOpenAICompatible({
        name: model.ref.provider,
        baseURL: model.baseUrl,
        apiKey: model.apiKey,
        headers,
        includeUsage: true,
        fetch: watchedFetch(fetchFn, onActivity, { maxBytes }),
        transformRequestBody: (body) => {
          if (body.max_tokens === undefined) return body;
          const { max_tokens, ...rest } = body;
          return { ...rest, max_completion_tokens: max_tokens };
        },
      });
      return provider.chatModel(model.ref.model);
    }
    case "anthropic-messages": {
      const { createAnthropic } = await importLazy<typeof import("@ai-sdk/anthropic")>(
        "@ai-sdk/anthropic",
      );
      const canonical = isCanonicalAnthropic(model.baseUrl);
      const provider = createAnthropic({
        baseURL: `${model.baseUrl}/v1`,
        apiKey: model.apiKey,
        headers: { "anthropic-dangerous-direct-browser-access": "true", ...headers },
        fetch: watchedFetch(fetchFn, onActivity, {
          shapeHeaders: (h) => {
            if (!canonical) h.delete("anthropic-beta");
          },
          maxBytes,
        }),
      });
      return provider(model.ref.model);
    }
    case "ollama": {
      const { createOllama } = await importLazy<typeof import("ollama-ai-provider-v2")>(
        "ollama-ai-provider-v2",
      );
      const provider = createOllama({
        baseURL: `${model.baseUrl}/api`,
        headers: model.apiKey ? { authorization: `Bearer ${model.apiKey}`, ...headers } : headers,
        fetch: watchedFetch(fetchFn, onActivity, { shapeBody: shapeOllamaBody, maxBytes }),
      });
      return provider(model.ref.model);
    }
    default: {
      const api: never = model.api;
      throw new Error(`Unsupported model api "${api}"`);
    }
  }
}
