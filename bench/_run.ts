/**
 * One benchmark run: both servers alive side by side, every measurement
 * split into rounds that alternate between them, so that whatever else the
 * machine is doing meanwhile weighs on both alike.
 *
 * @module
 */

import type { Pinner } from "./_affinity.ts";
import type { ServerResult } from "./_report.ts";
import {
  handshakeSamples,
  measureMemory,
  rpcSamples,
  spawnToHello,
  type Target,
  type ThroughputRound,
  throughputRound,
} from "./_scenarios.ts";
import { freePort, makeHome, type ServerKind, type ServerProc } from "./_server.ts";
import { median, summarize } from "./_stats.ts";

/** How much work one run does. */
export interface BenchPlan {
  /** Spawn-to-hello-ok is measured this many times per server (median reported). */
  spawns: number;
  /** Latency and throughput runs are split into this many alternating rounds. */
  rounds: number;
  /** Unrecorded connects and calls per server before the latency runs. */
  warmup: number;
  handshake: { n: number };
  rpc: { n: number };
  throughput: { sockets: number; window: number; warmupMs: number; durationMs: number };
  memory: { n: number; settleMs: number };
}

/** Options of {@link runBench}. */
export interface RunOptions {
  /** CPU placement; without one the OS places both processes. */
  pinner?: Pinner;
  progress(msg: string): void;
}

const KINDS: readonly ServerKind[] = ["gateway", "bare"];
const TOKEN = "bench-token-0123456789abcdef0123456789abcdef";

/** Both kinds, the first one alternating with the round number. */
function order(round: number): readonly ServerKind[] {
  return round % 2 === 0 ? KINDS : [...KINDS].reverse();
}

/** Measures the gateway and the bare server; both are stopped before it returns. */
export async function runBench(
  plan: BenchPlan,
  opts: RunOptions,
): Promise<Record<ServerKind, ServerResult>> {
  const { pinner, progress } = opts;
  const procs = new Map<ServerKind, ServerProc>();
  const homes = new Map<ServerKind, string>();
  try {
    const spawnMs = { gateway: [] as number[], bare: [] as number[] };
    for (let i = 0; i < plan.spawns; i++) {
      for (const kind of order(i)) {
        await procs.get(kind)?.stop();
        if (!homes.has(kind)) homes.set(kind, await makeHome(TOKEN));
        const started = await spawnToHello(kind, {
          port: freePort(),
          home: homes.get(kind)!,
          token: TOKEN,
        });
        procs.set(kind, started.proc);
        spawnMs[kind].push(started.ms);
      }
    }
    progress(`spawned (gateway ${spawnMs.gateway.map((ms) => ms.toFixed(0)).join(", ")} ms)`);
    const target = (kind: ServerKind): Target => ({ url: procs.get(kind)!.url, token: TOKEN });
    const pid = (kind: ServerKind) => procs.get(kind)!.pid;

    for (const kind of KINDS) {
      pinner?.place(pid(kind), "same");
      await handshakeSamples(target(kind), plan.warmup);
      await rpcSamples(target(kind), plan.warmup * 10);
    }
    const hs = { gateway: [] as number[], bare: [] as number[] };
    const rpc = { gateway: [] as number[], bare: [] as number[] };
    const rpcErrors = { gateway: 0, bare: 0 };
    for (let r = 0; r < plan.rounds; r++) {
      for (const kind of order(r)) {
        pinner?.place(pid(kind), "same");
        hs[kind].push(...await handshakeSamples(target(kind), plan.handshake.n / plan.rounds));
        const calls = await rpcSamples(target(kind), plan.rpc.n / plan.rounds);
        rpc[kind].push(...calls.samples);
        rpcErrors[kind] += calls.errors;
      }
    }
    progress("latency runs done");

    const memory = new Map<ServerKind, Awaited<ReturnType<typeof measureMemory>>>();
    for (const kind of KINDS) {
      pinner?.place(pid(kind), "any");
      memory.set(kind, await measureMemory(target(kind), pid(kind), plan.memory));
    }
    progress("memory runs done");

    const tp = { gateway: [] as ThroughputRound[], bare: [] as ThroughputRound[] };
    const roundPlan = { ...plan.throughput, durationMs: plan.throughput.durationMs / plan.rounds };
    for (let r = 0; r < plan.rounds; r++) {
      for (const kind of order(r)) {
        tp[kind].push(await throughputRound(target(kind), pid(kind), roundPlan));
      }
    }
    progress("throughput runs done");

    const result = (kind: ServerKind): ServerResult => {
      const sum = (f: (t: ThroughputRound) => number) => tp[kind].reduce((a, t) => a + f(t), 0);
      const seconds = sum((t) => t.seconds);
      return {
        spawnMs: spawnMs[kind],
        spawnMedianMs: median(spawnMs[kind]),
        handshake: summarize(hs[kind]),
        rpc: { ...summarize(rpc[kind]), errors: rpcErrors[kind] },
        memory: memory.get(kind)!,
        throughput: {
          callsPerSec: sum((t) => t.calls) / seconds,
          calls: sum((t) => t.calls),
          errors: sum((t) => t.errors),
          seconds,
          serverCpu: sum((t) => t.serverCpuSeconds) / seconds,
          clientCpu: sum((t) => t.clientCpuSeconds) / seconds,
        },
      };
    };
    return { gateway: result("gateway"), bare: result("bare") };
  } finally {
    for (const proc of procs.values()) await proc.stop();
    for (const home of homes.values()) await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}
