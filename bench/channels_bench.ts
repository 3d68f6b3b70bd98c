/**
 * Telegram channel numbers for the README: message -> reply latency through
 * the gateway on the real agent engine (scripted provider answering at once)
 * and on the echo engine double, against a bare grammY echo bot on the same
 * local emulator; messages/s with 20 chats at once; the idle RSS of a
 * gateway process with Telegram configured vs not.
 *
 * `deno run -A bench/channels_bench.ts [--n 200] [--chats 20] [--per-chat 10] [--json]`
 *
 * Everything but the RSS processes runs in this one process (emulator,
 * gateway, provider, simulated users) on 127.0.0.1.
 *
 * @module
 */

import { Bot } from "grammy";
import { startTelegramEmulator } from "../tests/_fakes/telegram/mod.ts";
import { EchoEngine } from "../tests/_helpers/echo_engine.ts";
import { startChannelGateway, telegramConfig } from "../tests/_helpers/channels.ts";
import { startScriptedProvider } from "../tests/_fakes/scripted_provider.ts";
import { agentTelegramConfig } from "../tests/channels/e2e/_fixture.ts";
import { type Emu, idleRss, latency, stats, throughput } from "./_channels.ts";

const args = Deno.args;
const num = (flag: string, dflt: number) =>
  args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) || dflt : dflt;
const N = num("--n", 200);
const CHATS = num("--chats", 20);
const PER_CHAT = num("--per-chat", 10);
const asJson = args.includes("--json");
const log = (s: string) => console.error(s);
const load = () => Deno.loadavg().map((x) => Math.round(x * 10) / 10);

const GROUPS = { groupPolicy: "open", groups: { "*": { requireMention: false } } };

async function bareBot(emu: Emu, token: string) {
  const bot = new Bot(token, { client: { apiRoot: emu.apiRoot } });
  bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const running = bot.start({ onStart: () => started(), timeout: 30 });
  await ready;
  return { stop: async () => (await bot.stop(), await running) };
}

const emu = await startTelegramEmulator();
const provider = await startScriptedProvider({ chunkDelayMs: 0 });
try {
  log(`load average at start: ${load()}`);
  // 1. Bare grammY echo bot (long polling, same emulator, same process).
  const bare = await bareBot(emu, "100001:BENCH_BARE");
  log(`bare grammY: ${N} messages...`);
  const bareLat = stats(await latency(emu, "100001:BENCH_BARE", 1, N));
  log(`bare grammY: ${CHATS} chats x ${PER_CHAT}...`);
  const bareTput = await throughput(emu, "100001:BENCH_BARE", {
    chats: CHATS,
    perChat: PER_CHAT,
    group: false,
    firstChat: 1000,
  });
  await bare.stop();

  // 2. Gateway on the echo engine double (pipeline + journal, no agent).
  const echoTok = "100002:BENCH_ECHO";
  const echoGw = await startChannelGateway({
    config: telegramConfig(emu.apiRoot, echoTok, { allowFrom: [2], streaming: "off" }),
    engine: new EchoEngine({ deltas: 1 }),
  });
  await new Promise((r) => setTimeout(r, 500));
  log(`gateway + echo engine: ${N} messages...`);
  const echoLat = stats(await latency(emu, echoTok, 2, N));
  await echoGw.stop();
  await Deno.remove(echoGw.home, { recursive: true }).catch(() => {});

  // 3. Gateway on the real agent engine, scripted provider answering at once.
  const agentTok = "100003:BENCH_AGENT";
  const agentGw = await startChannelGateway({
    config: agentTelegramConfig(provider, emu.apiRoot, agentTok, {
      allowFrom: ["*"],
      dmPolicy: "open",
      streaming: "off",
      ...GROUPS,
    }),
  });
  await new Promise((r) => setTimeout(r, 500));
  log(`gateway + real engine: ${N} messages...`);
  const agentLat = stats(await latency(emu, agentTok, 3, N));
  log(`gateway + real engine: ${CHATS} group chats (own sessions) x ${PER_CHAT}...`);
  const agentGroups = await throughput(emu, agentTok, {
    chats: CHATS,
    perChat: PER_CHAT,
    group: true,
    firstChat: 2000,
  });
  log(`gateway + real engine: ${CHATS} DMs (one shared main session) x ${PER_CHAT}...`);
  const agentDms = await throughput(emu, agentTok, {
    chats: CHATS,
    perChat: PER_CHAT,
    group: false,
    firstChat: 3000,
  });
  await agentGw.stop();
  await Deno.remove(agentGw.home, { recursive: true }).catch(() => {});

  // 4. Idle RSS of a real gateway process, without and with Telegram:
  // three of each, alternating, median (run-to-run noise is several MB).
  const base = { gateway: { mode: "local", auth: { token: "x".repeat(40) } } };
  const withTg = {
    ...base,
    channels: { telegram: { botToken: "100004:BENCH_RSS", apiRoot: emu.apiRoot } },
  };
  const without: number[] = [];
  const withT: number[] = [];
  for (let i = 0; i < 3; i++) {
    log(`RSS round ${i + 1}/3: gateway without channels, then with Telegram...`);
    without.push(await idleRss(base));
    withT.push(await idleRss(withTg));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const rssWithout = med(without);
  const rssWith = med(withT);
  const mb = (b: number) => Math.round(b / 1024 / 102.4) / 10;
  const result = {
    messages: N,
    loadAverage: load(),
    latencyMs: { bareGrammy: bareLat, gatewayEchoEngine: echoLat, gatewayRealEngine: agentLat },
    throughput: { chats: CHATS, perChat: PER_CHAT, bareGrammy: bareTput, agentGroups, agentDms },
    rssMb: {
      withoutTelegram: mb(rssWithout),
      withTelegram: mb(rssWith),
      samples: { without: without.map(mb), with: withT.map(mb) },
    },
  };
  if (asJson) console.log(JSON.stringify(result, null, 2));
  else {
    const row = (name: string, s: ReturnType<typeof stats>) =>
      console.log(`  ${name.padEnd(26)} p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  max ${s.max}`);
    console.log(`message -> reply latency over ${N} messages, one at a time (ms):`);
    row("bare grammY echo", bareLat);
    row("gateway, echo engine", echoLat);
    row("gateway, real engine", agentLat);
    console.log(`${CHATS} chats at once, ${PER_CHAT} messages each:`);
    const tp = (name: string, t: typeof bareTput) =>
      console.log(
        `  ${name.padEnd(26)} ${t.perSec} msg/s  p50 ${t.latencyMs.p50}  p99 ${t.latencyMs.p99}`,
      );
    tp("bare grammY echo (DMs)", bareTput);
    tp("real engine, 20 groups", agentGroups);
    tp("real engine, 20 DMs", agentDms);
    console.log(
      `idle RSS (median of 3): without Telegram ${mb(rssWithout)} MB ` +
        `(${without.map(mb).join(", ")}), with Telegram ${mb(rssWith)} MB ` +
        `(${withT.map(mb).join(", ")})`,
    );
    console.log(`load average: ${result.loadAverage}`);
  }
} finally {
  await provider.close();
  await emu.stop();
}
