/**
 * A/B of two gateway checkouts on one machine in one minute: this checkout
 * (B) against `--baseline DIR` (A, e.g. `git archive <commit> | tar -x -C
 * DIR`). Both gateways stay up side by side; throughput rounds and memory
 * runs alternate between them (the order flips every round), so load from
 * other work weighs on both alike. Reports server CPU per call (the steady
 * figure on a shared machine) and RSS per idle connection, per round and as
 * medians.
 *
 * @example
 * ```sh
 * git archive HEAD~3 | tar -x -C /tmp/base
 * deno run -A bench/ab_bench.ts --baseline /tmp/base --rounds 8
 * ```
 *
 * @module
 */

import { measureMemory, spawnToHello, type Target, throughputRound } from "./_scenarios.ts";
import { freePort, makeHome, type ServerProc } from "./_server.ts";
import { median } from "./_stats.ts";

/** What one A/B run does. */
export interface AbPlan {
  /** Folder holding the baseline's `main.ts`. */
  baseline: string;
  /** Alternating throughput rounds per side. */
  rounds: number;
  /** Length of one throughput round. */
  roundMs: number;
  /** Idle connections per memory sample. */
  conns: number;
  /** Memory samples per side, each on a freshly spawned gateway. */
  memorySamples: number;
}

/** One side's samples. */
export interface AbSide {
  cpuUsPerCall: number[];
  callsPerSec: number[];
  perConnKiB: number[];
}

const TOKEN = "bench-token-0123456789abcdef0123456789abcdef";
const HERE = new URL("../main.ts", import.meta.url).pathname;

/** Parses `--baseline DIR [--rounds N] [--round-ms MS] [--conns N] [--memory N]`; throws on a bad flag. */
export function parseAbFlags(args: string[]): AbPlan {
  const plan: AbPlan = { baseline: "", rounds: 6, roundMs: 2000, conns: 500, memorySamples: 3 };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    const num = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) {
        throw new Error(`Invalid ${flag} "${value}": use a whole number of at least 1`);
      }
      i++;
      return n;
    };
    if (flag === "--baseline" && value) (plan.baseline = value, i++);
    else if (flag === "--rounds") plan.rounds = num();
    else if (flag === "--round-ms") plan.roundMs = num();
    else if (flag === "--conns") plan.conns = num();
    else if (flag === "--memory") plan.memorySamples = num();
    else {
      throw new Error(
        `Unknown flag "${flag}" (use --baseline DIR, --rounds N, --round-ms MS, --conns N or --memory N)`,
      );
    }
  }
  if (!plan.baseline) throw new Error("--baseline DIR is required (a checkout holding main.ts)");
  return plan;
}

/** Runs the A/B; both gateways are stopped before it returns. */
export async function runAb(
  plan: AbPlan,
  progress: (msg: string) => void,
): Promise<{ a: AbSide; b: AbSide }> {
  const home = await makeHome(TOKEN);
  const mains = [`${plan.baseline}/main.ts`, HERE];
  const procs: ServerProc[] = [];
  const sides: AbSide[] = mains.map(() => ({ cpuUsPerCall: [], callsPerSec: [], perConnKiB: [] }));
  try {
    for (const main of mains) {
      const { proc } = await spawnToHello("gateway", {
        port: freePort(),
        home,
        token: TOKEN,
        main,
      });
      procs.push(proc);
    }
    const target = (i: number): Target => ({ url: procs[i].url, token: TOKEN });
    const tp = { sockets: 50, window: 1, warmupMs: 300, durationMs: plan.roundMs };
    for (let r = 0; r < plan.rounds; r++) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const t = await throughputRound(target(i), procs[i].pid, tp);
        sides[i].cpuUsPerCall.push(t.serverCpuSeconds / t.calls * 1e6);
        sides[i].callsPerSec.push(t.calls / t.seconds);
      }
      const last = (s: AbSide) => s.cpuUsPerCall.at(-1)!.toFixed(2);
      progress(`round ${r + 1}/${plan.rounds}: A ${last(sides[0])} us/call, B ${last(sides[1])}`);
    }
    // RSS only grows back slowly after a load run: memory is measured on
    // fresh gateways, a pair per sample.
    for (let r = 0; r < plan.memorySamples; r++) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const { proc } = await spawnToHello("gateway", {
          port: freePort(),
          home,
          token: TOKEN,
          main: mains[i],
        });
        try {
          const t = { url: proc.url, token: TOKEN };
          const m = await measureMemory(t, proc.pid, { n: plan.conns, settleMs: 1000 });
          sides[i].perConnKiB.push(m.perConnKiB);
        } finally {
          await proc.stop();
        }
      }
      const last = (s: AbSide) => s.perConnKiB.at(-1)!.toFixed(1);
      progress(
        `memory ${r + 1}/${plan.memorySamples}: A ${last(sides[0])} KiB, B ${last(sides[1])}`,
      );
    }
  } finally {
    for (const proc of procs) await proc.stop();
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
  return { a: sides[0], b: sides[1] };
}

/** The A/B table: medians, B/A, and every sample. */
export function renderAb(plan: AbPlan, r: { a: AbSide; b: AbSide }): string {
  const row = (name: string, f: (s: AbSide) => number[], digits: number) => {
    const [a, b] = [median(f(r.a)), median(f(r.b))];
    const all = (s: AbSide) => f(s).map((x) => x.toFixed(digits)).join(" ");
    return `${name.padEnd(22)} ${a.toFixed(digits).padStart(9)} ${b.toFixed(digits).padStart(9)} ` +
      `${(b / a).toFixed(3).padStart(6)}x   A: ${all(r.a)} | B: ${all(r.b)}`;
  };
  return [
    `A = ${plan.baseline}, B = this checkout; ${plan.rounds} alternating rounds of ` +
    `${plan.roundMs} ms (50 sockets x 1 in flight); memory: ${plan.memorySamples} fresh spawn(s) ` +
    `per side, ${plan.conns} idle connections each`,
    `${"metric (medians)".padEnd(22)} ${"A".padStart(9)} ${"B".padStart(9)} ${"B/A".padStart(7)}`,
    row("server cpu/call (us)", (s) => s.cpuUsPerCall, 2),
    row("throughput (calls/s)", (s) => s.callsPerSec, 0),
    row("memory/idle conn (KiB)", (s) => s.perConnKiB, 1),
  ].join("\n");
}

if (import.meta.main) {
  let plan: AbPlan;
  try {
    plan = parseAbFlags(Deno.args);
  } catch (err) {
    console.error((err as Error).message);
    Deno.exit(2);
  }
  const result = await runAb(plan, (m) => console.error(`[ab] ${m}`));
  console.log(renderAb(plan, result));
}
