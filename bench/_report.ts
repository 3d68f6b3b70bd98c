/**
 * The benchmark's results, the targets the gateway is held to, and the
 * table printed at the end.
 *
 * @module
 */

import type { MemoryResult } from "./_scenarios.ts";
import type { LatencySummary } from "./_stats.ts";

/** Throughput over all rounds. */
export interface ThroughputResult {
  callsPerSec: number;
  calls: number;
  errors: number;
  seconds: number;
  /** CPU use of the server and of the load generator (1.0 = one core busy). */
  serverCpu: number;
  clientCpu: number;
}

/** Everything measured for one server. */
export interface ServerResult {
  /** Each spawn-to-first-hello-ok time (ms); the median is reported. */
  spawnMs: number[];
  spawnMedianMs: number;
  handshake: LatencySummary;
  rpc: LatencySummary & { errors: number };
  throughput: ThroughputResult;
  memory: MemoryResult;
}

/** One target check. */
export interface TargetCheck {
  name: string;
  rule: string;
  pass: boolean;
}

/** The gateway's targets, judged against the bare server of the same run. */
export function checkTargets(gw: ServerResult, bare: ServerResult): TargetCheck[] {
  return [
    {
      name: "handshake p50",
      rule: "<= 1.5x bare",
      pass: gw.handshake.p50 <= 1.5 * bare.handshake.p50,
    },
    { name: "health rpc p50", rule: "<= 1.5x bare", pass: gw.rpc.p50 <= 1.5 * bare.rpc.p50 },
    {
      name: "throughput",
      rule: ">= 0.5x bare",
      pass: gw.throughput.callsPerSec >= 0.5 * bare.throughput.callsPerSec,
    },
    { name: "memory / idle conn", rule: "<= 20 KiB", pass: gw.memory.perConnKiB <= 20 },
    { name: "spawn -> hello-ok", rule: "< 500 ms", pass: gw.spawnMedianMs < 500 },
  ];
}

/** Server CPU time per answered call in the throughput run, in microseconds. */
function cpuPerCallUs(r: ServerResult): number {
  return (r.throughput.serverCpu / r.throughput.callsPerSec) * 1e6;
}

const fmt = (v: number, digits = 2) => Number.isFinite(v) ? v.toFixed(digits) : "n/a";

/** Renders the comparison table (plain text, fixed-width columns). */
export function renderTable(gw: ServerResult, bare: ServerResult): string {
  const checks = new Map(checkTargets(gw, bare).map((c) => [c.name, c]));
  const rows: string[][] = [["metric", "gateway", "bare", "gw/bare", "target", "result"]];
  const add = (name: string, g: number, b: number, digits = 2, check?: string) => {
    const c = check ? checks.get(check) : undefined;
    rows.push([
      name,
      fmt(g, digits),
      fmt(b, digits),
      `${fmt(g / b)}x`,
      c?.rule ?? "",
      c ? (c.pass ? "PASS" : "FAIL") : "",
    ]);
  };
  add("handshake p50 (ms)", gw.handshake.p50, bare.handshake.p50, 3, "handshake p50");
  add("handshake p99 (ms)", gw.handshake.p99, bare.handshake.p99, 3);
  add("health rpc p50 (ms)", gw.rpc.p50, bare.rpc.p50, 3, "health rpc p50");
  add("health rpc p99 (ms)", gw.rpc.p99, bare.rpc.p99, 3);
  add(
    "throughput (calls/s)",
    gw.throughput.callsPerSec,
    bare.throughput.callsPerSec,
    0,
    "throughput",
  );
  add("  server cpu (cores)", gw.throughput.serverCpu, bare.throughput.serverCpu);
  add("  server cpu per call (us)", cpuPerCallUs(gw), cpuPerCallUs(bare), 1);
  add("  generator cpu (cores)", gw.throughput.clientCpu, bare.throughput.clientCpu);
  add(
    "memory / idle conn (KiB)",
    gw.memory.perConnKiB,
    bare.memory.perConnKiB,
    1,
    "memory / idle conn",
  );
  add("  rss before (MiB)", gw.memory.rssBeforeKiB / 1024, bare.memory.rssBeforeKiB / 1024, 1);
  add("  rss after (MiB)", gw.memory.rssAfterKiB / 1024, bare.memory.rssAfterKiB / 1024, 1);
  add("spawn -> hello-ok (ms)", gw.spawnMedianMs, bare.spawnMedianMs, 0, "spawn -> hello-ok");
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((cell, i) => i === 0 || i >= 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))
      .join("  ").trimEnd();
  const out = [
    line(rows[0]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
  ];
  const errors = gw.rpc.errors + gw.throughput.errors + bare.rpc.errors + bare.throughput.errors;
  if (errors > 0) out.push(`WARNING: ${errors} request(s) answered ok:false; numbers are suspect`);
  return out.join("\n");
}
