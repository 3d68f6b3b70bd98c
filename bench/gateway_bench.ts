/**
 * `deno task bench`: measures the real gateway against a bare `Deno.serve`
 * WebSocket server with one load generator, in one run, and prints both,
 * their ratio and the gateway's targets (PASS/FAIL). Exits 0 once the
 * measurements finished, targets met or not: it is a benchmark, not a test.
 *
 * Flags: `--quick` (fewer iterations, a smoke run), `--json` (results as JSON
 * on stdout; progress still goes to stderr), `--no-pin` (leave CPU placement
 * to the OS instead of `taskset`), `--window N` (requests in flight per
 * socket in the throughput run, default 1), `--agent` / `--no-agent` (only or
 * without the agent run), `--idle` / `--no-idle` (only or without the idle
 * run), `--baseline DIR` (the idle run also measures another checkout, e.g.
 * `git archive f1c16d1 | tar -x -C /tmp/base`).
 *
 * @example
 * ```sh
 * deno task bench            # full run, about 40 s
 * deno task bench --quick    # smoke run, about 10 s
 * ```
 *
 * @module
 */

import { Pinner } from "./_affinity.ts";
import { checkTargets, renderTable } from "./_report.ts";
import { type BenchPlan, runBench } from "./_run.ts";
import { loadAverage } from "./_server.ts";
import { type AgentBenchPlan, renderAgent, runAgentBench } from "./_agent.ts";
import { type IdleBenchPlan, renderIdle, runIdleBench } from "./_idle.ts";

/** The full plan. */
export const FULL_PLAN: BenchPlan = {
  spawns: 3,
  rounds: 5,
  warmup: 20,
  handshake: { n: 200 },
  rpc: { n: 2000 },
  throughput: { sockets: 50, window: 1, warmupMs: 300, durationMs: 10_000 },
  memory: { n: 500, settleMs: 1000 },
};

/** The `--quick` plan: same shape, fewer iterations. */
export const QUICK_PLAN: BenchPlan = {
  spawns: 1,
  rounds: 2,
  warmup: 5,
  handshake: { n: 30 },
  rpc: { n: 200 },
  throughput: { sockets: 50, window: 1, warmupMs: 200, durationMs: 2000 },
  memory: { n: 100, settleMs: 300 },
};

/** The agent run: 200 turns per path, 20 concurrent sessions. */
export const AGENT_FULL: AgentBenchPlan = {
  turns: 200,
  concurrent: 20,
  durationMs: 5000,
  spawns: 3,
  settleMs: 1000,
};

/** The `--quick` agent run. */
export const AGENT_QUICK: AgentBenchPlan = {
  turns: 40,
  concurrent: 20,
  durationMs: 1500,
  spawns: 1,
  settleMs: 300,
};

/** The idle run: fresh gateways, RSS after 5 s idle. */
export const IDLE_FULL: IdleBenchPlan = { spawns: 3, idleMs: 5000 };

/** The `--quick` idle run. */
export const IDLE_QUICK: IdleBenchPlan = { spawns: 1, idleMs: 1000 };

/** Command-line flags. */
export interface BenchFlags {
  quick: boolean;
  json: boolean;
  pin: boolean;
  window: number;
  /** Only the agent run (`--agent`), or skip it (`--no-agent`). */
  agent: "both" | "only" | "skip";
  /** Only the idle run (`--idle`), or skip it (`--no-idle`). */
  idle: "both" | "only" | "skip";
  /** Another checkout the idle run also measures. */
  baseline?: string;
}

