/**
 * How a {@link ProviderError} is shown: the user-facing line of `chat error`
 * / `lifecycle error`, the `errorDetail` object and the `errorKind` (spec
 * 6.2). Only the HTTP 500 wording and the no-credential text are observed
 * (spec 2.4, 3.6); the other lines follow the same pattern (unconfirmed).
 *
 * @module
 */

import type { ProviderError } from "../types.ts";

const PREVIEW = 300;

function label(err: ProviderError): string {
  return err.provider ? `${err.provider}/${err.model}` : err.model || "the model";
}

/** The message users see for a failed model call (`⚠️ stub/stub-model request failed …`). */
export function userFacingError(err: ProviderError): string {
  const who = label(err);
  const http = err.status !== undefined ? `, HTTP ${err.status}` : "";
  switch (err.reason) {
    case "auth":
      // Observed verbatim for a missing credential; a rejected key names the status.
      return err.status === undefined
        ? err.message
        : `⚠️ ${who} rejected the credential (authentication error${http}). Check the provider's API key.`;
    case "server_error":
      return `⚠️ ${who} request failed (provider internal error${http}). This is usually temporary — try again shortly.`;
    case "rate_limit":
      return `⚠️ ${who} request failed (rate limited${http}). Try again in a moment.`;
    case "timeout":
      return `⚠️ ${who} request failed (no response in time${http}). Try again, or check the provider.`;
    case "unreachable":
      return `⚠️ ${who} request failed (provider unreachable). Check that the server is running.`;
    case "bad_request":
      return err.status === undefined
        ? err.message
        : `⚠️ ${who} request failed (request rejected${http}): ${err.message.slice(0, PREVIEW)}`;
    case "aborted":
      return err.message;
    default:
      return `⚠️ ${who} request failed: ${err.message.slice(0, PREVIEW)}`;
  }
}

/** `errorDetail` of a `chat error` event (strings at most 300 chars). */
export function errorDetail(err: ProviderError): Record<string, unknown> {
  return {
    provider: err.provider,
    model: err.model,
    failoverReason: err.reason,
    ...(err.status !== undefined ? { httpStatus: err.status } : {}),
    providerErrorMessagePreview: err.message.slice(0, PREVIEW),
  };
}

/** `errorKind` of a `chat error` event. */
export function errorKind(err: ProviderError): "timeout" | "rate_limit" | "unknown" {
  if (err.reason === "timeout") return "timeout";
  if (err.reason === "rate_limit") return "rate_limit";
  return "unknown";
}
