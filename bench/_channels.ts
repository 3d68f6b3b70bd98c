/**
 * Measurements of `channels_bench.ts`: message -> reply latency one at a
 * time, messages/s with many chats at once, and the idle RSS of a gateway
 * process. The reply "leaves the gateway" when the emulator stores the
 * bot's `sendMessage`.
 *
 * @module
 */

import { makeUser } from "../tests/_fakes/telegram/mod.ts";
import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";

/** The in-process emulator, as the bench uses it. */
// deno-lint-ignore no-explicit-any
export type Emu = { apiRoot: string; server: any };

/** Percentiles of samples, ms, rounded to 0.01. */
export function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(q(0.5)), p90: r(q(0.9)), p99: r(q(0.99)), max: r(s[s.length - 1]) };
}

/** Calls `fn(chatId)` for each bot message the emulator stores from now on. */
function onBotMessage(emu: Emu, fn: (chatId: number) => void): () => void {
  const listener = () => {
    const last = emu.server.storage.botMessages.at(-1);
    if (last) fn(Number(last.message.chat_id));
  };
  emu.server.on("AddedBotMessage", listener);
  return () => emu.server.off("AddedBotMessage", listener);
}

/** Resolves on the next bot message to `chatId`; rejects after `ms`. */
function replyTo(waiters: Map<number, () => void>, chatId: number, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      waiters.delete(chatId);
      reject(new Error(`No reply in chat ${chatId} within ${ms} ms`));
    }, ms);
    waiters.set(chatId, () => (clearTimeout(t), waiters.delete(chatId), resolve()));
  });
}

/** Sends `n` messages one after another (after 10 warm-up), each waiting for its reply. */
export async function latency(emu: Emu, token: string, chatId: number, n: number) {
  const user = makeUser(emu.apiRoot, token, { chatId, userId: chatId });
  const waiters = new Map<number, () => void>();
  const off = onBotMessage(emu, (c) => waiters.get(c)?.());
  const out: number[] = [];
  try {
    for (let i = -10; i < n; i++) {
      const got = replyTo(waiters, chatId, 10_000);
      const t0 = performance.now();
      await user.sendText(`m${i}`);
      await got;
      if (i >= 0) out.push(performance.now() - t0);
    }
  } finally {
    off();
  }
  return out;
}

/**
 * `chats` chats at once, each sending `perChat` messages one after another
 * (each waits for its reply): messages/s over the whole run, and latency.
 */
export async function throughput(
  emu: Emu,
  token: string,
  opts: { chats: number; perChat: number; group: boolean; firstChat: number },
) {
  const waiters = new Map<number, () => void>();
  const off = onBotMessage(emu, (c) => waiters.get(c)?.());
  const lat: number[] = [];
  try {
    const users = Array.from({ length: opts.chats }, (_, i) => {
      const id = opts.group ? -(opts.firstChat + i) : opts.firstChat + i;
      return makeUser(emu.apiRoot, token, {
        chatId: id,
        userId: opts.firstChat + i,
        type: opts.group ? "supergroup" : "private",
      });
    });
    const chat = async (u: (typeof users)[number], count: number, record: boolean) => {
      for (let i = 0; i < count; i++) {
        const got = replyTo(waiters, u.chatId, 30_000);
        const t0 = performance.now();
        await u.sendText(`c${u.chatId} m${i}`);
        await got;
        if (record) lat.push(performance.now() - t0);
      }
    };
    await Promise.all(users.map((u) => chat(u, 1, false))); // warm-up: one each
    const t0 = performance.now();
    await Promise.all(users.map((u) => chat(u, opts.perChat, true)));
    const s = (performance.now() - t0) / 1000;
    return {
      messages: opts.chats * opts.perChat,
      perSec: Math.round(opts.chats * opts.perChat / s * 10) / 10,
      latencyMs: stats(lat),
    };
  } finally {
    off();
  }
}

async function rssOf(pid: number): Promise<number> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(text)![1]) * 1024;
}

/** Idle RSS (bytes) of an `openclaw gateway` subprocess with `config`, 3 s after it listens. */
export async function idleRss(config: Record<string, unknown>): Promise<number> {
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