/** Parses the command line; throws on an unknown flag or a bad value. */
export function parseFlags(args: string[]): BenchFlags {
  const flags: BenchFlags = {
    quick: false,
    json: false,
    pin: true,
    window: 1,
    agent: "both",
    idle: "both",
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--quick") flags.quick = true;
    else if (arg === "--json") flags.json = true;
    else if (arg === "--no-pin") flags.pin = false;
    else if (arg === "--agent") flags.agent = "only";
    else if (arg === "--no-agent") flags.agent = "skip";
    else if (arg === "--idle") flags.idle = "only";
    else if (arg === "--no-idle") flags.idle = "skip";
    else if (arg === "--baseline") {
      flags.baseline = args[++i];
      if (!flags.baseline) throw new Error("--baseline needs a folder holding main.ts");
    } else if (arg === "--window") {
      flags.window = Number(args[++i]);
      if (!Number.isInteger(flags.window) || flags.window < 1) {
        throw new Error(`Invalid --window "${args[i]}": use a whole number of at least 1`);
      }
    } else {
      throw new Error(
        `Unknown flag "${arg}" (use --quick, --json, --no-pin, --window N, --agent, --no-agent, ` +
          "--idle, --no-idle or --baseline DIR)",
      );
    }
  }
  return flags;
}

function progress(msg: string): void {
  console.error(`[bench] ${msg}`);
}

async function main(args: string[]): Promise<number> {
  let flags: BenchFlags;
  try {
    flags = parseFlags(args);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const base = flags.quick ? QUICK_PLAN : FULL_PLAN;
  const plan = { ...base, throughput: { ...base.throughput, window: flags.window } };
  const pinner = flags.pin ? Pinner.create() : undefined;
  if (flags.pin && !pinner) progress("taskset or a second CPU is missing: running unpinned");
  const pinning = pinner ? "pinned" : "unpinned";
  const cpus = navigator.hardwareConcurrency;
  const loadBefore = loadAverage();
  const started = performance.now();
  let results;
  let agent;
  let idle;
  const only = flags.agent === "only" || flags.idle === "only";
  try {
    if (!only) results = await runBench(plan, { pinner, progress });
    if (flags.idle !== "skip" && flags.agent !== "only") {
      const idlePlan = flags.quick ? IDLE_QUICK : IDLE_FULL;
      idle = await runIdleBench({ ...idlePlan, baseline: flags.baseline }, progress);
    }
    if (flags.agent !== "skip" && flags.idle !== "only") {
      agent = await runAgentBench(flags.quick ? AGENT_QUICK : AGENT_FULL, progress);
    }
  } catch (err) {
    // Nothing could be measured (unlike a missed target): that is an error.
    console.error(`Benchmark aborted: ${err instanceof Error ? err.message : err}`);
    return 1;
  }
  const seconds = (performance.now() - started) / 1000;
  if (flags.json) {
    const machine = { cpus, loadBefore, pinning };
    const targets = results ? checkTargets(results.gateway, results.bare) : undefined;
    console.log(
      JSON.stringify({ plan, machine, seconds, ...results, targets, idle, agent }, null, 2),
    );
    return 0;
  }
  if (!results) {
    if (idle) console.log(`\n${renderIdle(idle)}`);
    if (agent) console.log(`\n${renderAgent(agent)}`);
    return 0;
  }
  const { gateway, bare } = results;
  const targets = checkTargets(gateway, bare);
  const t = plan.throughput;
  console.log(
    `\nopenclaw gateway vs bare Deno.serve WebSocket: ${flags.quick ? "quick" : "full"} run, ` +
      `${seconds.toFixed(0)} s, ${pinning}, ${cpus} CPUs, load average ${loadBefore} before; ` +
      `throughput with ${t.sockets} sockets x ${t.window} request(s) in flight\n`,
  );
  console.log(renderTable(gateway, bare));
  if (loadBefore > cpus / 2) {
    console.log(`\nNote: the machine was busy (load ${loadBefore} on ${cpus} CPUs); expect noise`);
  }
  if (idle) console.log(`\n${renderIdle(idle)}`);
  if (agent) console.log(`\n${renderAgent(agent)}`);
  const failed = targets.filter((c) => !c.pass);
  console.log(
    failed.length
      ? `\n${failed.length} target(s) missed: ${failed.map((c) => c.name).join(", ")}`
      : "\nAll targets met",
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
