/**
 * The five measurements, each run the same way against either server:
 * spawn-to-hello-ok, handshake latency, RPC latency, throughput and memory
 * per idle connection.
 *
 * @module
 */

import { BenchSocket } from "./_client.ts";
import {
  cpuSeconds,
  rssKiB,
  selfCpuSeconds,
  type ServerKind,
  type ServerProc,
  spawnServer,
} from "./_server.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Where and how the load generator reaches a server. */
export interface Target {
  url: string;
  token: string;
}

/**
 * Spawns a server and polls (every ~5 ms) with a full handshake until the
 * first `hello-ok`; returns the running server and the elapsed time.
 */
export async function spawnToHello(
  kind: ServerKind,
  opts: { port: number; home: string; token: string; timeoutMs?: number; main?: string },
): Promise<{ proc: ServerProc; ms: number }> {
  const proc = spawnServer(kind, opts);
  const deadline = proc.spawnedAt + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const attempt = performance.now();
    try {
      const sock = await BenchSocket.open(proc.url, { token: opts.token, timeoutMs: 5000 });
      const ms = performance.now() - proc.spawnedAt;
      await sock.close();
      return { proc, ms };
    } catch (err) {
      const gaveUp = performance.now() > deadline;
      if (gaveUp || proc.exited) {
        await proc.stop();
        const why = gaveUp
          ? `gave no hello-ok within ${opts.timeoutMs ?? 20_000} ms`
          : `exited with code ${proc.exited!.code} before its first hello-ok`;
        throw new Error(
          `The ${kind} server ${why} (last error: ${(err as Error).message}); ` +
            `its output:\n${proc.lines.join("\n")}`,
        );
      }
    }
    await sleep(Math.max(0, 5 - (performance.now() - attempt)));
  }
}

/** Connect+handshake latencies (ms) of `n` sequential connects (open -> hello-ok), each closed. */
export async function handshakeSamples(target: Target, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const sock = await BenchSocket.open(target.url, { token: target.token });
    samples.push(performance.now() - t0);
    await sock.close();
  }
  return samples;
}

/** Latencies (ms) of `n` sequential `health` calls on one socket, and how many failed. */
export async function rpcSamples(
  target: Target,
  n: number,
): Promise<{ samples: number[]; errors: number }> {
  const sock = await BenchSocket.open(target.url, { token: target.token });
  const samples: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await sock.request("health", {});
    samples.push(performance.now() - t0);
    if (!res.ok) errors++;
  }
  await sock.close();
  return { samples, errors };
}

/** Opens `n` authenticated sockets, `batch` handshakes at a time. */
export async function openMany(target: Target, n: number, batch = 25): Promise<BenchSocket[]> {
  const socks: BenchSocket[] = [];
  for (let i = 0; i < n; i += batch) {
    const count = Math.min(batch, n - i);
    const opened = await Promise.all(
      Array.from({ length: count }, () => BenchSocket.open(target.url, { token: target.token })),
    );
    socks.push(...opened);
  }
  return socks;
}

/** One throughput round: calls answered while counting, and the CPU both sides used. */
export interface ThroughputRound {
  calls: number;
  errors: number;
  seconds: number;
  serverCpuSeconds: number;
  clientCpuSeconds: number;
}

/**
 * Closed-loop throughput: `sockets` connections, each keeping `window`
 * requests in flight (a new one is sent as soon as one is answered).
 * Calls answered during the warm-up are not counted.
 */
export async function throughputRound(
  target: Target,
  pid: number,
  opts: { sockets: number; window: number; warmupMs: number; durationMs: number },
): Promise<ThroughputRound> {
  const socks = await openMany(target, opts.sockets);
  let counting = false;
  let stopped = false;
  let calls = 0;
  let errors = 0;
  const loop = async (sock: BenchSocket) => {
    while (!stopped) {
      const res = await sock.request("health", {});
      if (!counting) continue;
      if (res.ok) calls++;
      else errors++;
    }
  };
  const loops = socks.flatMap((s) => Array.from({ length: opts.window }, () => loop(s)));
  await sleep(opts.warmupMs);
  counting = true;
  const t0 = performance.now();
  const server0 = cpuSeconds(pid);
  const client0 = selfCpuSeconds();
  await sleep(opts.durationMs);
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const serverCpuSeconds = cpuSeconds(pid) - server0;
  const clientCpuSeconds = selfCpuSeconds() - client0;
  stopped = true;
  await Promise.all(loops);
  await Promise.all(socks.map((s) => s.close()));
  return { calls, errors, seconds, serverCpuSeconds, clientCpuSeconds };
}

/** Result of the memory run. */
export interface MemoryResult {
  connections: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  perConnKiB: number;
}

/**
 * Memory per idle authenticated connection: server RSS before and after
 * opening `n` connections (each after `settleMs` of quiet), divided by `n`.
 */
export async function measureMemory(
  target: Target,
  pid: number,
  opts: { n: number; settleMs: number },
): Promise<MemoryResult> {
  await sleep(opts.settleMs);
  const before = rssKiB(pid);
  const socks = await openMany(target, opts.n);
  await sleep(opts.settleMs);
  const after = rssKiB(pid);
  await Promise.all(socks.map((s) => s.close()));
  return {
    connections: opts.n,
    rssBeforeKiB: before,
    rssAfterKiB: after,
    perConnKiB: (after - before) / opts.n,
  };
}
