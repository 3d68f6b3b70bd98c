/**
 * One model call: `ai`'s `streamText` with the tools as plain JSON schemas
 * (no `execute`, so the SDK never runs a tool: the engine does), no SDK
 * retries (the failover loop retries), an idle watchdog on the bytes of the
 * response, and the SDK's stream parts mapped to {@link ModelStreamEvent}s.
 *
 * @module
 */

import type { ModelRequest, ModelStreamEvent, ResolvedModel, StopReason, Usage } from "../types.ts";
import type { FetchFn } from "./adapters.ts";
import { ModelCache } from "./model_cache.ts";
import { toProviderError } from "./errors.ts";
import { toModelMessages, withAnthropicCaching } from "./messages.ts";

/** Runtime edges of an attempt, replaceable in tests. */
export interface AttemptDeps {
  fetch: FetchFn;
  setTimer(cb: () => void, ms: number): unknown;
  clearTimer(id: unknown): void;
  /** Response body cap; default MAX_RESPONSE_BYTES (32 MiB). */
  maxResponseBytes?: number;
  /** SDK models and tools kept between calls (default: none kept). */
  models?: ModelCache;
}

/**
 * The SDK reports request shaping (e.g. "Ollama only supports on/off
 * thinking") with `process.emitWarning` on stderr, outside our logs and
 * formats. Those notes are not actionable for an operator, so they are off,
 * unless an embedder set its own logger.
 */
function quietSdkWarnings() {
  const g = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
  if (g.AI_SDK_LOG_WARNINGS === undefined) g.AI_SDK_LOG_WARNINGS = false;
}

/** SDK finish reasons -> transcript stop reasons. */
function stopReasonOf(reason: string | undefined): StopReason {
  switch (reason) {
    case "length":
      return "length";
    case "tool-calls":
      return "toolUse";
    case "error":
      return "error";
    default:
      return "stop";
  }
}

// deno-lint-ignore no-explicit-any
type SdkUsage = any;

/** SDK usage -> transcript usage, with cost from the model's per-1M prices. */
export function usageOf(u: SdkUsage, model: ResolvedModel): Usage {
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const cacheRead = n(u?.inputTokenDetails?.cacheReadTokens);
  const cacheWrite = n(u?.inputTokenDetails?.cacheWriteTokens);
  const input = typeof u?.inputTokenDetails?.noCacheTokens === "number"
    ? u.inputTokenDetails.noCacheTokens
    : Math.max(0, n(u?.inputTokens) - cacheRead - cacheWrite);
  const output = n(u?.outputTokens);
  const price = (tokens: number, perMillion: number) => (tokens * perMillion) / 1_000_000;
  const cost = {
    input: price(input, model.cost.input),
    output: price(output, model.cost.output),
    cacheRead: price(cacheRead, model.cost.cacheRead),
    cacheWrite: price(cacheWrite, model.cost.cacheWrite),
    total: 0,
  };
  cost.total = cost.input + cost.output + cost.cacheRead + cost.cacheWrite;
  return {
    input,
    output,
    cacheRead,
    cacheWrite,
    totalTokens: input + output + cacheRead + cacheWrite,
    cost,
  };
}

/** ThinkingLevel -> the SDK's provider-neutral `reasoning` option. */
function reasoningOption(model: ResolvedModel, req: ModelRequest) {
  if (!model.reasoning || !req.thinking) return undefined;
  switch (req.thinking) {
    case "off":
      return "none" as const;
    case "adaptive":
      return "provider-default" as const;
    case "ultra":
      return "max" as const;
    default:
      return req.thinking;
  }
}

function argumentsOf(input: unknown): Record<string, unknown> {
  if (input && typeof input === "object" && !Array.isArray(input)) {
    return input as Record<string, unknown>;
  }
  if (typeof input === "string") {
    try {
      const parsed = JSON.parse(input);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
    } catch { /* not JSON */ }
  }
  return {};
}

