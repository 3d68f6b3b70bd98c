/**
 * The model inventory: configured providers (`models.providers`) merged over
 * the bundled ones (openai, anthropic, ollama) unless `models.mode` is
 * `replace`, and how one `provider/model` resolves to everything a call needs.
 * Pure: reads the config and env it is given, loads no SDK.
 *
 * @module
 */

import type { Env } from "../../config/paths.ts";
import type { GatewayConfig } from "../../config/schema.ts";
import { MODEL_APIS, type ModelConfig, type ProviderConfig } from "../../config/schema_agent.ts";
import {
  type ModelApi,
  type ModelCatalog,
  type ModelRef,
  ProviderError,
  type ResolvedModel,
  type ThinkingLevel,
} from "../types.ts";
import { credentialCandidates, noCredentialMessage, resolveCredential } from "./credentials.ts";
import { formatRef, lookupBare, parseRef } from "./refs.ts";
import { isPrivateUrl } from "../net_guard.ts";
import { isLiteralLoopback } from "../../config/loopback.ts";

/** Context window assumed when a model does not say (spec 2.1). */
export const DEFAULT_CONTEXT_WINDOW = 200_000;

interface Bundled {
  api: ModelApi;
  baseUrl: string;
  models?: Record<string, Partial<ModelConfig> & { thinkingLevels?: ThinkingLevel[] }>;
}

/** Providers known without config (spec 2.1, 2.2). */
const BUNDLED: Record<string, Bundled> = {
  openai: {
    api: "openai-completions",
    baseUrl: "https://api.openai.com/v1",
    models: {
      "gpt-6-astra": {
        name: "GPT-6 Astra",
        reasoning: true,
        thinkingLevels: ["low", "medium", "high", "xhigh", "max", "ultra"],
      },
    },
  },
  anthropic: { api: "anthropic-messages", baseUrl: "https://api.anthropic.com" },
  ollama: { api: "ollama", baseUrl: "http://127.0.0.1:11434" },
};

const REASONING_LEVELS: ThinkingLevel[] = ["off", "minimal", "low", "medium", "high"];

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || isLiteralLoopback(host);
  } catch {
    return false;
  }
}

/** The configured and bundled providers, as one lookup. */
export class Inventory {
  readonly #config: GatewayConfig;
  readonly #env: Env;

  constructor(config: GatewayConfig, env: Env) {
    this.#config = config;
    this.#env = env;
  }

