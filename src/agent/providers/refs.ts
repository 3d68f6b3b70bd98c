/**
 * Model references (`provider/model`) and the default model chain of an
 * agent, read from `agents.*` of the config.
 *
 * @module
 */

import type { GatewayConfig } from "../../config/schema.ts";
import type { ModelChoice } from "../../config/schema_agent.ts";
import { agentSetting } from "../../config/agents.ts";
import { type ModelRef, ProviderError } from "../types.ts";

/** The model of a fresh install (spec 2.1: `sessions.list.defaults`). */
export const DEFAULT_MODEL_REF: ModelRef = { provider: "openai", model: "gpt-6-astra" };

/** `provider/model` as text. */
export function formatRef(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}

/**
 * Parses `provider/model`. The model part may itself contain slashes
 * (`openrouter/anthropic/claude`), so the split is at the first one. A bare
 * id or alias is looked up with `lookup` (aliases, unique configured ids).
 */
export function parseRef(
  text: string,
  lookup?: (bare: string) => ModelRef | undefined,
): ModelRef {
  const trimmed = text.trim();
  const found = lookup?.(trimmed);
  if (found) return found;
  const slash = trimmed.indexOf("/");
  if (slash <= 0 || slash === trimmed.length - 1) {
    throw new ProviderError(
      `Model "${
        text.slice(0, 200)
      }" is not a "provider/model" reference (for example "openai/gpt-6-astra")`,
      { provider: "", model: text.slice(0, 200), reason: "bad_request", retryable: false },
    );
  }
  return { provider: trimmed.slice(0, slash), model: trimmed.slice(slash + 1) };
}

function choiceRefs(choice: ModelChoice | undefined): { primary?: string; fallbacks?: string[] } {
  if (choice === undefined) return {};
  if (typeof choice === "string") return { primary: choice };
  return { primary: choice.primary, fallbacks: choice.fallbacks };
}

/**
 * The default chain as text refs: the agent's primary (or the defaults'),
 * then fallbacks (the agent's own when it gives `{primary, fallbacks}`, else
 * `agents.defaults.model.fallbacks`), without duplicates.
 */
export function defaultChainText(config: GatewayConfig, agentId?: string): string[] {
  const defaults = choiceRefs(config.agents?.defaults?.model);
  const own = agentId ? agentSetting(config.agents, agentId, "model") : undefined;
  const agent = choiceRefs(own);
  const primary = agent.primary ?? defaults.primary ?? formatRef(DEFAULT_MODEL_REF);
  const fallbacks = (typeof own === "object" ? agent.fallbacks : undefined) ??
    defaults.fallbacks ?? [];
  const out: string[] = [];
  for (const ref of [primary, ...fallbacks]) if (!out.includes(ref)) out.push(ref);
  return out;
}

/**
 * Resolves an alias (`agents.defaults.models[ref].alias`) or a bare model
 * id that is unique among the configured providers' models.
 */
export function lookupBare(config: GatewayConfig, text: string): ModelRef | undefined {
  const models = config.agents?.defaults?.models ?? {};
  for (const [ref, entry] of Object.entries(models)) {
    if ((entry as { alias?: unknown }).alias === text && ref.includes("/")) {
      return parseRef(ref);
    }
  }
  if (text.includes("/")) return undefined;
  const hits: ModelRef[] = [];
  for (const [provider, p] of Object.entries(config.models?.providers ?? {})) {
    for (const m of p.models ?? []) if (m.id === text) hits.push({ provider, model: m.id });
  }
  return hits.length === 1 ? hits[0] : undefined;
}

/** One model reference of the config that cannot be parsed: its key and why. */
export interface ModelRefIssue {
  /** Dotted config key (`agents.defaults.model.primary`). */
  path: string;
  message: string;
}

/**
 * Every model choice of `agents.*` that is neither `provider/model`, an
 * alias, nor a bare id unique among configured models. Config load refuses
 * such a file (a turn could never pick a model); each issue names its key.
 */
export function modelRefIssues(config: GatewayConfig): ModelRefIssue[] {
  const issues: ModelRefIssue[] = [];
  const check = (choice: ModelChoice | undefined, key: string) => {
    if (choice === undefined) return;
    const at = typeof choice === "string" ? key : `${key}.primary`;
    const { primary, fallbacks = [] } = choiceRefs(choice);
    const entries: [string | undefined, string][] = [
      [primary, at],
      ...fallbacks.map((f, i): [string, string] => [f, `${key}.fallbacks.${i}`]),
    ];
    for (const [text, path] of entries) {
      if (text === undefined) continue;
      try {
        parseRef(text, (bare) => lookupBare(config, bare));
      } catch {
        issues.push({
          path,
          message: `model ${JSON.stringify(text.slice(0, 200))} is not a "provider/model" ` +
            `reference, an alias, or a configured model id: write it as "provider/model" ` +
            `(for example "openai/gpt-6-astra")`,
        });
      }
    }
  };
  check(config.agents?.defaults?.model, "agents.defaults.model");
  for (const [i, a] of (config.agents?.list ?? []).entries()) {
    check(a.model, `agents.list.${i}.model`);
  }
  for (const [id, a] of Object.entries(config.agents?.entries ?? {})) {
    check(a.model, `agents.entries.${id}.model`);
  }
  return issues;
}
