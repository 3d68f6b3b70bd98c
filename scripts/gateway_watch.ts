/**
 * `deno task gateway:watch`: the development loop. Runs `openclaw gateway`
 * (every argument is passed on, e.g. `--port 0 --verbose`) and restarts it
 * when a file under `src/`, `protocol/` or `main.ts` changes, after a quiet
 * spell (debounced: an editor's save or a `git checkout` is one restart).
 * When a change touches `src/ui/app/`, the control UI is rebuilt
 * (`scripts/ui_build.ts`) first; a failed build keeps the running gateway.
 *
 * Options of the watcher itself (taken out before the gateway's):
 * `--watch-root DIR` watches DIR instead of the repository (tests),
 * `--ui-out DIR` builds the UI into DIR instead of `ui-dist/` (tests),
 * `--debounce-ms N` (default 300).
 *
 * @example
 * ```sh
 * deno task gateway:watch --port 18789 --verbose
 * ```
 *
 * @module
 */

import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";

const REPO = new URL("../", import.meta.url).pathname;
const MAIN = `${REPO}main.ts`;
const UI_BUILD = `${REPO}scripts/ui_build.ts`;
/** How long a stopping gateway gets before SIGKILL. */
const STOP_GRACE_MS = 10_000;

/** What a batch of changed paths asks for. */
export interface ChangePlan {
  restart: boolean;
  rebuildUi: boolean;
}

/** Editor droppings and lock files that are not source changes. */
const NOISE = /(~|\.swp|\.swx|\.tmp|\/4913|\.git\/.*)$/;

/**
 * Decides what changed `paths` (absolute) under `root` ask for: source under
 * `src/`, `protocol/` or `main.ts` restarts; `src/ui/app/` rebuilds the UI too.
 */
export function planFor(root: string, paths: Iterable<string>): ChangePlan {
  const base = root.endsWith("/") ? root : `${root}/`;
  const plan = { restart: false, rebuildUi: false };
  for (const p of paths) {
    if (!p.startsWith(base) || NOISE.test(p)) continue;
    const rel = p.slice(base.length);
    if (rel === "main.ts" || rel.startsWith("src/") || rel.startsWith("protocol/")) {
      plan.restart = true;
    }
    if (rel.startsWith("src/ui/app/")) plan.rebuildUi = true;
  }
  return plan;
}

/** Splits the watcher's own options from the gateway's arguments. */
export function parseWatchArgs(args: string[]): {
  root: string;
  uiOut?: string;
  debounceMs: number;
  gatewayArgs: string[];
} {
  let root = REPO;
  let uiOut: string | undefined;
  let debounceMs = 300;
  const gatewayArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--watch-root") root = Deno.realPathSync(args[++i]);
    else if (a === "--ui-out") uiOut = args[++i];
    else if (a === "--debounce-ms") {
      debounceMs = Number(args[++i]);
      if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000) {
        throw new Error(
          `Invalid --debounce-ms "${args[i]}": use a whole number of ms from 0 to 60000`,
        );
      }
    } else gatewayArgs.push(a);
  }
  return { root, uiOut, debounceMs, gatewayArgs };
}

function say(line: string): void {
  console.log(`[watch] ${line}`);
}

function startGateway(args: string[]): Deno.ChildProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_PERMISSIONS, MAIN, "gateway", ...args],
    stdin: "null",
  }).spawn();
  say(`gateway started (pid ${child.pid})`);
  child.status.then((s) => say(`gateway pid ${child.pid} exited (code ${s.code})`));
  return child;
}

async function stopGateway(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
  }, STOP_GRACE_MS);
  await child.status;
  clearTimeout(timer);
}

async function buildUi(uiOut: string | undefined): Promise<boolean> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--node-modules-dir=auto",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      UI_BUILD,
      ...(uiOut ? ["--out", uiOut] : []),
    ],
    cwd: REPO,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return out.success;
}

/** Runs the loop until SIGINT/SIGTERM (or `signal`); resolves after the gateway stopped. */
export async function watchGateway(args: string[], signal?: AbortSignal): Promise<void> {
  const opts = parseWatchArgs(args);
  const roots = ["src", "protocol", "main.ts"].map((p) => `${opts.root}/${p}`).filter(exists);
  if (roots.length === 0) {
    throw new Error(`Nothing to watch under "${opts.root}": expected src/, protocol/ or main.ts`);
  }
  const watcher = Deno.watchFs(roots, { recursive: true });
  let child = startGateway(opts.gatewayArgs);
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = Promise.resolve();
  let stopping = false;

  const apply = async () => {
    const plan = planFor(opts.root, pending);
    pending = new Set();
    if (!plan.restart || stopping) return;
    if (plan.rebuildUi) {
      say("control UI changed: rebuilding");
      if (!(await buildUi(opts.uiOut))) {
        say("UI build failed: the running gateway stays (fix the error and save again)");
        return;
      }
    }
    say("source changed: restarting the gateway");
    await stopGateway(child);
    if (!stopping) child = startGateway(opts.gatewayArgs);
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    watcher.close();
  };
  const onSignal = () => stop();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const event of watcher) {
      if (event.kind === "access") continue;
      for (const p of event.paths) pending.add(p);
      clearTimeout(timer);
      timer = setTimeout(() => {
        busy = busy.then(apply).catch((err) => say(`restart failed: ${err.message}`));
      }, opts.debounceMs);
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await busy;
    await stopGateway(child);
    say("stopped");
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  await watchGateway(Deno.args);
}
