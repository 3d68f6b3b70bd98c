/**
 * The long-running gateway process: loads config, starts an instance, and
 * owns what outlives an in-process restart (log sink, signals, config state).
 * SIGTERM/SIGINT stop gracefully; an authorized SIGUSR1 restarts in place.
 *
 * @module
 */

import type { ConfigIssue, ConfigState } from "../protocol/schemas/config.ts";
import { type GatewayInstance, startGateway } from "./app.ts";
import { ConfigError, type ConfigSnapshot, readConfig } from "./config/load.ts";
import type { Env, InstancePaths } from "./config/paths.ts";
import {
  type GatewayFlags,
  type GatewaySettings,
  resolveSettings,
  SettingsError,
} from "./config/settings.ts";
import { writeFileAtomic } from "./config/write.ts";
import type { LogSink } from "./log/logger.ts";
import { processSignals, type SignalSource } from "./runtime/signals.ts";
import type { HandlerTable } from "./server/router.ts";
import { ListenError } from "./server/serve.ts";

/** How long clients are told to wait for an in-process restart. */
export const RESTART_EXPECTED_MS = 1500;

/** Inputs of {@link startGatewayProcess}. */
export interface GatewayProcessOptions {
  paths: InstancePaths;
  env: Env;
  flags: GatewayFlags & { allowUnconfigured?: boolean };
  sink: LogSink;
  signals?: SignalSource;
  /** Test hook: change settings after resolution (e.g. small policy limits). */
  tweakSettings?: (settings: GatewaySettings) => GatewaySettings;
  /** Process-level methods (logs, config), built once the process exists. */
  extraHandlers?: (proc: GatewayProcess) => HandlerTable;
}

/** A refusal to start, with the message the operator sees; exit code 1. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartError";
  }
}

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
  /** Swaps in a new valid config; `restart` decides what happens next. */
  adoptConfig(snapshot: ConfigSnapshot): GatewaySettings;
  /** Restarts in place: `shutdown` to clients, rebuild from current config, listen again. */
  restart(reason: string): Promise<void>;
  /** Stops for good. */
  stop(reason: string): Promise<void>;
  /** Resolves with the exit code once stopped. */
  readonly done: Promise<number>;
  /** Registers cleanup to run when the process stops (watchers...). */
  onStop(fn: () => void | Promise<void>): void;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/** Creates the first config when none exists: local mode and a fresh token. */
async function bootstrapConfig(path: string): Promise<void> {
  const text = `// OpenClaw gateway config (JSON5). Created by the first "openclaw gateway" run.
{
  gateway: {
    mode: "local",
    auth: { mode: "token", token: "${randomToken()}" },
  },
}
`;
  await writeFileAtomic(path, text, { backup: false });
}

async function loadForStart(opts: GatewayProcessOptions): Promise<ConfigSnapshot> {
  let snap = await readConfig(opts.paths.configPath, opts.env);
  if (!snap.exists) {
    await bootstrapConfig(opts.paths.configPath);
    opts.sink.logger("gateway").info(
      `created ${opts.paths.configPath} with a new gateway token (gateway.auth.token); ` +
        "CLI commands on this machine read it from there",
    );
    snap = await readConfig(opts.paths.configPath, opts.env);
  }
  if (!snap.config) throw new ConfigError(snap.path, snap.issues);
  if (snap.config.gateway?.mode !== "local" && !opts.flags.allowUnconfigured) {
    throw new StartError(
      `Gateway start blocked: set gateway.mode to "local" in ${snap.path} ` +
        `(or pass --allow-unconfigured)`,
    );
  }
  return snap;
}

function settingsFor(snap: ConfigSnapshot, opts: GatewayProcessOptions): GatewaySettings {
  let settings = resolveSettings(snap.config!, {
    env: opts.env,
    paths: opts.paths,
    flags: opts.flags,
  });
  if (settings.auth.mode === "token" && !settings.auth.token) {
    throw new StartError(
      `No gateway token configured: add gateway.auth.token to ${snap.path} ` +
        `(or set OPENCLAW_GATEWAY_TOKEN, or pass --token)`,
    );
  }
  if (settings.auth.mode === "password" && !settings.auth.password) {
    throw new StartError(
      `Auth mode is "password" but no password is set: add gateway.auth.password to ${snap.path} ` +
        `(or set OPENCLAW_GATEWAY_PASSWORD, or pass --password)`,
    );
  }
  if (opts.tweakSettings) settings = opts.tweakSettings(settings);
  return settings;
}

