/**
 * SDK language models and tool definitions kept between model calls.
 *
 * Building the SDK provider object for every call showed in the turn
 * profile; a model is now built once per resolved model (API, provider,
 * model, base URL, key, headers: everything that shapes its requests) and
 * reused by every call and every concurrent attempt. The per-attempt idle
 * watchdog is reached through the request's abort signal, which each attempt
 * owns. Tool definitions are kept per parameters object, the tool registry's
 * constant.
 *
 * @module
 */

import type { LanguageModel } from "ai";
import type { ResolvedModel, ToolSchema } from "../types.ts";
import { createLanguageModel, type FetchFn } from "./adapters.ts";
import { importLazy } from "../../runtime/lazy_import.ts";

/** Models kept; past this the cache starts over (keys rotate, configs change). */
export const MAX_CACHED_MODELS = 32;

/** The `ai` module, as `importLazy` gives it. */
type Ai = typeof import("ai");
type SdkTool = ReturnType<Ai["tool"]>;

/** One catalog's cache of SDK models and tools. */
export class ModelCache {
  readonly #fetch: FetchFn;
  readonly #maxBytes: number | undefined;
  readonly #models = new Map<string, Promise<LanguageModel>>();
  readonly #watchdogs = new WeakMap<AbortSignal, () => void>();
  readonly #tools = new WeakMap<object, { description: string; tool: SdkTool }>();
  #ai: Ai | undefined;

  constructor(fetchFn: FetchFn, maxBytes?: number) {
    this.#fetch = fetchFn;
    this.#maxBytes = maxBytes;
  }

  /**
   * The `ai` module, imported once: a dynamic `import()` per model call
   * costs a module-map lookup and a few microtask turns before the request.
   */
  async ai(): Promise<Ai> {
    return this.#ai ??= await importLazy<Ai>("ai");
  }

  /**
   * The SDK model of `model`. Requests made with `signal` feed `onActivity`
   * (the attempt's idle watchdog) until the signal is garbage.
   */
  model(model: ResolvedModel, signal: AbortSignal, onActivity: () => void): Promise<LanguageModel> {
    this.#watchdogs.set(signal, onActivity);
    const key = JSON.stringify([
      model.api,
      model.ref.provider,
      model.ref.model,
      model.baseUrl,
      model.apiKey ?? "",
      model.headers ?? {},
    ]);
    let built = this.#models.get(key);
    if (!built) {
      if (this.#models.size >= MAX_CACHED_MODELS) this.#models.clear();
      built = createLanguageModel(
        model,
        this.#fetch,
        (s) => s && this.#watchdogs.get(s)?.(),
        this.#maxBytes,
      );
      built.catch(() => this.#models.delete(key));
      this.#models.set(key, built);
    }
    return built;
  }

  /** The SDK tool definitions of `tools`, reused while a tool's parameters object lives. */
  tools(ai: Ai, tools: ToolSchema[]): Record<string, SdkTool> {
    const out: Record<string, SdkTool> = {};
    for (const t of tools) {
      const params = t.parameters as object;
      let hit = this.#tools.get(params);
      if (!hit || hit.description !== t.description) {
        hit = {
          description: t.description,
          tool: ai.tool({
            description: t.description,
            // deno-lint-ignore no-explicit-any
            inputSchema: ai.jsonSchema(t.parameters as any),
          }),
        };
        this.#tools.set(params, hit);
      }
      out[t.name] = hit.tool;
    }
    return out;
  }
}
