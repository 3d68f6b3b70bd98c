/**
 * The contract of the long-running gateway process (`gateway_process.ts`):
 * what starting it takes and what the running process offers the CLI, the
 * process-level methods and tests. Kept apart so the contract can be read
 * (and changed) without the start-up and restart wiring.
 *
 * @module
 */

import type { ConfigIssue, ConfigState } from "../protocol/schemas/config.ts";
import type { GatewayInstance } from "./app.ts";
import type { AgentEngine } from "./agent/types.ts";
import type { ProcessMethodDeps } from "./methods/mod.ts";
import type { ConfigSnapshot } from "./config/load.ts";
import type { Env, InstancePaths } from "./config/paths.ts";
import type { ReloadOutcome, WriteThroughOptions } from "./config/reload.ts";
import type { Runnable } from "./config/runnable.ts";
import type { GatewayFlags, GatewaySettings } from "./config/settings.ts";
import type { LogSink } from "./log/logger.ts";
import type { SignalSource } from "./runtime/signals.ts";
import type { WatchFile } from "./runtime/watch.ts";

/** Inputs of `startGatewayProcess()`. */
export interface GatewayProcessOptions {
  paths: InstancePaths;
  env: Env;
  flags: GatewayFlags & { allowUnconfigured?: boolean };
  sink: LogSink;
  signals?: SignalSource;
  /** Test hook: change settings after resolution (e.g. small policy limits). */
  tweakSettings?: (settings: GatewaySettings) => GatewaySettings;
  /** Deps of the process-level methods (`logs.tail`, `config.*`), built once the process exists. */
  processMethods?: (proc: GatewayProcess) => ProcessMethodDeps;
  /** The config file watch (default `Deno.watchFs`); `false` turns file watching off. */
  watch?: WatchFile | false;
  /** The agent engine channels run messages on (shared by every instance of the process). */
  agentEngine?: AgentEngine;
  /**
   * Channels start this long after the listener (default
   * {@link CHANNEL_START_DELAY_MS}): loading Baileys or grammY takes a few
   * hundred ms of CPU on the one JS thread, and a client connecting right
   * after start must get its hello-ok first. Tests pass 0.
   */
  channelStartDelayMs?: number;
}

/** Default delay between the listener opening and the channels starting. */
export const CHANNEL_START_DELAY_MS = 1000;

/** The running process. */
export interface GatewayProcess {
  /** The current instance (replaced by restarts). */
  readonly instance: GatewayInstance;
  readonly paths: InstancePaths;
  readonly env: Env;
  readonly sink: LogSink;
  /** The config in force (last good one). */
  readonly config: ConfigSnapshot;
  /** Health of the config file as shown in `health` / `status`. */
  configState(): ConfigState;
  /** Records a problem with the file on disk (kept on the last good config). */
  setConfigProblem(issues: ConfigIssue[], message: string | undefined): void;
  /**
   * Whether `snapshot` may be written by a config RPC: it must run with this
   * process's env and flags (it is applied at once) and also as the service
   * would start it, from the file alone: no `--token`, `--password`, `--bind`
   * or `--allow-unconfigured` (`checkRunnable` both ways).
   */
  checkConfig(snapshot: ConfigSnapshot): Runnable;
  /**
   * A gateway-originated write: runs `change` (read, compare, write) with file
   * events held off, then applies the snapshot it returns (see `config/reload.ts`).
   */
  writeConfig(
    change: () => Promise<ConfigSnapshot>,
    opts: WriteThroughOptions,
  ): Promise<ReloadOutcome>;
  /** Reads the config file and applies it now, as a file change would. */
  reloadConfig(): Promise<ReloadOutcome>;
  /** Restarts in place (see `restart.ts`); does nothing once stopping. */
  restart(reason: string): Promise<void>;
  /**
   * Stops for good: cancels a pending restart, lets one in progress end
   * without listening again, then closes. Every call resolves once stopped.
   */
  stop(reason: string): Promise<void>;
  /** Resolves with the exit code once stopped. */
  readonly done: Promise<number>;
  /** Registers cleanup to run when the process stops (watchers...). */
  onStop(fn: () => void | Promise<void>): void;
}
