/**
 * Shared test helpers: private temp homes, an in-process gateway on port 0,
 * and the real CLI as a subprocess. Read-only for test files; add your own
 * helpers in a sibling file.
 *
 * @module
 */

import { RUN_PERMISSIONS } from "../../src/runtime/permissions.ts";
import { type GatewayProcess, startGatewayProcess } from "../../src/gateway_process.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { createLogSink } from "../../src/log/logger.ts";
import { processMethods } from "../../src/cli/process_methods.ts";
import type { GatewaySignal, SignalSource } from "../../src/runtime/signals.ts";
import { type ConnectOptions, GatewayClient } from "../../src/client/gateway_client.ts";
import { within } from "./limit.ts";

/** Absolute path of main.ts. */
export const MAIN = new URL("../../main.ts", import.meta.url).pathname;
/** The permission flags of `deno task gateway`. */
export const RUN_FLAGS = RUN_PERMISSIONS;
/** A token tests configure. */
export const TEST_TOKEN = "test-token-0123456789abcdef0123456789abcdef";

/** A private temp folder used as `OPENCLAW_HOME` (and HOME for subprocesses). */
export async function tempHome(): Promise<{ home: string; cleanup(): Promise<void> }> {
  const home = await Deno.makeTempDir({ prefix: "openclaw-test-" });
  return { home, cleanup: () => Deno.remove(home, { recursive: true }).catch(() => {}) };
}

/** Writes `config` (an object or raw JSON5 text) to the default config path under `home`. */
export async function writeConfig(
  home: string,
  config: unknown,
  profile?: string,
): Promise<string> {
  const dir = `${home}/.openclaw${profile ? `-${profile}` : ""}`;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = `${dir}/openclaw.json`;
  await Deno.writeTextFile(
    path,
    typeof config === "string" ? config : JSON.stringify(config, null, 2),
    {
      mode: 0o600,
    },
  );
  return path;
}

/** A signal source tests raise by hand. */
export class FakeSignals implements SignalSource {
  #handlers = new Map<GatewaySignal, Set<() => void>>();
  on(signal: GatewaySignal, fn: () => void): () => void {
    if (!this.#handlers.has(signal)) this.#handlers.set(signal, new Set());
    this.#handlers.get(signal)!.add(fn);
    return () => this.#handlers.get(signal)!.delete(fn);
  }
  raise(signal: GatewaySignal): void {
    for (const fn of this.#handlers.get(signal) ?? []) fn();
  }
}

/** Options of {@link startTestGateway}. */
export interface TestGatewayOptions {
  /** Config written before start (default: local mode + TEST_TOKEN). */
  config?: unknown;
  env?: Record<string, string>;
  tweak?: (s: GatewaySettings) => GatewaySettings;
  verbose?: boolean;
}

/** An in-process gateway on 127.0.0.1:0 with its own temp home. */
export interface TestGateway {
  proc: GatewayProcess;
  home: string;
  signals: FakeSignals;
  url: string;
  port: number;
  /** Console lines the gateway printed. */
  lines: string[];
  connect(opts?: ConnectOptions): Promise<GatewayClient>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts an in-process gateway; dispose it with `await using`. */
export async function startTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const { home, cleanup } = await tempHome();
  await writeConfig(
    home,
    opts.config ?? { gateway: { mode: "local", auth: { token: TEST_TOKEN } } },
  );
  const env = { OPENCLAW_HOME: home, ...opts.env };
  const paths = resolvePaths({}, env);
  const lines: string[] = [];
  const sink = createLogSink({
    dir: paths.logDir,
    fileLevel: opts.verbose ? "debug" : "info",
    consoleLevel: opts.verbose ? "debug" : "info",
    console: { write: (line) => lines.push(line) },
  });
  const signals = new FakeSignals();
  const proc = await startGatewayProcess({
    channelStartDelayMs: 0,
    paths,
    env,
    flags: { port: 0 },
    sink,
    signals,
    tweakSettings: opts.tweak,
    processMethods,
  });
  const gw: TestGateway = {
    proc,
    home,
    signals,
    lines,
    get url() {
      return proc.instance.url;
    },
    get port() {
      return proc.instance.port;
    },
    connect: (c) => GatewayClient.connect(proc.instance.url, { token: TEST_TOKEN, ...c }),
    async [Symbol.asyncDispose]() {
      await proc.stop("test done");
      await cleanup();
    },
  };
  return gw;
}

/** Output of a finished CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI subprocess with its own home (keeps Deno's module cache). */
export function cliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    OPENCLAW_HOME: home,
    DENO_DIR: denoDir,
    NO_COLOR: "1",
    ...extra,
  };
}

/** How long {@link runCli} lets a command run before killing it. */
export const CLI_LIMIT_MS = 60_000;

/**
 * Runs `openclaw <args>` to completion; a run past {@link CLI_LIMIT_MS} is
 * killed and fails the test, so a command that regresses into a hang cannot
 * hang the suite.
 */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_FLAGS, MAIN, ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, CLI_LIMIT_MS);
  const out = await child.output().finally(() => clearTimeout(timer));
  const dec = new TextDecoder();
  if (timedOut) {
    throw new Error(
      `openclaw ${args.join(" ")} still ran after ${CLI_LIMIT_MS} ms (killed):\n` +
        dec.decode(out.stdout) + dec.decode(out.stderr),
    );
  }
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A long-running CLI subprocess (e.g. `gateway`) whose stdout lines are collected. */
export interface CliProcess {
  child: Deno.ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `re` (rejects after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit status. */
  status: Promise<Deno.CommandStatus>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Spawns `openclaw <args>`. */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_FLAGS, MAIN, ...args],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const waiters = new Set<{ re: RegExp; resolve(line: string): void }>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.re.test(line)) {
            waiters.delete(w);
            w.resolve(line);
          }
        }
      }
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const status = child.status.then(async (s) => {
    await pumps;
    return s;
  });
  return {
    child,
    lines,
    status,
    waitFor(re, timeoutMs = 10_000) {
      const hit = lines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { re, resolve: (l: string) => (clearTimeout(t), resolve(l)) };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`timed out waiting for ${re}; output so far:\n${lines.join("\n")}`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch { /* already exited */ }
      await within(status, 10_000, `openclaw ${args.join(" ")} to exit after SIGKILL`);
    },
  };
}
