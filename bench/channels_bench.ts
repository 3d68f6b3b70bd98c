/**
 * Telegram channel numbers for the README: message -> reply latency through
 * the gateway (pipeline + echo engine test double) against a bare grammY echo
 * bot on the same local emulator, and the idle RSS of a gateway process with
 * Telegram configured vs not.
 *
 * `deno run -A bench/channels_bench.ts [--n 200] [--json]`
 *
 * @module
 */

import { Bot } from "grammy";
import { makeUser, startTelegramEmulator } from "../tests/_fakes/telegram/mod.ts";
import { EchoEngine } from "../tests/_helpers/echo_engine.ts";
import { startChannelGateway, telegramConfig } from "../tests/_helpers/channels.ts";
import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";

const args = Deno.args;
const N = Number(args[args.indexOf("--n") + 1]) || 200;
const asJson = args.includes("--json");
const log = (s: string) => console.error(s);

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(q(0.5)), p90: r(q(0.9)), p99: r(q(0.99)), max: r(s[s.length - 1]) };
}

/** Sends N messages one after another; each waits for the bot's reply event. */
async function latency(
  // deno-lint-ignore no-explicit-any
  emu: { apiRoot: string; server: any },
  token: string,
  chatId: number,
  n: number,
): Promise<number[]> {
  const user = makeUser(emu.apiRoot, token, { chatId, userId: chatId });
  const out: number[] = [];
  for (let i = -10; i < n; i++) {
    const got = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no reply to message ${i} within 5 s`)), 5000);
      emu.server.once("AddedBotMessage", () => (clearTimeout(t), resolve()));
    });
    const t0 = performance.now();
    await user.sendText(`m${i}`);
    await got;
    if (i >= 0) out.push(performance.now() - t0); // 10 warm-up messages
  }
  return out;
}

async function rssOf(pid: number): Promise<number> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(text)![1]) * 1024;
}

/** Idle RSS of a `openclaw gateway` subprocess with `config`. */
async function idleRss(config: Record<string, unknown>): Promise<number> {
  const home = await Deno.makeTempDir({ prefix: "openclaw-bench-" });
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true });
  await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, JSON.stringify(config));
  const main = new URL("../main.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_PERMISSIONS, main, "gateway", "--port", "0"],
    env: { OPENCLAW_HOME: home, HOME: home, OPENCLAW_SKIP_CANVAS_HOST: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const deadline = Date.now() + 30_000;
  while (!/listening on/.test(buf) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
  }
  await new Promise((r) => setTimeout(r, 3000)); // channels connect, then idle
  const rss = await rssOf(child.pid);
  child.kill("SIGTERM");
  await reader.cancel();
  await child.stderr.cancel();
  await child.status;
  await Deno.remove(home, { recursive: true }).catch(() => {});
  return rss;
}

const emu = await startTelegramEmulator();
try {
  // 1. Bare grammY echo bot (long polling, same emulator, same process).
  const bareToken = "100001:BENCH_BARE";
  const bot = new Bot(bareToken, { client: { apiRoot: emu.apiRoot } });
  bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const running = bot.start({ onStart: () => started(), timeout: 30 });
  await ready;
  log(`bare grammY: ${N} messages...`);
  const bare = stats(await latency(emu, bareToken, 1, N));
  await bot.stop();
  await running;

  // 2. Through the gateway: journal, pipeline, engine double, reply (streaming off: one send).
  const gwToken = "100002:BENCH_GATEWAY";
  const gw = await startChannelGateway({
    config: telegramConfig(emu.apiRoot, gwToken, { allowFrom: [2], streaming: "off" }),
    engine: new EchoEngine({ deltas: 1 }),
  });
  await new Promise((r) => setTimeout(r, 500));
  log(`gateway: ${N} messages...`);
  const gateway = stats(await latency(emu, gwToken, 2, N));
  await gw.stop();
  await Deno.remove(gw.home, { recursive: true }).catch(() => {});

  // 3. Idle RSS of a real gateway process, without and with Telegram.
  log("RSS: gateway without channels...");
  const base = { gateway: { mode: "local", auth: { token: "x".repeat(40) } } };
  const rssWithout = await idleRss(base);
  log("RSS: gateway with Telegram...");
  const rssWith = await idleRss({
    ...base,
    channels: { telegram: { botToken: "100003:BENCH_RSS", apiRoot: emu.apiRoot } },
  });
  const mb = (b: number) => Math.round(b / 1024 / 102.4) / 10;
  const result = {
    messages: N,
    latencyMs: { bareGrammy: bare, gateway },
    rssMb: { withoutTelegram: mb(rssWithout), withTelegram: mb(rssWith) },
  };
  if (asJson) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`message -> reply latency over ${N} messages (ms):`);
    console.log(
      `  bare grammY echo  p50 ${bare.p50}  p90 ${bare.p90}  p99 ${bare.p99}  max ${bare.max}`,
    );
    console.log(
      `  gateway pipeline  p50 ${gateway.p50}  p90 ${gateway.p90}  p99 ${gateway.p99}  max ${gateway.max}`,
    );
    console.log(`idle RSS: without Telegram ${mb(rssWithout)} MB, with Telegram ${mb(rssWith)} MB`);
  }
} finally {
  await emu.stop();
}
