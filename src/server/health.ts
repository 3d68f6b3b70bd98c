/**
 * The health snapshot: built on demand, versioned, and pushed as a `health`
 * event when it is refreshed.
 *
 * @module
 */

import type { ConfigState } from "../../protocol/schemas/config.ts";
import type { HealthSnapshot, ModelHealth } from "../../protocol/schemas/system.ts";
import { normalizeAgentId } from "../agent/sessions/keys.ts";
import type { AgentRoster } from "../config/agents.ts";
import type { Hub } from "./hub.ts";
import { isImmutable, markImmutable } from "./_json_memo.ts";

/** Health refreshes in the background this often (and whenever config state changes). */
export const HEALTH_REFRESH_MS = 60_000;
/** A snapshot younger than this is served from cache (`health {probe: true}` bypasses it). */
export const HEALTH_CACHE_MS = 1_000;

/** What the health snapshot reads. */
export interface HealthDeps {
  version: string;
  startedAt: number;
  /** The default agent's `sessions.json` (a function: read per snapshot, so reloads apply). */
  sessionsPath: string | (() => string);
  configState: () => ConfigState;
  /** The agent's default model state (absent: no agent runtime). */
  model?: () => ModelHealth;
  now?: () => number;
  /** The configured agents (absent: `main` only); read per snapshot, so reloads apply. */
  agents?: () => AgentRoster | undefined;
  /** Per-channel health rows, in display order. */
  channels?: () => Record<string, HealthSnapshot["channels"][string]>;
  /** The channel with a linked device, if any (`linkChannel`). */
  linkChannel?: () => string | undefined;
}

interface SessionIndex {
  count: number;
  recent: { key: string; updatedAt?: number }[];
}

function readSessions(path: string): SessionIndex {
  try {
    const data = JSON.parse(Deno.readTextFileSync(path)) as Record<string, { updatedAt?: number }>;
    const rows = Object.entries(data).map(([key, v]) => ({ key, updatedAt: v?.updatedAt }))
      .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
    return { count: rows.length, recent: rows.slice(0, 5) };
  } catch {
    // No session store yet (agents arrive later) or unreadable: report none.
    return { count: 0, recent: [] };
  }
}

/**
 * The default agent's session index under `$STATE`, as the agent runtime
 * lays it out; `main`'s when the configured id cannot be a folder name.
 */
export function defaultSessionsPath(
  settings: { paths: { stateDir: string }; agents?: AgentRoster },
): string {
  let folder = "main";
  try {
    folder = normalizeAgentId(settings.agents?.defaultId ?? "main");
  } catch {
    // Not a valid agent id (the agent refuses it too): report main's store.
  }
  return `${settings.paths.stateDir}/agents/${folder}/sessions/sessions.json`;
}

const MAIN_ONLY: AgentRoster = { defaultId: "main", list: [{ id: "main", isDefault: true }] };

/** Builds health snapshots and tracks `stateVersion.health`. */
export class HealthMonitor {
  #deps: HealthDeps;
  #version = 0;
  #now: () => number;
  #cached: HealthSnapshot | undefined;

  constructor(deps: HealthDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Increments on every refresh. */
  get version(): number {
    return this.#version;
  }

  /** Marks a refresh and drops the cache (the caller broadcasts the new snapshot). */
  bump(): void {
    this.#version++;
    this.#cached = undefined;
  }

  /** The current snapshot: cached for {@link HEALTH_CACHE_MS} unless `fresh`. */
  snapshot(opts: { fresh?: boolean } = {}): HealthSnapshot {
    const cached = this.#cached;
    if (!opts.fresh && cached && this.#now() - cached.ts < HEALTH_CACHE_MS) return cached;
    // Shared by every caller until replaced: its JSON is computed once.
    this.#cached = markImmutable(this.#build());
    return this.#cached;
  }

  #build(): HealthSnapshot {
    const started = performance.now();
    const now = this.#now();
    const config = this.#deps.configState();
    const path = this.#deps.sessionsPath;
    const sessionsPath = typeof path === "function" ? path() : path;
    const sessions = readSessions(sessionsPath);
    const channels = this.#deps.channels?.() ?? {};
    const linkChannel = this.#deps.linkChannel?.();
    const agents = this.#deps.agents?.() ?? MAIN_ONLY;
    return {
      // Degraded while the file is invalid or the last restart failed.
      ok: config.valid && !config.lastReloadError,
      ts: now,
      durationMs: Math.round(performance.now() - started),
      version: this.#deps.version,
      uptimeMs: Math.max(0, now - this.#deps.startedAt),
      channels,
      channelOrder: Object.keys(channels),
      ...(linkChannel ? { linkChannel } : {}),
      heartbeatSeconds: 0,
      defaultAgentId: agents.defaultId,
      agents: agents.list.map((a) => ({ ...a })),
      sessions: { path: sessionsPath, ...sessions },
      config,
      ...(this.#deps.model ? { model: this.#deps.model() } : {}),
    };
  }
}

/**
 * The snapshot for a client without `operator.read` (nodes, scope-less
 * operators): the same facts without the host's file system paths.
 */
export function withoutPaths(snapshot: HealthSnapshot): HealthSnapshot {
  const known = limitedOf.get(snapshot);
  if (known) return known;
  const out = {
    ...snapshot,
    sessions: { ...snapshot.sessions, path: "" },
    config: { ...snapshot.config, path: "" },
  };
  // The limited view of an immutable snapshot is built (and serialized) once.
  if (isImmutable(snapshot)) limitedOf.set(snapshot, markImmutable(out));
  return out;
}

const limitedOf = new WeakMap<HealthSnapshot, HealthSnapshot>();

/**
 * Pushes a `health` event: the full snapshot to readers, one without host
 * paths to everyone else.
 */
export function broadcastHealth(
  hub: Pick<Hub, "broadcast">,
  snapshot: HealthSnapshot,
  stateVersion: { presence: number; health: number },
): void {
  hub.broadcast("health", snapshot, { stateVersion, limitedPayload: withoutPaths(snapshot) });
}
