/**
 * The agent part of `deno task bench`: the scripted provider streamed
 * directly by a client versus the same turn through the gateway
 * (`chat.send` until `chat final`): time to first delta and to final,
 * turns/s with concurrent sessions, and what a configured-but-unused
 * provider costs at start and idle.
 *
 * @module
 */

import { GatewayClient } from "../src/client/gateway_client.ts";
import { type ScriptedProvider, startScriptedProvider } from "../tests/_fakes/scripted_provider.ts";
import { spawnToHello } from "./_scenarios.ts";
import { freePort, rssKiB, type ServerProc } from "./_server.ts";
import { type LatencySummary, median, summarize } from "./_stats.ts";

/** How much work the agent run does. */
export interface AgentBenchPlan {
  /** Sequential turns per path (latency). */
  turns: number;
  /** Concurrent sessions in the throughput run. */
  concurrent: number;
  durationMs: number;
  /** Spawns per home for spawn-to-hello-ok and idle RSS. */
  spawns: number;
  settleMs: number;
}

/** One path's numbers. */
export interface PathResult {
  ttft: LatencySummary;
  final: LatencySummary;
  turnsPerSec: number;
  errors: number;
}

/** Results of {@link runAgentBench}. */
export interface AgentBenchResult {
  plan: AgentBenchPlan;
  direct: PathResult;
  /** A client streaming directly through the gateway's SDK. */
  sdk: PathResult;
  gateway: PathResult;
  /** Gateway p50 minus direct p50, ms. */
  addedTtftP50Ms: number;
  addedFinalP50Ms: number;
  /** Gateway turns/s over direct turns/s. */
  throughputRatio: number;
  idle: {
    none: { spawnMs: number; rssKiB: number };
    provider: { spawnMs: number; rssKiB: number };
  };
}

const TOKEN = "bench-token-0123456789abcdef0123456789abcdef";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function makeAgentHome(provider?: ScriptedProvider): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "openclaw-agent-bench-" });
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true, mode: 0o700 });
  const config: Record<string, unknown> = { gateway: { mode: "local", auth: { token: TOKEN } } };
  if (provider) {
    config.models = {
      providers: {
        stub: {
          baseUrl: provider.baseUrl("openai"),
          apiKey: "sk-bench",
          api: "openai-completions",
          models: [{ id: "stub-model", name: "Stub", contextWindow: 128000, maxTokens: 4096 }],
        },
      },
    };
    // The global cap would otherwise queue the concurrent run (default max(8, cpus*4)).
    config.agents = { defaults: { model: "stub/stub-model", maxConcurrent: 64 } };
  }
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config), {
    mode: 0o600,
  });
  return home;
}

