/**
 * Model providers: which models a config knows, how to reach them, and one
 * streaming call with retries and fallbacks. The `ai` SDK and the adapter
 * packages load on the first model call only.
 *
 * @example
 * ```ts
 * const catalog = createModelCatalog(() => currentConfig, Deno.env.toObject());
 * const chain = catalog.defaultRefs("main");
 * for await (const ev of catalog.stream(chain, { system, messages, tools, signal })) {
 *   if (ev.type === "text-delta") write(ev.delta);
 * }
 * ```
 *
 * @module
 */

import type { Env } from "../../config/paths.ts";
import type { GatewayConfig } from "../../config/schema.ts";
import type { FailoverHooks, ModelCatalog, ModelRef, ModelRequest } from "../types.ts";
import { type AttemptDeps, streamAttempt } from "./attempt.ts";
import { Inventory } from "./catalog.ts";
import { ModelCache } from "./model_cache.ts";
import { DEFAULT_RETRY, type RetryPolicy, streamWithFailover } from "./failover.ts";
import { defaultChainText, modelRefIssues } from "./refs.ts";
import { ProviderError } from "../types.ts";

export { DEFAULT_RETRY, type RetryPolicy } from "./failover.ts";
export {
  DEFAULT_MODEL_REF,
  formatRef,
  type ModelRefIssue,
  modelRefIssues,
  parseRef,
} from "./refs.ts";
export { envPrefix, noCredentialMessage } from "./credentials.ts";
export { errorDetail, errorKind, userFacingError } from "./describe.ts";

/** Runtime edges of a catalog, replaceable in tests. */
export interface ModelCatalogOptions {
  /** Retry policy per model (merged over {@link DEFAULT_RETRY}). */
  retry?: Partial<RetryPolicy>;
  /** The HTTP client of every adapter. Default: global `fetch`. */
  fetch?: AttemptDeps["fetch"];
  /** 0 <= x < 1, for backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** Abortable sleep between retries. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /** Largest provider response body, bytes. Default 32 MiB. */
  maxResponseBytes?: number;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function noDefaultModel(config: GatewayConfig): ProviderError {
  const issue = modelRefIssues(config)[0];
  const why = issue
    ? `${issue.path}: ${issue.message}`
    : 'set agents.defaults.model.primary to a "provider/model" reference';
  return new ProviderError(`No usable model is configured (${why})`, {
    provider: "",
    model: "",
    reason: "bad_request",
    retryable: false,
  });
}

/**
 * Creates the model catalog. `config` may be a getter so hot-reloaded
 * `models.*` / `agents.*` apply to the next call without a new catalog.
 * Creating it loads no SDK.
 */
export function createModelCatalog(
  config: GatewayConfig | (() => GatewayConfig),
  env: Env,
  opts: ModelCatalogOptions = {},
): ModelCatalog {
  const current = typeof config === "function" ? config : () => config;
  const inventory = () => new Inventory(current(), env);
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  const fetchFn: AttemptDeps["fetch"] = opts.fetch ?? ((input, init) => fetch(input, init));
  const attemptDeps: AttemptDeps = {
    fetch: fetchFn,
    setTimer: (cb, ms) => setTimeout(cb, ms),
    clearTimer: (id) => clearTimeout(id as number),
    maxResponseBytes: opts.maxResponseBytes,
    // One SDK model per resolved model for the catalog's life, not one per call.
    models: new ModelCache(fetchFn, opts.maxResponseBytes),
  };

  const catalog: ModelCatalog = {
    defaultRefs(agentId) {
      const inv = inventory();
      const refs: ModelRef[] = [];
      for (const text of defaultChainText(current(), agentId)) {
        try {
          refs.push(inv.ref(text));
        } catch { /* an unparsable entry cannot be called; skip it */ }
      }
      return refs;
    },
    resolve(ref) {
      // An empty default chain (every configured ref unparsable) must fail
      // naming the config key, not as a TypeError deep in a run.
      if (ref === undefined || ref === null) throw noDefaultModel(current());
      const inv = inventory();
      return inv.resolve(inv.ref(ref));
    },
    list() {
      return inventory().list();
    },
    stream(chain: ModelRef[], req: ModelRequest, hooks: FailoverHooks = {}) {
      const inv = inventory();
      return streamWithFailover(chain, req, hooks, {
        retry,
        resolve: (ref) => inv.resolve(ref),
        describe: (ref) => inv.describe(ref),
        attempt: (model, r) => streamAttempt(model, r, attemptDeps),
        withKey: (model, index) => inv.withKey(model, index),
        sleep: opts.sleep ?? abortableSleep,
        random: opts.random ?? Math.random,
      });
    },
    async complete(ref, req) {
      let text = "";
      for await (const ev of catalog.stream([ref], { ...req, tools: [] })) {
        if (ev.type === "text-delta") text += ev.delta;
      }
      return text;
    },
  };
  return catalog;
}