  #provider(id: string): ProviderConfig | undefined {
    return this.#config.models?.providers?.[id];
  }

  #bundled(id: string): Bundled | undefined {
    if (this.#config.models?.mode === "replace") return undefined;
    return Object.hasOwn(BUNDLED, id) ? BUNDLED[id] : undefined;
  }

  /** Resolves aliases (`agents.defaults.models[ref].alias`) and bare ids unique among configured models. */
  lookupBare(text: string): ModelRef | undefined {
    return lookupBare(this.#config, text);
  }

  /** Parses a ref or text into a ModelRef (aliases included). */
  ref(ref: ModelRef | string): ModelRef {
    return typeof ref === "string" ? parseRef(ref, (bare) => this.lookupBare(bare)) : ref;
  }

  /**
   * Everything known about `ref` without requiring a credential; throws
   * ProviderError `bad_request` for unknown providers/models.
   */
  describe(ref: ModelRef): ResolvedModel {
    const provider = this.#provider(ref.provider);
    const bundled = this.#bundled(ref.provider);
    const label = formatRef(ref);
    const fail = (message: string) =>
      new ProviderError(message, {
        provider: ref.provider,
        model: ref.model,
        reason: "bad_request",
        retryable: false,
      });
    if (!provider && !bundled) {
      throw fail(
        `Unknown model provider "${ref.provider}" in "${label}" (add it under models.providers.${ref.provider})`,
      );
    }
    const configured = provider?.models?.find((m) => m.id === ref.model);
    const known = bundled?.models?.[ref.model];
    if (!configured && !bundled) {
      throw fail(
        `Unknown model "${label}" (add it to models.providers.${ref.provider}.models)`,
      );
    }
    const baseUrl = (configured?.baseUrl ?? provider?.baseUrl ?? bundled?.baseUrl ?? "")
      .replace(/\/+$/, "");
    if (!baseUrl) {
      throw fail(`models.providers.${ref.provider}.baseUrl is not set (give the server's URL)`);
    }
    const api = configured?.api ?? provider?.api ?? bundled?.api ?? "openai-completions";
    if (!(MODEL_APIS as readonly string[]).includes(api)) {
      throw fail(
        `Model "${label}" uses api "${api}", which this gateway does not speak (use ${
          MODEL_APIS.join(", ")
        })`,
      );
    }
    const reasoning = configured?.reasoning ?? known?.reasoning ?? false;
    const timeoutSeconds = provider?.timeoutSeconds;
    const headers = { ...provider?.headers, ...configured?.headers };
    return {
      ref: { provider: ref.provider, model: ref.model },
      name: configured?.name ?? known?.name ?? ref.model,
      api: api as ModelApi,
      baseUrl,
      credential: { kind: "none" },
      contextWindow: configured?.contextWindow ?? known?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
      maxTokens: configured?.maxTokens ?? provider?.maxTokens,
      reasoning,
      thinkingLevels: known?.thinkingLevels ?? (reasoning ? REASONING_LEVELS : ["off"]),
      headers: Object.keys(headers).length ? headers : undefined,
      idleTimeoutMs: timeoutSeconds !== undefined
        ? timeoutSeconds * 1000
        : isPrivateUrl(baseUrl)
        ? 300_000
        : 120_000,
      cost: {
        input: configured?.cost?.input ?? 0,
        output: configured?.cost?.output ?? 0,
        cacheRead: configured?.cost?.cacheRead ?? 0,
        cacheWrite: configured?.cost?.cacheWrite ?? 0,
      },
    };
  }

  /** {@link describe} plus the credential; throws ProviderError `auth` when none resolves. */
  resolve(ref: ModelRef): ResolvedModel {
    const model = this.describe(ref);
    const candidates = credentialCandidates(
      ref.provider,
      this.#provider(ref.provider)?.apiKey,
      this.#env,
    );
    const cred = candidates[0] ?? { source: { kind: "none" as const } };
    model.credential = cred.source;
    if (model.api === "ollama" && isLoopbackUrl(model.baseUrl)) {
      // A local Ollama needs no key; an env key is an Ollama-Cloud credential
      // and is not sent to local hosts (spec 2.2).
      if (cred.source.kind === "config") model.apiKey = cred.apiKey;
      return model;
    }
    if (!cred.apiKey) {
      throw new ProviderError(noCredentialMessage(ref.provider), {
        provider: ref.provider,
        model: ref.model,
        reason: "auth",
        retryable: false,
      });
    }
    model.apiKey = cred.apiKey;
    return model;
  }

  /**
   * `model` with the provider's credential number `index` (0-based) instead,
   * for rotation on rate limits; undefined when there is no such key.
   */
  withKey(model: ResolvedModel, index: number): ResolvedModel | undefined {
    if (!model.apiKey) return undefined;
    const { provider } = model.ref;
    const cred = credentialCandidates(provider, this.#provider(provider)?.apiKey, this.#env)[index];
    if (!cred?.apiKey) return undefined;
    return { ...model, apiKey: cred.apiKey, credential: cred.source };
  }

  /** Every configured model (for `models.list`), without keys. */
  list(): ReturnType<ModelCatalog["list"]> {
    const out: ReturnType<ModelCatalog["list"]> = [];
    for (const [provider, p] of Object.entries(this.#config.models?.providers ?? {})) {
      const credential = resolveCredential(provider, p.apiKey, this.#env).source;
      for (const m of p.models ?? []) {
        const ref = { provider, model: m.id };
        let described: ResolvedModel | undefined;
        try {
          described = this.describe(ref);
        } catch { /* e.g. no baseUrl: listed, but not available */ }
        let available = false;
        try {
          this.resolve(ref);
          available = true;
        } catch { /* no credential */ }
        out.push({
          id: m.id,
          name: m.name,
          provider,
          contextWindow: m.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
          reasoning: m.reasoning ?? false,
          input: m.input ?? ["text"],
          credential,
          thinkingLevels: described?.thinkingLevels ?? ["off"],
          available,
        });
      }
    }
    return out;
  }
}
