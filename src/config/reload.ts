/**
 * Config hot reload, Caddy style: a file change is read, parsed, validated
 * and resolved into settings completely before anything is swapped; an
 * unchanged file (same hash) does nothing; a bad file leaves the last good
 * config running and is reported. The plan (diff + rule table) decides
 * between live changes and an in-process restart.
 *
 * File events follow the reload mode in force. In mode "off" they are
 * ignored, except an edit of `gateway.reload` itself, which is adopted on its
 * own so the file can turn reloading back on; the edit that does so applies
 * everything changed meanwhile. Gateway-originated writes (the config RPCs)
 * always apply; in mode "off" they are planned as in "hybrid".
 *
 * @module
 */

import type { ConfigIssue } from "../../protocol/schemas/config.ts";
import type { Logger } from "../log/logger.ts";
import { type FileWatch, type WatchFile, watchFileFs } from "../runtime/watch.ts";
import { deepEqual, diffConfigPaths } from "./diff.ts";
import type { ConfigSnapshot } from "./load.ts";
import { planReload, type ReloadPlan } from "./reload_plan.ts";
import type { Runnable } from "./runnable.ts";
import type { GatewaySettings } from "./settings.ts";

/** The parts of the running process a reload acts on. */
export interface ReloadTarget {
  /** The config in force. */
  current(): ConfigSnapshot;
  /** The reload settings in force (mode, debounce). */
  reloadSettings(): GatewaySettings["reload"];
  /** The settings a config would run with, or why it cannot run (`checkRunnable`). */
  prepare(snap: ConfigSnapshot): Runnable;
  /** Swaps in a valid config and its settings (process-level ones, like the log level, follow). */
  adopt(snap: ConfigSnapshot, settings: GatewaySettings): void;
  /** Swaps in new reload settings alone (a `gateway.reload` edit while the mode is "off"). */
  adoptReload(reload: GatewaySettings["reload"]): void;
  /** The settings the running instance uses. */
  running(): GatewaySettings;
  /** Hands the running instance settings that change live (auth secrets, rate limits). */
  applyLive(settings: GatewaySettings): void;
  /** Restarts in process after `delayMs` (coalesced with any pending restart). */
  restart(reason: string, delayMs: number): void;
  /** Records or (with no issues and no message) clears a problem with the file. */
  setProblem(issues: ConfigIssue[], message: string | undefined): void;
  hasProblem(): boolean;
}

/** Options of {@link createConfigReloader}. */
export interface ReloaderOptions {
  path: string;
  /** Reads and validates the file (`readConfig` bound to the path and env). */
  read: () => Promise<ConfigSnapshot>;
  target: ReloadTarget;
  log: Logger;
  /** The watch edge; `false` turns watching off (RPC writes still apply). */
  watch?: WatchFile | false;
  /** A missing file (mid-rename) is read again this many times... */
  missingRetries?: number;
  /** ...this far apart. */
  missingRetryMs?: number;
}

/** What one reload did. */
export type ReloadOutcome =
  | { status: "unchanged" | "invalid" | "ignored" | "missing" }
  | { status: "applied" | "restarting"; paths: string[]; plan: ReloadPlan };

/** Options of a gateway-originated write. */
export interface WriteThroughOptions {
  /** Names the writer in logs (`config.set`, ...). */
  source: string;
  /** Restart after this delay whatever the plan says (`config.apply`). */
  restartInMs?: number;
}

/** A running reloader. */
export interface ConfigReloader {
  /**
   * Runs `change` (read, check, write) with file events held off, then applies
   * the snapshot it returns, so the file's echo is seen as unchanged.
   * Throws what `change` throws; then nothing is applied.
   */
  writeThrough(
    change: () => Promise<ConfigSnapshot>,
    opts: WriteThroughOptions,
  ): Promise<ReloadOutcome>;
  /** Reads the file and applies it now (what a file event does after the debounce). */
  reloadNow(): Promise<ReloadOutcome>;
  /** Stops watching and waits for a reload in progress. */
  stop(): Promise<void>;
}

/**
 * The settings to hand the running instance: its own, plus what applies
 * live. Auth, port and bind are kept: changing them takes a restart.
 */
function liveSettings(running: GatewaySettings, next: GatewaySettings): GatewaySettings {
  return {
    ...running,
    reload: next.reload,
    allowExternalRestart: next.allowExternalRestart,
    logLevel: next.logLevel,
    channels: next.channels,
    // The node command policy is read per command ("none" in the reload plan).
    nodes: next.nodes,
  };
}

const LIVE_ACTIONS = new Set(["set-log-level"]);

