/**
 * `models.list` and `agents.list`: what the config offers, without keys.
 *
 * @module
 */

import type { ModelCatalog } from "../agent/types.ts";

/** One configured agent as `agents.list` shows it. */
export interface AgentSummary {
  id: string;
  name?: string;
  workspace?: string;
  model?: string;
  isDefault: boolean;
}

/** What these handlers use. */
export interface ModelsMethodDeps {
  catalog: () => ModelCatalog;
  agents: () => { defaultId: string; mainKey: string; agents: AgentSummary[] };
}

/** Builds the handlers. */
export function modelsHandlers(deps: ModelsMethodDeps) {
  return {
    "models.list": () => {
      const catalog = deps.catalog();
      const primary = catalog.defaultRefs()[0];
      return {
        models: catalog.list().map((m) => ({
          id: m.id,
          name: m.name,
          provider: m.provider,
          contextWindow: m.contextWindow,
          reasoning: m.reasoning,
          input: m.input,
          isDefault: !!primary && primary.provider === m.provider && primary.model === m.id,
          credential: m.credential,
        })),
      };
    },
    "agents.list": () => {
      const a = deps.agents();
      return { defaultId: a.defaultId, mainKey: a.mainKey, scope: "per-sender", agents: a.agents };
    },
  };
}
