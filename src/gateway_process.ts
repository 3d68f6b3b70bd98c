/**
 * The long-running gateway process: loads config, starts an instance, and
 * owns what outlives an in-process restart (log sink, signals, config state,
 * the config reloader, the restart coordinator of `restart.ts`). SIGTERM/SIGINT
 * stop gracefully; an authorized SIGUSR1, a config change that needs it, or
 * `config.apply` restarts in place. Start-up, reload and the config RPCs judge
 * a config with the one check of `config/runnable.ts`.
 *
 * @module
 */

import type { ConfigIssue, ConfigState } from "../protocol/schemas/config.ts";
import { type GatewayInstance, startGateway } from "./app.ts";
import { AuthRateLimiter } from "./server/auth.ts";
import { bootstrapConfig } from "./config/bootstrap.ts";
import { ConfigError, type ConfigSnapshot, readConfig } from "./config/load.ts";
import { createConfigReloader } from "./config/reload.ts";
import { tightenPermissions } from "./config/permissions.ts";
import { clearServed, servedPath, writeServed } from "./config/served.ts";
import { checkRunnable, checkSavable, type Runnable, StartError } from "./config/runnable.ts";
import { LOG_LEVELS, type LogLevel } from "./config/schema.ts";
import { type GatewaySettings, resolveSettings, SettingsError } from "./config/settings.ts";
import { createRestartCoordinator, RESTART_EXPECTED_MS } from "./restart.ts";
import { processSignals } from "./runtime/signals.ts";
import {
  CHANNEL_START_DELAY_MS,
  type GatewayProcess,
  type GatewayProcessOptions,
} from "./gateway_process_types.ts";

export * from "./gateway_process_types.ts";

