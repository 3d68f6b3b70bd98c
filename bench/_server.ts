/**
 * Server subprocesses under test: the real gateway (`main.ts gateway`) and the
 * bare baseline, spawned alike (same runtime, flags and environment), plus
 * what Linux tells about them (RSS, CPU time).
 *
 * @module
 */

import process from "node:process";
import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";

/** Which server a run measures. */
export type ServerKind = "gateway" | "bare";

/** The permission flags of `deno task gateway`, used for both servers. */
export const RUN_FLAGS = RUN_PERMISSIONS;

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const BARE = new URL("./bare_server.ts", import.meta.url).pathname;

/** A spawned server. */
export interface ServerProc {
  kind: ServerKind;
  pid: number;
  url: string;
  /** `performance.now()` just before the spawn. */
  spawnedAt: number;
  /** Everything it printed (stdout and stderr lines). */
  lines: string[];
  /** The exit status once it has exited (e.g. it failed to start). */
  readonly exited: Deno.CommandStatus | undefined;
  /** Kills it (SIGTERM, then SIGKILL after 2 s) and waits for the exit. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (probed, then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A temp home with a local-mode gateway config holding `token`. */
export async function makeHome(token: string): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "openclaw-bench-" });
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true, mode: 0o700 });
  const config = { gateway: { mode: "local", auth: { token } } };
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config, null, 2), {
    mode: 0o600,
  });
  return home;
}

/** Environment for a server subprocess: private home, but Deno's module cache kept. */
export function serverEnv(home: string): Record<string, string> {
  const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    OPENCLAW_HOME: home,
    DENO_DIR: denoDir,
    NO_COLOR: "1",
    ...(Deno.env.get("DENO_V8_FLAGS") ? { DENO_V8_FLAGS: Deno.env.get("DENO_V8_FLAGS")! } : {}),
  };
}

async function collect(stream: ReadableStream<Uint8Array>, lines: string[]): Promise<void> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  }
  if (buf) lines.push(buf);
}

/**
 * Spawns `kind` on `port` with `home` as its home folder; `main` runs another
 * checkout's `main.ts` (a baseline commit) instead of this one.
 */
export function spawnServer(
  kind: ServerKind,
  opts: { port: number; home: string; main?: string },
): ServerProc {
  const script = kind === "gateway" ? [opts.main ?? MAIN, "gateway"] : [BARE];
  const spawnedAt = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_FLAGS, ...script, "--port", String(opts.port)],
    env: serverEnv(opts.home),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const drained = Promise.all([collect(child.stdout, lines), collect(child.stderr, lines)]);
  let exited: Deno.CommandStatus | undefined;
  child.status.then((s) => exited = s);
  return {
    kind,
    pid: child.pid,
    url: `ws://127.0.0.1:${opts.port}`,
    spawnedAt,
    lines,
    get exited() {
      return exited;
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already exited */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* exited meanwhile */ }
      }, 2000);
      await child.status;
      clearTimeout(timer);
      await drained;
    },
  };
}

/**
 * Reads a file under `/proc` through `cat`: Deno grants `/proc/<pid>` reads
 * only with `--allow-all`, while `deno task bench` runs with `--allow-run`.
 */
function readProc(path: string): string {
  const out = new Deno.Command("cat", { args: [path], stdout: "piped", stderr: "piped" })
    .outputSync();
  if (!out.success) {
    throw new Error(`Cannot read ${path}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** Resident set size of `pid` in KiB (VmRSS of /proc/<pid>/status). */
export function rssKiB(pid: number): number {
  const m = readProc(`/proc/${pid}/status`).match(/^VmRSS:\s+(\d+)\s+kB$/m);
  if (!m) throw new Error(`No VmRSS in /proc/${pid}/status: is the process still running?`);
  return Number(m[1]);
}

/** CPU seconds (user + system, all threads) that `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readProc(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) start at field 3.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14, 15)
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** CPU seconds (user + system) this process has used so far. */
export function selfCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The 1-minute load average (how busy the machine is besides the benchmark). */
export function loadAverage(): number {
  return Number(readProc("/proc/loadavg").split(" ")[0]);
}
