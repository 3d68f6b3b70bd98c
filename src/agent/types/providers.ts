/**
 * Providers (`src/agent/providers/`): models, refs, requests, stream events, failures and the catalog.
 *
 * @module
 */

import type { AgentMessage, StopReason, Usage } from "./messages.ts";

/** Wire protocols we speak. */
export type ModelApi = "openai-completions" | "anthropic-messages" | "ollama";

/** Thinking levels (spec section 10). */
export type ThinkingLevel =
  | "off"
  | "minimal"
  | "low"
  | "medium"
  | "high"
  | "xhigh"
  | "adaptive"
  | "max"
  | "ultra";

/** `provider/model`, parsed. */
export interface ModelRef {
  provider: string;
  model: string;
}

/** Where a credential came from; never the credential itself. */
export interface CredentialSource {
  /** `config` (models.providers.<id>.apiKey), `env` (<PROVIDER>_API_KEY ...), `none`. */
  kind: "config" | "env" | "none";
  /** The env var or config key that held it, e.g. `OPENAI_API_KEY`. */
  name?: string;
}

/** Everything needed to call one model. */
export interface ResolvedModel {
  ref: ModelRef;
  /** Display name from config. */
  name: string;
  api: ModelApi;
  baseUrl: string;
  /** Undefined when no credential resolves (Ollama on loopback may need none). */
  apiKey?: string;
  credential: CredentialSource;
  contextWindow: number;
  maxTokens?: number;
  reasoning: boolean;
  /** Thinking levels this model accepts (`["off"]` for a non-reasoning model). */
  thinkingLevels: ThinkingLevel[];
  headers?: Record<string, string>;
  /** Idle watchdog for the stream: no byte for this long fails the attempt. */
  idleTimeoutMs: number;
  /** Per 1M tokens. */
  cost: { input: number; output: number; cacheRead: number; cacheWrite: number };
}

/** A function tool as the model sees it. */
export interface ToolSchema {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** One model call. */
export interface ModelRequest {
  /** The system prompt. */
  system: string;
  messages: AgentMessage[];
  tools: ToolSchema[];
  thinking?: ThinkingLevel;
  /** Aborts the HTTP request and the stream. */
  signal: AbortSignal;
}

/** What a model stream yields, in order; exactly one `finish` ends it. */
export type ModelStreamEvent =
  | { type: "text-delta"; delta: string }
  | { type: "thinking-delta"; delta: string }
  | { type: "tool-call"; id: string; name: string; arguments: Record<string, unknown> }
  | { type: "finish"; stopReason: StopReason; usage: Usage; responseId?: string };

/** Failure classes (spec: failoverReason). */
export type ProviderFailure =
  | "auth" // no credential, or 401/403
  | "unreachable" // connection refused, DNS, TLS
  | "rate_limit" // 429
  | "server_error" // 5xx
  | "bad_request" // other 4xx
  | "timeout" // idle watchdog or request deadline
  | "aborted" // the caller's signal
  | "unknown";

/**
 * A provider call failed. The message names provider, model and cause and
 * never contains a key.
 */
export class ProviderError extends Error {
  readonly provider: string;
  readonly model: string;
  readonly reason: ProviderFailure;
  readonly status?: number;
  /** From `Retry-After` / `retry-after-ms`. */
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(
    message: string,
    opts: {
      provider: string;
      model: string;
      reason: ProviderFailure;
      status?: number;
      retryAfterMs?: number;
      retryable?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, { cause: opts.cause });
    this.name = "ProviderError";
    this.provider = opts.provider;
    this.model = opts.model;
    this.reason = opts.reason;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.retryable = opts.retryable ??
      (opts.reason === "rate_limit" || opts.reason === "server_error" ||
        opts.reason === "unreachable" || opts.reason === "timeout");
  }
}

/** Hooks the failover loop calls so the engine can emit lifecycle events. */
export interface FailoverHooks {
  /** A model attempt starts (`lifecycle {phase:"model"}`). */
  onAttempt?(model: ResolvedModel, attempt: number): void;
  /** An attempt failed and will be retried after `delayMs`. */
  onRetry?(model: ResolvedModel, err: ProviderError, attempt: number, delayMs: number): void;
  /** The chain moves on from `from` (`lifecycle {phase:"fallback_step"}`). */
  onFallback?(
    from: ResolvedModel,
    err: ProviderError,
    position: number,
    outcome: "next" | "chain_exhausted",
  ): void;
}

/** The models a config knows about, and how to call them. */
export interface ModelCatalog {
  /** The default chain: primary first, then fallbacks (may be unresolvable). */
  defaultRefs(agentId?: string): ModelRef[];
  /** Resolves a ref or `"provider/model"`; throws ProviderError(reason "auth"|"bad_request"). */
  resolve(ref: ModelRef | string): ResolvedModel;
  /** For `models.list`: every configured model, without keys. */
  list(): Array<{
    id: string;
    name: string;
    provider: string;
    contextWindow: number;
    reasoning: boolean;
    input: string[];
    credential: CredentialSource;
    /** Thinking levels the model accepts (`models.list` `thinkingLevels`). Added by providers. */
    thinkingLevels?: ThinkingLevel[];
    /** A credential resolves (or none is needed), so a call can be tried. Added by providers. */
    available?: boolean;
  }>;
  /**
   * Streams one turn through the chain with retries (backoff + jitter,
   * honouring Retry-After) before any output has been yielded, then fallbacks.
   * Throws the last ProviderError when the chain is exhausted.
   */
  stream(chain: ModelRef[], req: ModelRequest, hooks?: FailoverHooks): AsyncIterable<
    ModelStreamEvent & { model: ResolvedModel }
  >;
  /** One non-streaming call without tools (compaction). */
  complete(ref: ModelRef, req: Omit<ModelRequest, "tools">): Promise<string>;
}
