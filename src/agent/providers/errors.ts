/**
 * Turns whatever a provider call threw (the SDK's `APICallError`, a fetch
 * `TypeError`, an abort) into one {@link ProviderError} with a failure class,
 * and keeps keys out of every message.
 *
 * HTTP failures keep the wire form the real gateway shows
 * (`"500 stub forced failure"`, spec 2.4), so transcripts and
 * `fallbackStepFromFailureDetail` match the captures.
 *
 * @module
 */

import { formatRef } from "./refs.ts";
import { ProviderError, type ProviderFailure, type ResolvedModel } from "../types.ts";

/** Longest provider error text kept (spec: previews are at most 300 chars). */
const MAX_PREVIEW = 300;

/** Parses `retry-after-ms` or `retry-after` (seconds or an HTTP date) into ms. */
export function retryAfterMs(
  headers: Record<string, string> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]?.trim();
  const ms = get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Removes `secret` (and anything shaped like a bearer key) from `text`, and
 * trims it to the preview length.
 */
export function redact(text: string, secret?: string): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  out = out.replace(/\b(sk|pk|rk|key|token)[-_][A-Za-z0-9_\-*.]{6,}/gi, "[redacted]");
  out = out.replace(/(Bearer\s+)[^\s"',]+/gi, "$1[redacted]");
  out = out.replace(/\s+/g, " ").trim();
  return out.length > MAX_PREVIEW ? out.slice(0, MAX_PREVIEW - 1) + "…" : out;
}

/** A URL without user info, query or fragment (they may carry secrets). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, "");
  } catch {
    return "(invalid URL)";
  }
}

/** The short cause of a network failure. */
function networkCause(text: string): string {
  if (/refused/i.test(text)) return "connection refused";
  if (/reset/i.test(text)) return "connection reset";
  if (/timed? ?out/i.test(text)) return "connect timed out";
  if (/dns|lookup|resolve|ENOTFOUND|name or service/i.test(text)) return "DNS lookup failed";
  if (/certificate|tls|ssl/i.test(text)) return "TLS handshake failed";
  return text;
}

function classifyStatus(status: number): ProviderFailure {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (status === 408) return "timeout";
  if (status >= 500) return "server_error";
  return "bad_request";
}

/** The provider's own error message from a JSON error body, when there is one. */
function bodyMessage(body: unknown): string | undefined {
  if (typeof body !== "string" || !body) return undefined;
  try {
    const parsed = JSON.parse(body);
    const err = parsed?.error;
    if (typeof err === "string") return err;
    if (typeof err?.message === "string") return err.message;
    if (typeof parsed?.message === "string") return parsed.message;
  } catch { /* not JSON */ }
  // An HTML error page from a proxy: keep its text, not its markup.
  return /<html|<body|<!doctype/i.test(body) ? body.replace(/<[^>]*>/g, " ") : body;
}

/** What an attempt knows when it fails. */
export interface FailureContext {
  /** The attempt's idle watchdog fired. */
  idle?: boolean;
  /** The caller's signal aborted. */
  aborted?: boolean;
}

/** Maps any thrown value of one model call to a ProviderError. */
export function toProviderError(
  err: unknown,
  model: ResolvedModel,
  ctx: FailureContext = {},
): ProviderError {
  if (err instanceof ProviderError) return err;
  // The raw SDK error can hold the provider's echo of the key (responseBody)
  // and the whole prompt (requestBodyValues): keep only a redacted summary.
  const cause = new Error(redact(String((err as Error)?.message ?? err), model.apiKey));
  cause.name = String((err as Error)?.name ?? "Error");
  const base = { provider: model.ref.provider, model: model.ref.model, cause };
  const label = formatRef(model.ref);
  if (ctx.aborted) {
    return new ProviderError("This operation was aborted", { ...base, reason: "aborted" });
  }
  if (ctx.idle) {
    const secs = Math.round(model.idleTimeoutMs / 100) / 10;
    return new ProviderError(
      `${label} sent nothing for ${secs} s (check the server, or raise models.providers.${model.ref.provider}.timeoutSeconds)`,
      { ...base, reason: "timeout" },
    );
  }
  // deno-lint-ignore no-explicit-any
  const e = err as any;
  const tooLarge = [e, e?.cause].find((x) => x?.name === "ResponseTooLargeError");
  if (tooLarge) {
    return new ProviderError(`${label} failed: ${tooLarge.message}`, {
      ...base,
      reason: "unknown",
      retryable: false,
    });
  }
  const status: number | undefined = typeof e?.statusCode === "number"
    ? e.statusCode
    : typeof e?.status === "number"
    ? e.status
    : undefined;
  if (status !== undefined) {
    const reason = classifyStatus(status);
    const detail = redact(
      bodyMessage(e?.responseBody) ?? String(e?.message ?? "request failed"),
      model.apiKey,
    );
    return new ProviderError(`${status} ${detail}`, {
      ...base,
      reason,
      status,
      retryAfterMs: reason === "rate_limit" || reason === "server_error"
        ? retryAfterMs(e?.responseHeaders)
        : undefined,
    });
  }
  const text = redact(String(e?.message ?? err), model.apiKey);
  const network = e instanceof TypeError || e?.name === "AI_APICallError" ||
    /connect|refused|fetch failed|network|dns|tls|socket|reset|ECONN|ENOTFOUND/i.test(text);
  if (network) {
    return new ProviderError(
      `Cannot reach ${label} at ${safeUrl(model.baseUrl)}: ${
        networkCause(text)
      } (check models.providers.${model.ref.provider}.baseUrl and that the server is running)`,
      { ...base, reason: "unreachable" },
    );
  }
  return new ProviderError(`${label} failed: ${text}`, { ...base, reason: "unknown" });
}