/** Loads the config to start with, creating it on the very first run. */
async function loadForStart(opts: GatewayProcessOptions): Promise<ConfigSnapshot> {
  const snap = await readConfig(opts.paths.configPath, opts.env);
  if (snap.exists) return snap;
  // Bad flags (--port, --bind) fail before anything is written.
  resolveSettings({}, { env: opts.env, paths: opts.paths, flags: opts.flags });
  await bootstrapConfig(opts.paths.configPath);
  opts.sink.logger("gateway").info(
    `created ${opts.paths.configPath} with a new gateway token (gateway.auth.token); ` +
      "CLI commands on this machine read it from there",
  );
  return await readConfig(opts.paths.configPath, opts.env);
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
  const runCtx = {
    env: opts.env,
    paths: opts.paths,
    flags: opts.flags,
    allowUnconfigured: opts.flags.allowUnconfigured,
  };
  /** `checkRunnable` with this process's env and flags, plus the test hook. */
  const check = (snap: ConfigSnapshot): Runnable => {
    const verdict = checkRunnable(snap, runCtx);
    if (!verdict.ok || !opts.tweakSettings) return verdict;
    return { ok: true, settings: opts.tweakSettings(verdict.settings) };
  };
  /** Shows `${NAME}` in place of values substituted from the environment. */
  const maskSubstituted = (snap: ConfigSnapshot) =>
    opts.sink.redactor.setSubstituted(snap.substituted ?? []);
  await tightenPermissions(opts.paths, log);
  let config = await loadForStart(opts);
  maskSubstituted(config);
  const first = check(config);
  if (!first.ok) throw first.error;
  let settings = first.settings;
  let problem: { issues: ConfigIssue[]; message?: string } | undefined;
  // Kept apart from the file's problem: the watcher's echo of a good file must
  // not clear it; only a restart that listens where the config says does.
  let restartFailure: string | undefined;
  const served = servedPath(opts.paths.stateDir);
  let servedWrite = Promise.resolve();
  const cleanups: (() => void | Promise<void>)[] = [];
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let stopping: Promise<void> | undefined;
  const startedAt = Date.now();

  const configState = (): ConfigState => ({
    path: config.path,
    // A failed rebind is a problem, but not of the file: valid says whether the file is.
    valid: (problem?.issues.length ?? 0) === 0,
    hash: config.hash,
    issues: problem?.issues ?? [],
    ...(problem?.message || restartFailure
      ? { lastReloadError: [restartFailure, problem?.message].filter(Boolean).join("; ") }
      : {}),
  });
  const applyLogLevel = (s: GatewaySettings) =>
    opts.sink.setLevels({ fileLevel: fileLevelFor(s.logLevel, opts.flags.verbose) });
  const adopt = (snap: ConfigSnapshot, next: GatewaySettings) => {
    const hadProblem = !!problem;
    maskSubstituted(snap);
    config = snap;
    settings = next;
    problem = undefined;
    applyLogLevel(next);
    if (hadProblem) proc.instance.refreshHealth();
  };
  // One limiter for the process: lockouts outlive in-process restarts.
  const limiter = new AuthRateLimiter(settings.auth.rateLimit);
  const build = (s: GatewaySettings) =>
    startGateway({
      settings: s,
      sink: opts.sink,
      configState,
      processMethods,
      startedAt,
      limiter,
      agentEngine: opts.agentEngine,
      agent: { config: () => config.config ?? {}, env: opts.env },
      channelStartDelayMs: opts.channelStartDelayMs ?? CHANNEL_START_DELAY_MS,
    });

  const restarts = createRestartCoordinator({
    log,
    current: () => proc.instance,
    async refresh() {
      const fresh = await readConfig(opts.paths.configPath, opts.env);
      const verdict = check(fresh);
      if (verdict.ok) adopt(fresh, verdict.settings);
      else {
        log.warn(`config reload skipped (invalid config): ${verdict.message}`);
        problem = {
          issues: verdict.issues,
          message: "the file on disk is invalid; running on the last good config",
        };
      }
      return settings;
    },
    build,
    install,
    // Masked: a substituted customBindHost may be a secret, and health answers it.
    fellBack: (message) => (restartFailure = opts.sink.redactor.text(message)),
    restarted: () => (restartFailure = undefined),
    failed: () => void shutdown("restart failed", 1),
  });

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
    // Applied at once (this run's flags) and saved for the next start (the file alone).
    checkConfig: (snap) => {
      const running = check(snap);
      return running.ok ? checkSavable(snap, runCtx, running) : running;
    },
    writeConfig: (change, w) => reloader.writeThrough(change, w),
    reloadConfig: () => reloader.reloadNow(),
    restart: (reason) => restarts.restart(reason),
    stop: (reason) => shutdown(reason, 0),
    done,
    onStop(fn) {
      cleanups.push(fn);
    },
  };

  /**
   * Makes `instance` current and records the port it serves for client
   * commands. The writes are chained so the file ends with the last install.
   */
  function install(instance: GatewayInstance): void {
    (proc as { instance: GatewayInstance }).instance = instance;
    const record = { pid: Deno.pid, port: instance.port, configuredPort: settings.ports.port };
    servedWrite = servedWrite.then(() => writeServed(served, record)).catch((err) => {
      log.warn(`cannot record the served port in ${served}: ${(err as Error).message}`);
    });
  }

  /** The one stop: later calls share it, so each resolves only once everything is closed. */
  function shutdown(reason: string, code: number): Promise<void> {
    stopping ??= (async () => {
      // Said first: a stop during a restart would otherwise log only the restart's reason.
      log.info(`stopping: ${reason}`);
      await restarts.stop();
      unsubscribe.forEach((fn) => fn());
      for (const fn of cleanups) await fn();
      await proc.instance.stop({ reason });
      await servedWrite;
      clearServed(served, Deno.pid);
      opts.sink.close();
      resolveDone(code);
    })();
    return stopping;
  }

  // Built once; `build` (called from here on) reads it.
  const processMethods = opts.processMethods?.(proc);
  applyLogLevel(settings);
  install(build(settings));

  const reloader = createConfigReloader({
    path: opts.paths.configPath,
    read: () => readConfig(opts.paths.configPath, opts.env),
    log: opts.sink.logger("reload"),
    watch: opts.watch,
    target: {
      current: () => config,
      reloadSettings: () => settings.reload,
      prepare: check,
      adopt,
      adoptReload: (reload) => (settings = { ...settings, reload }),
      running: () => proc.instance.settings,
      applyLive: (s) => proc.instance.applyHotSettings(s),
      restart: (reason, delayMs) => restarts.schedule(reason, delayMs),
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

export { ConfigError, RESTART_EXPECTED_MS, SettingsError, StartError };
