/**
 * Agent ids in the config. An agent id is case-insensitive (spec `http.md`:
 * `[a-z0-9][a-z0-9_-]{0,63}`, case-insensitive) and its canonical spelling is
 * lower case, so `agents.list[].id: "Main"`, `agents.entries.Main` and a
 * request for `main` all name one agent. Every lookup of an agent's settings
 * goes through here so no part compares ids its own way.
 *
 * @module
 */

import type { AgentsConfig } from "./schema_agent.ts";

/** The id every install has. */
const MAIN_AGENT_ID = "main";

/** The canonical (lower-case, trimmed) spelling of an agent id; no validation. */
export function foldAgentId(id: string): string {
  return id.trim().toLowerCase();
}

/** The default agent: the `agents.list[]` entry marked `default`, else `main`; canonical. */
export function configuredDefaultAgentId(agents: AgentsConfig | undefined): string {
  return foldAgentId(agents?.list?.find((a) => a.default)?.id ?? MAIN_AGENT_ID);
}

type AgentEntry = NonNullable<AgentsConfig["entries"]>[string];

/**
 * One setting of an agent: its `agents.list[]` entry's value, else its
 * `agents.entries.<id>` value, with ids compared in canonical spelling.
 */
export function agentSetting<K extends keyof AgentEntry>(
  agents: AgentsConfig | undefined,
  agentId: string,
  key: K,
): AgentEntry[K] | undefined {
  const id = foldAgentId(agentId);
  const listed = agents?.list?.find((a) => foldAgentId(a.id) === id)?.[key];
  if (listed !== undefined) return listed;
  for (const [entryId, entry] of Object.entries(agents?.entries ?? {})) {
    if (foldAgentId(entryId) === id && entry[key] !== undefined) return entry[key];
  }
  return undefined;
}

/** The agents a gateway reports (`health.agents`, `hello-ok` session defaults). */
export interface AgentRoster {
  /** The canonical id of the default agent. */
  defaultId: string;
  /** Configured agents in `agents.list` order, default included, ids canonical and unique. */
  list: { id: string; isDefault: boolean }[];
}

/**
 * The configured agents: `agents.list` ids (canonical, first spelling wins)
 * with the default marked; the default is added first when the list lacks it,
 * so an install without `agents.list` reports just `main`.
 */
export function agentRoster(agents: AgentsConfig | undefined): AgentRoster {
  const defaultId = configuredDefaultAgentId(agents);
  const ids: string[] = [];
  for (const entry of agents?.list ?? []) {
    const id = foldAgentId(entry.id);
    if (id && !ids.includes(id)) ids.push(id);
  }
  if (!ids.includes(defaultId)) ids.unshift(defaultId);
  return { defaultId, list: ids.map((id) => ({ id, isDefault: id === defaultId })) };
}
