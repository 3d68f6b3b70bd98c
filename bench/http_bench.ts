/**
 * HTTP API benchmark: `POST /v1/chat/completions` streaming through the real
 * gateway (a full agent turn) versus the same request straight to the
 * scripted provider behind it, and `GET /health` on the gateway versus a bare
 * `Deno.serve`. Reports time to first content chunk (TTFC, p50/p99) and
 * requests per second at 20 concurrent clients. A benchmark, not a test:
 * exits 0 once measured.
 *
 * @example
 * ```sh
 * deno run -A bench/http_bench.ts            # about 30 s
 * deno run -A bench/http_bench.ts --quick    # about 10 s
 * ```
 *
 * @module
 */

import { freePort, makeHome, RUN_FLAGS, type ServerProc, spawnServer } from "./_server.ts";
import { percentile } from "./_stats.ts";

const TOKEN = "bench-token-0123456789abcdef0123456789abcdef";
const CONCURRENCY = 20;

interface Plan {
  ttfcN: number;
  durationMs: number;
}

const progress = (msg: string) => console.error(`[http-bench] ${msg}`);

async function spawnProvider(): Promise<{ port: number; stop(): Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_FLAGS, new URL("./_http_provider.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const deadline = Date.now() + 20_000;
  while (!/PORT \d+/.test(buf)) {
    if (Date.now() > deadline) throw new Error("The scripted provider did not start within 20 s");
    const { value, done } = await reader.read();
    if (done) throw new Error("The scripted provider exited before listening");
    buf += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return {
    port: Number(/PORT (\d+)/.exec(buf)![1]),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function gatewayHome(providerPort: number): Promise<string> {
  const home = await makeHome(TOKEN);
  const config = {
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled: true } } },
    },
    models: {
      providers: {
        stub: {
          baseUrl: `http://127.0.0.1:${providerPort}/v1`,
          apiKey: "sk-bench",
          api: "openai-completions",
          models: [{ id: "stub-model", name: "Stub", contextWindow: 128000, maxTokens: 4096 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "stub/stub-model" } } },
  };
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config), {
    mode: 0o600,
  });
  return home;
}

async function waitHttp(url: string, proc?: ServerProc): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      return;
    } catch (err) {
      if (Date.now() > deadline || proc?.exited) {
        throw new Error(
          `${url} did not answer: ${(err as Error).message}\n${proc?.lines.join("\n") ?? ""}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** One streaming chat request; returns ms to the first content chunk. */
async function streamOnce(url: string, user?: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "stub-model",
      stream: true,
      messages: [{ role: "user", content: "hello" }],
      ...(user ? { user } : {}),
    }),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let first = 0;
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    if (!first && /"content":"[^"]/.test(buf)) first = performance.now() - started;
  }
  if (!first) throw new Error(`${url}: no content chunk in ${buf.slice(0, 200)}`);
  return first;
}

async function ttfc(url: string, n: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await streamOnce(url); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(await streamOnce(url));
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function throughput(run: () => Promise<unknown>, durationMs: number): Promise<number> {
  for (let i = 0; i < CONCURRENCY; i++) await run(); // warm-up
  let done = 0;
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      await run();
      done++;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}

async function getHealth(url: string): Promise<void> {
  const r = await fetch(url);
  await r.arrayBuffer();
}

async function main(args: string[]): Promise<void> {
  const plan: Plan = args.includes("--quick")
    ? { ttfcN: 50, durationMs: 2000 }
    : { ttfcN: 300, durationMs: 5000 };
  const provider = await spawnProvider();
  const home = await gatewayHome(provider.port);
  const gwPort = freePort();
  const gateway = spawnServer("gateway", { port: gwPort, home });
  const barePort = freePort();
  const bare = spawnServer("bare", { port: barePort, home });
  try {
    const gw = `http://127.0.0.1:${gwPort}`;
    await waitHttp(`${gw}/health`, gateway);
    await waitHttp(`http://127.0.0.1:${barePort}/health`, bare);
    const direct = `http://127.0.0.1:${provider.port}/v1/chat/completions`;
    const viaGateway = `${gw}/v1/chat/completions`;
    progress("TTFC direct");
    const tDirect = await ttfc(direct, plan.ttfcN);
    progress("TTFC via gateway");
    const tGateway = await ttfc(viaGateway, plan.ttfcN);
    progress("chat req/s direct");
    const rDirect = await throughput(() => streamOnce(direct), plan.durationMs);
    progress("chat req/s via gateway");
    const rGateway = await throughput(() => streamOnce(viaGateway), plan.durationMs);
    progress("/health req/s bare");
    const hBare = await throughput(
      () => getHealth(`http://127.0.0.1:${barePort}/health`),
      plan.durationMs,
    );
    progress("/health req/s gateway");
    const hGateway = await throughput(() => getHealth(`${gw}/health`), plan.durationMs);
    const results = {
      chatStreamTtfcMs: {
        direct: tDirect,
        gateway: tGateway,
      },
      chatStreamReqPerSec: { concurrency: CONCURRENCY, direct: rDirect, gateway: rGateway },
      healthReqPerSec: { concurrency: CONCURRENCY, bare: hBare, gateway: hGateway },
    };
    if (args.includes("--json")) console.log(JSON.stringify(results, null, 2));
    else {
      const f = (n: number) => n.toFixed(1);
      console.log("| measurement | baseline | gateway | ratio |");
      console.log("|---|---|---|---|");
      console.log(
        `| chat stream TTFC p50 (ms) | ${f(tDirect.p50)} (provider) | ${f(tGateway.p50)} | ${
          f(tGateway.p50 / tDirect.p50)
        }x |`,
      );
      console.log(
        `| chat stream TTFC p99 (ms) | ${f(tDirect.p99)} (provider) | ${f(tGateway.p99)} | ${
          f(tGateway.p99 / tDirect.p99)
        }x |`,
      );
      console.log(
        `| chat stream req/s @${CONCURRENCY} | ${f(rDirect)} (provider) | ${f(rGateway)} | ${
          f(rGateway / rDirect)
        }x |`,
      );
      console.log(
        `| /health req/s @${CONCURRENCY} | ${f(hBare)} (bare Deno.serve) | ${f(hGateway)} | ${
          f(hGateway / hBare)
        }x |`,
      );
    }
  } finally {
    await gateway.stop();
    await bare.stop();
    await provider.stop();
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main(Deno.args);