/**
 * Streams one attempt. Throws a ProviderError (`timeout` when the watchdog
 * fired, `aborted` when `req.signal` did). Breaking out of the iteration
 * aborts the HTTP request.
 */
export async function* streamAttempt(
  model: ResolvedModel,
  req: ModelRequest,
  deps: AttemptDeps,
): AsyncGenerator<ModelStreamEvent> {
  const ctl = new AbortController();
  let idle = false;
  let timer: unknown;
  let paused = false;
  const disarm = () => {
    if (timer !== undefined) deps.clearTimer(timer);
    timer = undefined;
  };
  const arm = () => {
    disarm();
    if (paused) return;
    timer = deps.setTimer(() => {
      idle = true;
      ctl.abort(new Error("idle timeout"));
    }, model.idleTimeoutMs);
  };
  // Time the consumer spends between pulls is not provider silence: the
  // watchdog sleeps while an event is being handled.
  const handOver = function* (ev: ModelStreamEvent) {
    paused = true;
    disarm();
    try {
      yield ev;
    } finally {
      paused = false;
    }
    arm();
  };
  const onCallerAbort = () => ctl.abort(req.signal.reason);
  if (req.signal.aborted) ctl.abort(req.signal.reason);
  else req.signal.addEventListener("abort", onCallerAbort, { once: true });
  const fail = (err: unknown) =>
    toProviderError(err, model, { idle, aborted: !idle && req.signal.aborted });
  let finished = false;
  try {
    arm();
    if (ctl.signal.aborted) throw ctl.signal.reason;
    const cache = deps.models ?? new ModelCache(deps.fetch, deps.maxResponseBytes);
    const ai = await cache.ai();
    quietSdkWarnings();
    const sdkModel = await cache.model(model, ctl.signal, arm);
    const tools = cache.tools(ai, req.tools);
    const messages = toModelMessages(req.messages);
    const anthropic = model.api === "anthropic-messages";
    const result = ai.streamText({
      model: sdkModel,
      ...(anthropic
        ? { messages: withAnthropicCaching(req.system, messages), allowSystemInMessages: true }
        : { system: req.system, messages }),
      tools,
      // Plain tool-input streaming, as captured (no `eager_input_streaming` beta).
      providerOptions: anthropic ? { anthropic: { toolStreaming: false } } : undefined,
      maxRetries: 0,
      abortSignal: ctl.signal,
      maxOutputTokens: model.api === "ollama" ? undefined : model.maxTokens,
      reasoning: reasoningOption(model, req),
      onError: () => {}, // errors arrive as stream parts; the SDK would log them
    });
    let responseId: string | undefined;
    let stepUsage: SdkUsage;
    for await (const part of result.fullStream) {
      switch (part.type) {
        case "text-delta":
          if (part.text) yield* handOver({ type: "text-delta", delta: part.text });
          break;
        case "reasoning-delta":
          if (part.text) yield* handOver({ type: "thinking-delta", delta: part.text });
          break;
        case "tool-call":
          yield* handOver({
            type: "tool-call",
            id: part.toolCallId,
            name: part.toolName,
            arguments: argumentsOf(part.input),
          });
          break;
        case "finish-step":
          responseId = part.response?.id;
          stepUsage = part.usage;
          break;
        case "finish":
          finished = true;
          paused = true;
          disarm();
          yield {
            type: "finish",
            stopReason: stopReasonOf(part.finishReason),
            usage: usageOf(part.totalUsage ?? stepUsage, model),
            responseId,
          };
          return;
        case "error":
          throw fail(part.error);
        case "abort":
          throw fail(new Error(part.reason ?? "aborted"));
        default:
          break;
      }
    }
    throw fail(new Error("the stream ended without a finish"));
  } catch (err) {
    throw fail(err);
  } finally {
    paused = true;
    disarm();
    req.signal.removeEventListener("abort", onCallerAbort);
    if (!finished && !ctl.signal.aborted) ctl.abort(new Error("stream closed by the consumer"));
  }
}
