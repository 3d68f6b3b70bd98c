/**
 * The failover loop (spec 2.4): each model of the chain gets a few attempts
 * with exponential backoff and jitter (honouring Retry-After up to a cap)
 * while nothing has been yielded; a failure that cannot or may no longer be
 * retried moves on to the next model; when the chain is exhausted the last
 * error is thrown. A rate limit first rotates to the provider's next key, if
 * it has several (`<P>_API_KEYS`), without waiting. Once output was yielded, an error ends the call: replaying
 * a half-streamed answer would duplicate text the client already saw.
 *
 * @module
 */

import type {
  FailoverHooks,
  ModelRef,
  ModelRequest,
  ModelStreamEvent,
  ResolvedModel,
} from "../types.ts";
import { ProviderError } from "../types.ts";

/** Retry policy of one model. */
export interface RetryPolicy {
  /** Attempts per model, including the first. Default 3. */
  attempts: number;
  /** First backoff, ms. Default 500. */
  baseMs: number;
  /** Longest backoff, ms. Default 8000. */
  capMs: number;
  /** Longest Retry-After we wait for; a longer one moves on to the fallback. Default 30000. */
  maxRetryAfterMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseMs: 500,
  capMs: 8000,
  maxRetryAfterMs: 30_000,
};

/** What the loop needs from the catalog and the clock. */
export interface FailoverDeps {
  retry: RetryPolicy;
  /** Resolves a ref; throws ProviderError (auth, bad_request). */
  resolve(ref: ModelRef): ResolvedModel;
  /** Best-effort description of an unresolvable ref, for the hooks. */
  describe(ref: ModelRef): ResolvedModel;
  attempt(model: ResolvedModel, req: ModelRequest): AsyncIterable<ModelStreamEvent>;
  /** The same model with the provider's key number `index`, if there is one (rotation). */
  withKey(model: ResolvedModel, index: number): ResolvedModel | undefined;
  /** Abortable sleep; resolves false when aborted. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  /** 0 <= x < 1. */
  random(): number;
}

/**
 * The wait before retry number `retry` (1-based): exponential with "equal
 * jitter" (half fixed, half random) so parallel runs spread out, but never
 * shorter than the server's Retry-After.
 */
export function backoffMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
  const jittered = Math.round(exp / 2 + (random() * exp) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Runs `req` through `chain`; see the module doc. */
export async function* streamWithFailover(
  chain: ModelRef[],
  req: ModelRequest,
  hooks: FailoverHooks,
  deps: FailoverDeps,
): AsyncGenerator<ModelStreamEvent & { model: ResolvedModel }> {
  if (chain.length === 0) {
    throw new ProviderError("No model is configured (set agents.defaults.model)", {
      provider: "",
      model: "",
      reason: "bad_request",
    });
  }
  let last: ProviderError | undefined;
  for (const [index, ref] of chain.entries()) {
    const position = index + 1;
    const outcome = position === chain.length ? "chain_exhausted" : "next";
    let model: ResolvedModel;
    try {
      model = deps.resolve(ref);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      last = err;
      hooks.onFallback?.(safeDescribe(deps, ref), err, position, outcome);
      continue;
    }
    let keyIndex = 0;
    for (let attempt = 1;; attempt++) {
      if (req.signal.aborted) throw aborted(model);
      hooks.onAttempt?.(model, attempt);
      let yielded = false;
      try {
        for await (const ev of deps.attempt(model, req)) {
          yielded = true;
          yield { ...ev, model };
        }
        return;
      } catch (err) {
        const e = err instanceof ProviderError ? err : new ProviderError(String(err), {
          provider: model.ref.provider,
          model: model.ref.model,
          reason: "unknown",
          cause: err,
        });
        if (e.reason === "aborted" || req.signal.aborted) throw e;
        if (yielded) throw e;
        last = e;
        const rotated = e.reason === "rate_limit" ? deps.withKey(model, keyIndex + 1) : undefined;
        if (rotated) {
          // Another key of the same provider: try it at once (spec 2.3).
          keyIndex++;
          hooks.onRetry?.(model, e, attempt, 0);
          model = rotated;
          attempt--;
          continue;
        }
        const tooLong = (e.retryAfterMs ?? 0) > deps.retry.maxRetryAfterMs;
        if (e.retryable && !tooLong && attempt < deps.retry.attempts) {
          const delay = backoffMs(attempt, deps.retry, deps.random, e.retryAfterMs);
          hooks.onRetry?.(model, e, attempt, delay);
          if (!await deps.sleep(delay, req.signal)) throw aborted(model);
          continue;
        }
        hooks.onFallback?.(model, e, position, outcome);
        break;
      }
    }
  }
  throw last!;
}

function aborted(model: ResolvedModel): ProviderError {
  return new ProviderError("This operation was aborted", {
    provider: model.ref.provider,
    model: model.ref.model,
    reason: "aborted",
  });
}

function safeDescribe(deps: FailoverDeps, ref: ModelRef): ResolvedModel {
  try {
    return deps.describe(ref);
  } catch {
    return {
      ref,
      name: ref.model,
      api: "openai-completions",
      baseUrl: "",
      credential: { kind: "none" },
      contextWindow: 0,
      reasoning: false,
      thinkingLevels: ["off"],
      idleTimeoutMs: 0,
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    };
  }
}