/** Starts watching `opts.path` and applying changes. */
export function createConfigReloader(opts: ReloaderOptions): ConfigReloader {
  const { target, log, path } = opts;
  const missingRetries = opts.missingRetries ?? 2;
  const missingRetryMs = opts.missingRetryMs ?? 150;
  const aborter = new AbortController();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => {});
    return run;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        aborter.signal.removeEventListener("abort", done);
        resolve();
      };
      const t = setTimeout(done, ms);
      aborter.signal.addEventListener("abort", done);
    });

  const ignoredWhenOff = (what: string): boolean => {
    if (target.reloadSettings().mode !== "off") return false;
    log.debug(`config ${what} ignored (gateway.reload.mode is "off")`, { path });
    return true;
  };

  const reject = (
    refusal: { message: string; issues: ConfigIssue[] },
    written: boolean,
  ): ReloadOutcome => {
    if (!written && ignoredWhenOff("change (invalid file)")) return { status: "ignored" };
    log.warn(`config reload skipped (invalid config): ${refusal.message}`);
    target.setProblem(
      refusal.issues,
      "the file on disk is invalid; running on the last good config",
    );
    return { status: "invalid" };
  };

  /** Mode "off" ignores a valid file edit but adopts its `gateway.reload` settings on their own. */
  const ignoreWhileOff = (next: GatewaySettings["reload"], paths: string[]): ReloadOutcome => {
    if (target.hasProblem()) target.setProblem([], undefined);
    if (deepEqual(next, target.reloadSettings())) {
      log.debug(`config change ignored (gateway.reload.mode is "off"): ${paths.join(", ")}`);
    } else {
      target.adoptReload(next);
      log.info(
        "config change (file): gateway.reload adopted; other changes wait until " +
          `gateway.reload.mode is not "off" (${paths.join(", ") || "formatting only"})`,
      );
    }
    return { status: "ignored" };
  };

  const runHot = (plan: ReloadPlan, next: GatewaySettings) => {
    for (const { action, paths } of plan.hot) {
      const live = LIVE_ACTIONS.has(action) || action.startsWith("restart-channel:");
      log.info(`config applied: ${action} (${paths.join(", ")})${live ? "" : "; no consumer yet"}`);
    }
    target.applyLive(liveSettings(target.running(), next));
    if (plan.restartReasons.length) {
      log.warn(
        `config change needs a restart and is not live yet (${plan.restartReasons.join(", ")}): ` +
          `gateway.reload.mode is "hot"; restart the gateway (SIGUSR1 with commands.restart ` +
          "true, or the service manager) to apply it",
      );
    }
  };

  /**
   * Applies `snap`. `write` is set for a gateway-originated write, which
   * applies whatever the mode (`restartInMs`: restart whatever the plan says).
   */
  const apply = (
    snap: ConfigSnapshot,
    source: string,
    write?: { restartInMs?: number },
  ): ReloadOutcome => {
    const restartInMs = write?.restartInMs;
    const forced = restartInMs !== undefined;
    const current = target.current();
    const inForce = target.reloadSettings();
    if (snap.hash === current.hash) {
      if (target.hasProblem()) {
        target.setProblem([], undefined);
        log.info("config file matches the config in force again; problem cleared", { path });
      }
      if (inForce.mode === "off") {
        // Put back while "off": drop a gateway.reload edit adopted on its own meanwhile.
        const back = target.prepare(current);
        if (back.ok && !deepEqual(back.settings.reload, inForce)) {
          target.adoptReload(back.settings.reload);
        }
      }
      if (!forced) return { status: "unchanged" };
      target.restart(source, restartInMs);
      return { status: "restarting", paths: [], plan: planReload([], "restart") };
    }
    const verdict = target.prepare(snap);
    if (!verdict.ok) return reject(verdict, !!write);
    const { settings } = verdict;
    const paths = diffConfigPaths(current.config, snap.config);
    // The mode in force decides; only while it is "off" can the file's own mode take over.
    let mode = inForce.mode === "off" ? settings.reload.mode : inForce.mode;
    if (mode === "off") {
      if (!write) return ignoreWhileOff(settings.reload, paths);
      mode = "hybrid";
    }
    const plan = planReload(paths, forced ? "restart" : mode);
    target.adopt(snap, settings);
    log.info(`config change (${source}): ${paths.join(", ") || "formatting only"}`, {
      mode: plan.mode,
    });
    if (forced) {
      target.restart(source, restartInMs);
      return { status: "restarting", paths, plan };
    }
    if (plan.restart) {
      const why = plan.restartReasons.length ? plan.restartReasons : paths;
      target.restart(`config change (${why.join(", ")})`, 0);
      return { status: "restarting", paths, plan };
    }
    runHot(plan, settings);
    return { status: "applied", paths, plan };
  };

  const readFile = async (): Promise<ReloadOutcome> => {
    let snap = await opts.read();
    for (let i = 0; !snap.exists && i < missingRetries && !stopped; i++) {
      // An editor's save can briefly remove the file; look again before reacting.
      await sleep(missingRetryMs);
      snap = await opts.read();
    }
    if (stopped) return { status: "ignored" };
    if (!snap.exists) {
      if (ignoredWhenOff("removal")) return { status: "ignored" };
      log.warn(`config file ${path} is missing; keeping the last good config (restore the file)`);
      target.setProblem(
        [{ path: "", message: "file is missing" }],
        "the config file is missing; running on the last good config",
      );
      return { status: "missing" };
    }
    return apply(snap, "file");
  };

  const reloadNow = () =>
    serial(async () => {
      try {
        return await readFile();
      } catch (err) {
        log.error(`config reload failed: ${(err as Error).message}`, { path });
        return { status: "invalid" } as ReloadOutcome;
      }
    });

  const onChange = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reloadNow(), target.reloadSettings().debounceMs);
  };

  const watch = opts.watch === undefined
    ? watchFileFs({ onError: (m) => log.warn(m) })
    : opts.watch;
  const handle: FileWatch | undefined = watch ? watch(path, onChange) : undefined;

  return {
    writeThrough(change, w) {
      return serial(async () => apply(await change(), w.source, { restartInMs: w.restartInMs }));
    },
    reloadNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      aborter.abort();
      await handle?.close();
      await tail;
    },
  };
}