/** One turn straight from the provider: first content chunk, then end of stream. */
async function directTurn(provider: ScriptedProvider): Promise<{ ttft: number; final: number }> {
  const t0 = performance.now();
  const res = await fetch(`${provider.baseUrl("openai")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
    body: JSON.stringify({
      model: "stub-model",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "system", content: "You are a bench." }, { role: "user", content: "hi" }],
    }),
  });
  if (!res.ok || !res.body) throw new Error(`provider answered ${res.status}`);
  let ttft = NaN;
  const dec = new TextDecoder();
  for await (const chunk of res.body) {
    if (Number.isNaN(ttft) && /"content":"[^"]/.test(dec.decode(chunk))) {
      ttft = performance.now() - t0;
    }
  }
  return { ttft, final: performance.now() - t0 };
}

/**
 * One turn from the provider through the same SDK the gateway uses (`ai` +
 * `@ai-sdk/openai-compatible`): separates the gateway's own cost from the
 * SDK's.
 */
async function sdkClient(provider: ScriptedProvider) {
  const { streamText } = await import("ai");
  const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
  const p = createOpenAICompatible({
    name: "stub",
    baseURL: provider.baseUrl("openai"),
    apiKey: "sk-bench",
    includeUsage: true,
  });
  return async (): Promise<{ ttft: number; final: number }> => {
    const t0 = performance.now();
    let ttft = NaN;
    const r = streamText({
      model: p("stub-model"),
      system: "You are a bench.",
      prompt: "hi",
      maxRetries: 0,
    });
    for await (const part of r.fullStream) {
      if (part.type === "text-delta" && part.text && Number.isNaN(ttft)) {
        ttft = performance.now() - t0;
      }
    }
    return { ttft, final: performance.now() - t0 };
  };
}

/** One `chat.send` turn through the gateway, timed to the first delta and the final. */
function gatewayTurn(client: GatewayClient, sessionKey: string) {
  const runId = crypto.randomUUID();
  const t0 = performance.now();
  return new Promise<{ ttft: number; final: number }>((resolve, reject) => {
    let ttft = NaN;
    const timer = setTimeout(() => (off(), reject(new Error("turn timed out"))), 30_000);
    const off = client.onEvent((e) => {
      if (e.event !== "chat") return;
      const p = e.payload as { runId?: string; state?: string; agentId?: string };
      if (p.runId !== runId) return;
      if (p.state === "delta" && Number.isNaN(ttft)) ttft = performance.now() - t0;
      if (p.agentId && (p.state === "final" || p.state === "error" || p.state === "aborted")) {
        clearTimeout(timer);
        off();
        if (p.state !== "final") reject(new Error(`turn ended ${p.state}`));
        else resolve({ ttft, final: performance.now() - t0 });
      }
    });
    client.request("chat.send", { sessionKey, message: "hi", idempotencyKey: runId })
      .catch((err) => (clearTimeout(timer), off(), reject(err)));
  });
}

async function latency(turn: (i: number) => Promise<{ ttft: number; final: number }>, n: number) {
  const ttft: number[] = [];
  const final: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    try {
      const t = await turn(i);
      ttft.push(t.ttft);
      final.push(t.final);
    } catch {
      errors++;
    }
  }
  return { ttft: summarize(ttft), final: summarize(final), errors };
}

async function throughput(
  turn: (lane: number, i: number) => Promise<unknown>,
  concurrent: number,
  durationMs: number,
): Promise<{ perSec: number; errors: number }> {
  let stop = false;
  let done = 0;
  let errors = 0;
  const t0 = performance.now();
  const lanes = Array.from({ length: concurrent }, async (_, lane) => {
    for (let i = 0; !stop; i++) {
      try {
        await turn(lane, i);
        done++;
      } catch {
        errors++;
      }
    }
  });
  await sleep(durationMs);
  stop = true;
  const seconds = (performance.now() - t0) / 1000;
  const counted = done;
  await Promise.all(lanes);
  return { perSec: counted / seconds, errors };
}

async function idleOf(home: string, spawns: number, settleMs: number) {
  const ms: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < spawns; i++) {
    const { proc, ms: t } = await spawnToHello("gateway", { port: freePort(), home, token: TOKEN });
    ms.push(t);
    await sleep(settleMs);
    rss.push(rssKiB(proc.pid));
    await proc.stop();
  }
  return { spawnMs: median(ms), rssKiB: median(rss) };
}

/** Runs the agent benchmark; everything it starts is stopped before it returns. */
export async function runAgentBench(
  plan: AgentBenchPlan,
  progress: (msg: string) => void,
): Promise<AgentBenchResult> {
  const provider = await startScriptedProvider({ chunkDelayMs: 1 });
  const homes: string[] = [];
  let proc: ServerProc | undefined;
  let client: GatewayClient | undefined;
  try {
    const providerHome = await makeAgentHome(provider);
    const plainHome = await makeAgentHome();
    homes.push(providerHome, plainHome);
    // Idle costs first, before any turn has loaded the model SDK.
    const none = await idleOf(plainHome, plan.spawns, plan.settleMs);
    const withProvider = await idleOf(providerHome, plan.spawns, plan.settleMs);
    progress(
      `agent idle: spawn ${none.spawnMs.toFixed(0)} / ${withProvider.spawnMs.toFixed(0)} ms, ` +
        `rss ${none.rssKiB} / ${withProvider.rssKiB} KiB (no provider / provider)`,
    );

    const started = await spawnToHello("gateway", {
      port: freePort(),
      home: providerHome,
      token: TOKEN,
    });
    proc = started.proc;
    client = await GatewayClient.connect(proc.url, { token: TOKEN });
    const gw = client;
    // Warm both paths (the gateway loads the SDK on its first turn).
    for (let i = 0; i < 10; i++) {
      await directTurn(provider);
      await gatewayTurn(gw, `agent:main:warm-${i}`);
    }
    const sdkTurn = await sdkClient(provider);
    for (let i = 0; i < 10; i++) await sdkTurn();
    const direct = await latency(() => directTurn(provider), plan.turns);
    const sdk = await latency(() => sdkTurn(), plan.turns);
    const viaGw = await latency((i) => gatewayTurn(gw, `agent:main:bench-${i % 20}`), plan.turns);
    progress("agent latency runs done");
    const directTp = await throughput(() => directTurn(provider), plan.concurrent, plan.durationMs);
    const sdkTp = await throughput(() => sdkTurn(), plan.concurrent, plan.durationMs);
    const gwTp = await throughput(
      (lane) => gatewayTurn(gw, `agent:main:tp-${lane}`),
      plan.concurrent,
      plan.durationMs,
    );
    progress("agent throughput runs done");
    return {
      plan,
      direct: { ...direct, turnsPerSec: directTp.perSec, errors: direct.errors + directTp.errors },
      sdk: { ...sdk, turnsPerSec: sdkTp.perSec, errors: sdk.errors + sdkTp.errors },
      gateway: { ...viaGw, turnsPerSec: gwTp.perSec, errors: viaGw.errors + gwTp.errors },
      addedTtftP50Ms: viaGw.ttft.p50 - direct.ttft.p50,
      addedFinalP50Ms: viaGw.final.p50 - direct.final.p50,
      throughputRatio: gwTp.perSec / directTp.perSec,
      idle: { none, provider: withProvider },
    };
  } finally {
    await client?.close();
    await proc?.stop();
    await provider.close();
    for (const home of homes) await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

/** The agent table and its targets. */
export function renderAgent(r: AgentBenchResult): string {
  const f = (n: number) => n.toFixed(2);
  const row = (name: string, p: PathResult) =>
    `${name.padEnd(9)} ${f(p.ttft.p50).padStart(8)} ${f(p.ttft.p99).padStart(8)} ${
      f(p.final.p50).padStart(8)
    } ${f(p.final.p99).padStart(8)} ${p.turnsPerSec.toFixed(0).padStart(8)} ${
      String(p.errors).padStart(6)
    }`;
  const spawnPct = (r.idle.provider.spawnMs / r.idle.none.spawnMs - 1) * 100;
  const rssPct = (r.idle.provider.rssKiB / r.idle.none.rssKiB - 1) * 100;
  const checks = [
    [`added TTFT p50 < 2 ms (${f(r.addedTtftP50Ms)} ms)`, r.addedTtftP50Ms < 2],
    [
      `throughput >= 80% of direct (${(r.throughputRatio * 100).toFixed(0)}%)`,
      r.throughputRatio >= 0.8,
    ],
    [`spawn with provider within 10% (${spawnPct.toFixed(1)}%)`, spawnPct <= 10],
    [`idle RSS with provider within 10% (${rssPct.toFixed(1)}%)`, rssPct <= 10],
  ] as const;
  return [
    "direct: raw fetch of the SSE stream; sdk: the same stream through the ai SDK client " +
    "the gateway uses",
    `agent turns: ${r.plan.turns} sequential, ${r.plan.concurrent} concurrent sessions for ${
      r.plan.durationMs / 1000
    } s (scripted provider, 3 chunks)`,
    "path       ttft p50 ttft p99 final p50 final p99  turns/s errors",
    row("direct", r.direct),
    row("sdk", r.sdk),
    row("gateway", r.gateway),
    `idle: spawn-to-hello ${r.idle.none.spawnMs.toFixed(0)} ms / ${
      r.idle.provider.spawnMs.toFixed(0)
    } ms, RSS ${r.idle.none.rssKiB} / ${r.idle.provider.rssKiB} KiB (no provider / provider)`,
    ...checks.map(([name, pass]) => `${pass ? "PASS" : "FAIL"}  ${name}`),
  ].join("\n");
}
