/**
 * The idle part of `deno task bench`: what a gateway that never runs a turn
 * costs. Fresh gateway subprocesses, spawn to the first `hello-ok`, then the
 * RSS after sitting idle (default 5 s), for a gateway with nothing configured,
 * one with a model provider configured but never called, and optionally the
 * same for another checkout (`--baseline DIR`, e.g. the commit before the
 * agent engine) so "as fast and as small as before" is a measured claim.
 *
 * @module
 */

import { spawnToHello } from "./_scenarios.ts";
import { freePort, rssKiB } from "./_server.ts";
import { median } from "./_stats.ts";

/** How much the idle run does. */
export interface IdleBenchPlan {
  /** Spawns per variant (interleaved, so drifting load hits every variant alike). */
  spawns: number;
  /** How long each gateway sits idle after its hello-ok before RSS is read. */
  idleMs: number;
  /** Another checkout's folder (holding `main.ts`) measured with the "none" config. */
  baseline?: string;
}

/** One variant's medians. */
export interface IdleRow {
  name: string;
  spawnMs: number;
  rssKiB: number;
  /** Every sample, for the JSON output. */
  samples: Array<{ spawnMs: number; rssKiB: number }>;
}

/** Results of {@link runIdleBench}. */
export interface IdleBenchResult {
  plan: IdleBenchPlan;
  rows: IdleRow[];
}

const TOKEN = "bench-token-0123456789abcdef0123456789abcdef";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function makeIdleHome(withProvider: boolean): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "openclaw-idle-bench-" });
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true, mode: 0o700 });
  const config: Record<string, unknown> = { gateway: { mode: "local", auth: { token: TOKEN } } };
  if (withProvider) {
    // Never called: the port is not listened on, a call would fail.
    config.models = {
      providers: {
        stub: {
          baseUrl: "http://127.0.0.1:9/v1",
          apiKey: "sk-bench",
          api: "openai-completions",
          models: [{ id: "stub-model", name: "Stub", contextWindow: 128000, maxTokens: 4096 }],
        },
      },
    };
    config.agents = { defaults: { model: "stub/stub-model" } };
  }
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config), {
    mode: 0o600,
  });
  return home;
}

/** Runs the idle benchmark; every gateway it starts is stopped before it returns. */
export async function runIdleBench(
  plan: IdleBenchPlan,
  progress: (msg: string) => void,
): Promise<IdleBenchResult> {
  const none = await makeIdleHome(false);
  const provider = await makeIdleHome(true);
  const variants: Array<{ name: string; home: string; main?: string }> = [
    { name: "none", home: none },
    { name: "provider", home: provider },
  ];
  if (plan.baseline) {
    variants.push({ name: "baseline", home: none, main: `${plan.baseline}/main.ts` });
  }
  const samples = new Map(variants.map((v) => [v.name, [] as IdleRow["samples"]]));
  try {
    for (let i = 0; i < plan.spawns; i++) {
      for (const v of variants) {
        const { proc, ms } = await spawnToHello("gateway", {
          port: freePort(),
          home: v.home,
          token: TOKEN,
          main: v.main,
        });
        try {
          await sleep(plan.idleMs);
          samples.get(v.name)!.push({ spawnMs: ms, rssKiB: rssKiB(proc.pid) });
        } finally {
          await proc.stop();
        }
      }
      progress(`idle: round ${i + 1}/${plan.spawns} done`);
    }
  } finally {
    for (const home of [none, provider]) {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  }
  const rows = variants.map((v) => {
    const s = samples.get(v.name)!;
    return {
      name: v.name,
      spawnMs: median(s.map((x) => x.spawnMs)),
      rssKiB: median(s.map((x) => x.rssKiB)),
      samples: s,
    };
  });
  return { plan, rows };
}

/** The idle table and its targets (provider within 10% of none, and of the baseline). */
export function renderIdle(r: IdleBenchResult): string {
  const by = (name: string) => r.rows.find((row) => row.name === name);
  const pct = (a: number, b: number) => (a / b - 1) * 100;
  const none = by("none")!;
  const provider = by("provider")!;
  const baseline = by("baseline");
  const checks: Array<[string, boolean]> = [];
  const within = (what: string, a: IdleRow, b: IdleRow) => {
    const spawn = pct(a.spawnMs, b.spawnMs);
    const rss = pct(a.rssKiB, b.rssKiB);
    checks.push([`spawn ${what} within 10% (${spawn.toFixed(1)}%)`, spawn <= 10]);
    checks.push([`idle RSS ${what} within 10% (${rss.toFixed(1)}%)`, rss <= 10]);
  };
  within("with provider vs none", provider, none);
  if (baseline) within("with provider vs baseline", provider, baseline);
  const row = (x: IdleRow) =>
    `${x.name.padEnd(9)} ${x.spawnMs.toFixed(0).padStart(13)} ${
      (x.rssKiB / 1024).toFixed(1).padStart(12)
    }`;
  return [
    `idle gateway: ${r.plan.spawns} fresh spawn(s) per variant, RSS after ${
      r.plan.idleMs / 1000
    } s idle (medians)${r.plan.baseline ? `; baseline: ${r.plan.baseline}` : ""}`,
    "variant   spawn->hello ms  idle RSS MiB",
    ...r.rows.map(row),
    ...checks.map(([name, pass]) => `${pass ? "PASS" : "FAIL"}  ${name}`),
  ].join("\n");
}
