/**
 * Helpers for reload and restart tests: an in-process gateway whose port
 * comes from the config (no `--port` flag, so a port edit is visible), small
 * debounce, editor-style writes, polling waits, and a reload target without
 * a gateway for reloader unit tests.
 *
 * @module
 */

import type { EventFrame } from "../../protocol/frames.ts";
import type { ConfigIssue } from "../../protocol/schemas/config.ts";
import { type ConnectOptions, GatewayClient } from "../../src/client/gateway_client.ts";
import { processMethods } from "../../src/cli/process_methods.ts";
import { type ConfigSnapshot, parseConfigText } from "../../src/config/load.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import type { ReloadTarget } from "../../src/config/reload.ts";
import { checkRunnable } from "../../src/config/runnable.ts";
import { type GatewayProcess, startGatewayProcess } from "../../src/gateway_process.ts";
import { createLogSink } from "../../src/log/logger.ts";
import { FakeSignals, tempHome, TEST_TOKEN, writeConfig } from "./gateway.ts";

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A config for reload tests: local mode, TEST_TOKEN, `port`, 50 ms debounce, plus `extra`. */
export function reloadConfig(
  port: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { gateway, ...rest } = extra as { gateway?: Record<string, unknown> };
  return {
    gateway: {
      mode: "local",
      port,
      auth: { token: TEST_TOKEN },
      reload: { debounceMs: 50 },
      ...gateway,
    },
    ...rest,
  };
}

/** Polls `check` until it returns a truthy value; fails naming `what` after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Saves like an editor: write a temp file in the same folder, then rename it over. */
export async function saveLikeEditor(path: string, config: unknown): Promise<void> {
  const tmp = `${path}.swp-${crypto.randomUUID().slice(0, 6)}`;
  const text = typeof config === "string" ? config : JSON.stringify(config, null, 2);
  await Deno.writeTextFile(tmp, text, { mode: 0o600 });
  await Deno.rename(tmp, path);
}

/** Records every event a client receives. */
export function recordEvents(client: GatewayClient): EventFrame[] {
  const events: EventFrame[] = [];
  client.onEvent((e) => events.push(e));
  return events;
}

/** Options of {@link startReloadGateway}. */
export interface ReloadGatewayOptions {
  /** Written before start (default `reloadConfig(freePort())`). */
  config?: unknown;
  /** Mirror debug lines to `lines`. */
  verbose?: boolean;
}

/** A running in-process gateway for reload tests. */
export interface ReloadGateway {
  proc: GatewayProcess;
  home: string;
  configPath: string;
  signals: FakeSignals;
  /** Console lines the gateway printed. */
  lines: string[];
  /** Connects to the current instance (or `url`). */
  connect(opts?: ConnectOptions & { url?: string }): Promise<GatewayClient>;
  /** Waits for a console line matching `re`, counting only lines after index `from`. */
  waitForLine(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a gateway process reading its port from the config, with a real file watcher. */
export async function startReloadGateway(opts: ReloadGatewayOptions = {}): Promise<ReloadGateway> {
  const { home, cleanup } = await tempHome();
  const configPath = await writeConfig(home, opts.config ?? reloadConfig(freePort()));
  const env = { OPENCLAW_HOME: home };
  const paths = resolvePaths({}, env);
  const lines: string[] = [];
  const level = opts.verbose ? "debug" : "info";
  const sink = createLogSink({
    dir: paths.logDir,
    fileLevel: level,
    consoleLevel: level,
    console: { write: (line) => lines.push(line) },
  });
  const signals = new FakeSignals();
  const proc = await startGatewayProcess({
    channelStartDelayMs: 0,
    paths,
    env,
    flags: {},
    sink,
    signals,
    processMethods,
  });
  return {
    proc,
    home,
    configPath,
    signals,
    lines,
    connect: (c = {}) =>
      GatewayClient.connect(c.url ?? proc.instance.url, { token: TEST_TOKEN, ...c }),
    waitForLine: (re, from = 0, timeoutMs = 5_000) =>
      waitUntil(
        () => lines.slice(from).find((l) => re.test(l)),
        `a log line matching ${re}`,
        timeoutMs,
      ),
    async [Symbol.asyncDispose]() {
      await proc.stop("test done");
      await cleanup();
    },
  };
}

/** What a {@link FakeReloadTarget} was asked to do. */
export interface FakeReloadTarget extends ReloadTarget {
  /** `[reason, delayMs]` of each restart asked for. */
  restarts: [string, number][];
  /** Snapshots adopted, in order. */
  adopted: ConfigSnapshot[];
  /** The problem recorded last, if any. */
  problem?: { issues: ConfigIssue[]; message?: string };
}

/**
 * A reload target without a gateway: the config in force is `initial`,
 * settings come from `checkRunnable` (env with no secrets, a fake home).
 */
export function fakeReloadTarget(initial: ConfigSnapshot): FakeReloadTarget {
  const env = { OPENCLAW_HOME: "/nonexistent-openclaw-home" };
  const runCtx = { env, paths: resolvePaths({}, env) };
  const settingsOf = (snap: ConfigSnapshot) => {
    const verdict = checkRunnable(snap, runCtx);
    if (!verdict.ok) throw new Error(`test config cannot run: ${verdict.message}`);
    return verdict.settings;
  };
  let config = initial;
  let settings = settingsOf(initial);
  const target: FakeReloadTarget = {
    restarts: [],
    adopted: [],
    current: () => config,
    reloadSettings: () => settings.reload,
    prepare: (snap) => checkRunnable(snap, runCtx),
    adopt(snap, next) {
      config = snap;
      settings = next;
      target.problem = undefined;
      target.adopted.push(snap);
    },
    adoptReload: (reload) => (settings = { ...settings, reload }),
    running: () => settings,
    applyLive() {},
    restart: (reason, delayMs) => void target.restarts.push([reason, delayMs]),
    setProblem(issues, message) {
      target.problem = issues.length || message !== undefined ? { issues, message } : undefined;
    },
    hasProblem: () => target.problem !== undefined,
  };
  return target;
}

/** A snapshot of `config` as the file at `path` would give it (JSON text, no env). */
export function snapshotOf(config: unknown, path = "/fake/openclaw.json"): Promise<ConfigSnapshot> {
  return parseConfigText(path, JSON.stringify(config, null, 2), {});
}
