/**
 * The long-running gateway process: loads config, starts an instance, and
 * owns what outlives an in-process restart (log sink, signals, config state,
 * the config reloader). SIGTERM/SIGINT stop gracefully; an authorized SIGUSR1,
 * a config change that needs it, or `config.apply` restarts in place.
 *
 * @module
 */

import type { ConfigIssue, ConfigState } from "../protocol/schemas/config.ts";
import { type GatewayInstance, startGateway } from "./app.ts";
import { ConfigError, type ConfigSnapshot, formatIssues, readConfig } from "./config/load.ts";
import type { Env, InstancePaths } from "./config/paths.ts";
import {
  type GatewayFlags,
  type GatewaySettings,
  resolveSettings,
  SettingsError,
} from "./config/settings.ts";
import {
  createConfigReloader,
  type ReloadOutcome,
  type WriteThroughOptions,
} from "./config/reload.ts";
import { LOG_LEVELS, type LogLevel } from "./config/schema.ts";
import { writeFileAtomic } from "./config/write.ts";
import type { LogSink } from "./log/logger.ts";
import { processSignals, type SignalSource } from "./runtime/signals.ts";
import type { WatchFile } from "./runtime/watch.ts";
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
  /** The config file watch (default `Deno.watchFs`); `false` turns file watching off. */
  watch?: WatchFile | false;
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
  /** Why `snapshot` could not run (invalid, or no token...), or `undefined` when it can. */
  checkConfig(snapshot: ConfigSnapshot): string | undefined;
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
  /**
   * Restarts in place: `shutdown` to clients, rebuild from the file's config,
   * listen again. Requests made while a rebuild has not read the config yet
   * are covered by it; later ones cause one more rebuild.
   */
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
    // Bad flags (--port, --bind) fail before anything is written.
    resolveSettings({}, { env: opts.env, paths: opts.paths, flags: opts.flags });
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