/**
 * Starts the gateway process. Throws `ConfigError`, `SettingsError`,
 * `StartError` or `ListenError` when it cannot start.
 */
export async function startGatewayProcess(opts: GatewayProcessOptions): Promise<GatewayProcess> {
  const log = opts.sink.logger("gateway");
  let config = await loadForStart(opts);
  let settings = settingsFor(config, opts);
  let problem: { issues: ConfigIssue[]; message?: string } | undefined;
  const cleanups: (() => void | Promise<void>)[] = [];
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let stopped = false;
  let restarting: Promise<void> | undefined;
  let restartAgain = false;

  const configState = (): ConfigState => ({
    path: config.path,
    valid: !problem,
    hash: config.hash,
    issues: problem?.issues ?? [],
    ...(problem?.message ? { lastReloadError: problem.message } : {}),
  });

  const build = (s: GatewaySettings) =>
    startGateway({ settings: s, sink: opts.sink, configState, extraMethods: { handlers: extra } });

  const proc: GatewayProcess = {
    instance: undefined as unknown as GatewayInstance,
    paths: opts.paths,
    env: opts.env,
    sink: opts.sink,
    get config() {
      return config;
    },
    configState,
    setConfigProblem(issues, message) {
      problem = issues.length || message ? { issues, message } : undefined;
      proc.instance.refreshHealth();
    },
    adoptConfig(snapshot) {
      const next = settingsFor(snapshot, opts);
      config = snapshot;
      settings = next;
      problem = undefined;
      return next;
    },
    restart(reason) {
      if (stopped) return Promise.resolve();
      if (restarting) {
        // Coalesce: one more rebuild after the current one covers every request made meanwhile.
        restartAgain = true;
        return restarting;
      }
      restarting = (async () => {
        do {
          restartAgain = false;
          log.info(`restarting in process: ${reason}`);
          await proc.instance.stop({ reason, restartExpectedMs: RESTART_EXPECTED_MS });
          try {
            const fresh = await readConfig(opts.paths.configPath, opts.env);
            if (fresh.config) proc.adoptConfig(fresh);
            else {problem = {
                issues: fresh.issues,
                message: "config invalid; kept the last good config",
              };}
          } catch (err) {
            log.error(`restart: keeping the previous settings: ${(err as Error).message}`);
          }
          (proc as { instance: GatewayInstance }).instance = await listenWithRetry(() =>
            build(settings)
          );
          log.info("restart complete", { url: proc.instance.url });
        } while (restartAgain && !stopped);
      })().finally(() => (restarting = undefined));
      return restarting;
    },
    async stop(reason) {
      if (stopped) return;
      stopped = true;
      await restarting?.catch(() => {});
      unsubscribe.forEach((fn) => fn());
      for (const fn of cleanups) await fn();
      await proc.instance.stop({ reason });
      opts.sink.close();
      resolveDone(0);
    },
    done,
    onStop(fn) {
      cleanups.push(fn);
    },
  };
  // Built once; `build` (called from here on) reads it.
  const extra = opts.extraHandlers?.(proc);
  (proc as { instance: GatewayInstance }).instance = build(settings);

  const signals = opts.signals ?? processSignals;
  const unsubscribe = [
    signals.on("SIGTERM", () => void proc.stop("SIGTERM")),
    signals.on("SIGINT", () => void proc.stop("SIGINT")),
    signals.on("SIGUSR1", () => {
      if (!settings.allowExternalRestart) {
        log.warn(
          "SIGUSR1 ignored: external restarts are off (set commands.restart to true in the config to allow them)",
        );
        return;
      }
      void proc.restart("SIGUSR1");
    }),
  ];
  return proc;
}

/** Rebinding right after closing can race the OS; retry briefly. */
async function listenWithRetry(build: () => GatewayInstance): Promise<GatewayInstance> {
  for (let attempt = 0;; attempt++) {
    try {
      return build();
    } catch (err) {
      if (!(err instanceof ListenError) || !err.inUse || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export { ConfigError, SettingsError };
