/**
 * The contract of one gateway instance: what `startGateway()` takes and
 * what the running instance offers the process (restart, reload, stop).
 *
 * @module
 */

import type { ConfigState } from "../protocol/schemas/config.ts";
import type { LazyAgent } from "./agent/lazy.ts";
import type { AgentEngine } from "./agent/types.ts";
import type { AdapterFactory } from "./channels/mod.ts";
import type { Env } from "./config/paths.ts";
import type { GatewayConfig } from "./config/schema.ts";
import type { GatewaySettings } from "./config/settings.ts";
import type { ReadyCheck } from "./http/mod.ts";
import type { LogSink } from "./log/logger.ts";
import type { ProcessMethodDeps } from "./methods/mod.ts";
import type { AuthRateLimiter } from "./server/auth.ts";

/** Inputs of one instance. */
export interface GatewayOptions {
  settings: GatewaySettings;
  sink: LogSink;
  /** Health of the config file (valid, issues, last reload error). */
  configState: () => ConfigState;
  /** When the process started: uptime survives in-process restarts. */
  startedAt?: number;
  /** Deps of the process-level methods (`logs.tail`, `config.*`). */
  processMethods?: ProcessMethodDeps;
  /** The agent engine channel messages run on (none: inbound messages are logged and dropped). */
  agentEngine?: AgentEngine;
  /** Builds channel adapters (default: lazy-loaded real adapters). */
  channelFactory?: AdapterFactory;
  /** Channels start this long after the listener (default 0; the process passes 1 s). */
  channelStartDelayMs?: number;
  /**
   * The process's auth failure limiter: passed in so lockouts survive an
   * in-process restart (a fresh one when absent, e.g. in tests).
   */
  limiter?: AuthRateLimiter;
  /**
   * The config in force and the environment: with them the instance runs
   * the agent (`agent`, `chat.*`, `sessions.*`); read live, so `models`,
   * `agents` and `tools` edits apply to the next turn without a restart.
   */
  agent?: { config: () => GatewayConfig; env: Env };
  /** Readiness of configured channels for `/ready` (a failing check answers 503). */
  readinessChecks?: () => ReadyCheck[];
}

/** A running instance. */
export interface GatewayInstance {
  readonly hostname: string;
  readonly port: number;
  /** `ws://host:port` clients connect to. */
  readonly url: string;
  readonly settings: GatewaySettings;
  /**
   * The agent runtime every caller shares (channels, HTTP APIs), loaded on
   * first use (`agent.load()`); absent without `opts.agent`.
   */
  readonly agent?: LazyAgent;
  /** The canvas host's own listener port, when it runs (`canvasHost.port`). */
  canvasPort(): number | undefined;
  /** Number of authenticated connections. */
  connections(): number;
  /** Re-reads health and pushes a `health` event (config state changed, ...). */
  refreshHealth(): void;
  /**
   * Swaps in settings that apply live (log level, reload mode,
   * `commands.restart`). Listener and auth settings take a restart: the
   * running ones are kept.
   */
  applyHotSettings(settings: GatewaySettings): void;
  /** Broadcasts `shutdown`, closes every socket and the listener. */
  stop(opts: { reason: string; restartExpectedMs?: number }): Promise<void>;
}