/** The file log level for `level`, never above debug under `--verbose`. */
function fileLevelFor(level: LogLevel, verbose: boolean | undefined): LogLevel {
  if (!verbose) return level;
  return LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf("debug") ? level : "debug";
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
  // Restart state: one rebuild at a time; a request made before the rebuild read
  // the config is covered by it, one made after asks for one more rebuild.
  let restarting: Promise<void> | undefined;
  let configRead = false;
  let again: string | undefined;
  let timer: { handle: ReturnType<typeof setTimeout>; at: number } | undefined;

  const configState = (): ConfigState => ({
    path: config.path,
    valid: !problem,
    hash: config.hash,
    issues: problem?.issues ?? [],
    ...(problem?.message ? { lastReloadError: problem.message } : {}),
  });
  const applyLogLevel = (s: GatewaySettings) =>
    opts.sink.setLevels({ fileLevel: fileLevelFor(s.logLevel, opts.flags.verbose) });
  const adopt = (snap: ConfigSnapshot, next: GatewaySettings) => {
    const hadProblem = !!problem;
    config = snap;
    settings = next;
    problem = undefined;
    applyLogLevel(next);
    if (hadProblem) proc.instance.refreshHealth();
  };
  const build = (s: GatewaySettings) =>
    startGateway({ settings: s, sink: opts.sink, configState, extraMethods: { handlers: extra } });

  /** One rebuild: stop, re-read the config, listen again (previous address if the new one fails). */
  const rebuild = async (reason: string) => {
    configRead = false;
    log.info(`restarting in process: ${reason}`);
    const before = proc.instance.settings;
    await proc.instance.stop({ reason, restartExpectedMs: RESTART_EXPECTED_MS });
    configRead = true;
    const fresh = await readConfig(opts.paths.configPath, opts.env);
    try {
      if (fresh.config) adopt(fresh, settingsFor(fresh, opts));
      else {
        log.warn(
          `config reload skipped (invalid config): ${formatIssues(fresh.path, fresh.issues)}`,
        );
        problem = { issues: fresh.issues, message: "config invalid; kept the last good config" };
      }
    } catch (err) {
      log.error(`restart: keeping the previous settings: ${(err as Error).message}`);
      problem = { issues: [], message: (err as Error).message };
    }
    let instance: GatewayInstance;
    try {
      // Only the address just closed can still be held by us (briefly); retry that one only.
      const same = settings.ports.port === before.ports.port &&
        settings.bindHost === before.bindHost;
      instance = await listenWithRetry(() => build(settings), same ? 20 : 0);
    } catch (err) {
      if (!(err instanceof ListenError)) throw err;
      log.error(`restart: ${err.message}; listening on the previous address instead`);
      problem = { issues: problem?.issues ?? [], message: `restart failed: ${err.message}` };
      instance = await listenWithRetry(() => build(before), 20);
    }
    (proc as { instance: GatewayInstance }).instance = instance;
    log.info("restart complete", { url: instance.url });
  };

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
    checkConfig(snapshot) {
      if (!snapshot.config) return formatIssues(snapshot.path, snapshot.issues);
      try {
        settingsFor(snapshot, opts);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
    writeConfig: (change, w) => reloader.writeThrough(change, w),
    reloadConfig: () => reloader.reloadNow(),
    restart(reason) {
      if (stopped) return Promise.resolve();
      if (restarting) {
        if (configRead) again = reason;
        else log.info(`restart already in progress; covers: ${reason}`);
        return restarting;
      }
      restarting = (async () => {
        try {
          let next: string | undefined = reason;
          while (next !== undefined && !stopped) {
            again = undefined;
            await rebuild(next);
            next = again;
          }
        } catch (err) {
          log.error(`restart failed, stopping: ${(err as Error).message}`);
          void shutdown("restart failed", 1);
        }
      })().finally(() => (restarting = undefined));
      return restarting;
    },
    stop: (reason) => shutdown(reason, 0),
    done,
    onStop(fn) {
      cleanups.push(fn);
    },
  };

  const scheduleRestart = (reason: string, delayMs: number) => {
    if (stopped) return;
    const at = Date.now() + delayMs;
    if (timer && timer.at <= at) return; // an earlier pending restart covers this one
    if (timer) clearTimeout(timer.handle);
    const handle = setTimeout(() => {
      timer = undefined;
      void proc.restart(reason);
    }, delayMs);
    timer = { handle, at };
  };

  async function shutdown(reason: string, code: number): Promise<void> {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer.handle);
    await restarting;
    unsubscribe.forEach((fn) => fn());
    for (const fn of cleanups) await fn();
    await proc.instance.stop({ reason });
    opts.sink.close();
    resolveDone(code);
  }

  // Built once; `build` (called from here on) reads it.
  const extra = opts.extraHandlers?.(proc);
  applyLogLevel(settings);
  (proc as { instance: GatewayInstance }).instance = build(settings);

  const reloader = createConfigReloader({
    path: opts.paths.configPath,
    read: () => readConfig(opts.paths.configPath, opts.env),
    log: opts.sink.logger("reload"),
    watch: opts.watch,
    target: {
      current: () => config,
      reloadSettings: () => settings.reload,
      prepare: (snap) => settingsFor(snap, opts),
      adopt,
      running: () => proc.instance.settings,
      applyLive: (s) => proc.instance.applyHotSettings(s),
      restart: scheduleRestart,
      setProblem: (issues, message) => proc.setConfigProblem(issues, message),
      hasProblem: () => !!problem,
    },
  });
  cleanups.push(() => reloader.stop());

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

/** Rebinding right after closing can race the OS; retry briefly (`retries` x 100 ms). */
async function listenWithRetry(
  build: () => GatewayInstance,
  retries: number,
): Promise<GatewayInstance> {
  for (let attempt = 0;; attempt++) {
    try {
      return build();
    } catch (err) {
      if (!(err instanceof ListenError) || !err.inUse || attempt >= retries) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export { ConfigError, SettingsError };
