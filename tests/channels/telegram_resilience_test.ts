/**
 * Telegram failure handling end to end: 409 from a rival poller, 429 with
 * retry_after, webhook secret checks, and a restart in the middle of a
 * conversation that loses and repeats nothing.
 */

import assert from "node:assert/strict";
import { Bot } from "grammy";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  channelStatus,
  eventually,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";

Deno.test(
  "telegram: a second poller (409) stops the channel with a clear error, no fight",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: ["*"], dmPolicy: "open" }),
      engine: new EchoEngine(),
    });
    const rival = new Bot(token, { client: { apiRoot: emu.apiRoot } });
    let rivalGot = 0;
    rival.on("message", () => void rivalGot++);
    rival.catch(() => {});
    try {
      await telegramRunning(gw);
      const rivalRun = rival.start({ timeout: 2 }).catch(() => {});
      const st = await eventually(async () => {
        const s = await channelStatus(gw);
        return s.channels.telegram.accounts[0].state === "failed" ? s : undefined;
      }, "channel failed with 409");
      const acct = st.channels.telegram.accounts[0];
      assert.equal(acct.running, false);
      assert.equal(acct.fatal, true);
      assert.match(acct.lastError, /409 Conflict: another process polls this bot token/);
      // No fight: the rival keeps receiving; the gateway does not poll again.
      const calls = emu.calls.get("getUpdates") ?? 0;
      const user = makeUser(emu.apiRoot, token, { chatId: 3, userId: 3 });
      await user.sendText("to the rival");
      await eventually(() => rivalGot === 1, "rival receives");
      await new Promise((r) => setTimeout(r, 2500));
      // The rival polls every 2 s at most (timeout 2); the gateway neither restarts nor polls.
      assert.ok((emu.calls.get("getUpdates") ?? 0) - calls <= 6, "gateway stopped polling");
      const later = (await channelStatus(gw)).channels.telegram.accounts[0];
      assert.equal(later.state, "failed");
      assert.equal(later.restartAttempts, 0, "no restart after a 409");
      assert.equal(rival.isRunning(), true, "the rival was not knocked off");
      assert.equal((await user.botMessages()).length, 0);
      const health = await (await gw.connect()).request<{ channels: Record<string, unknown> }>(
        "health",
        {},
      );
      assert.match(JSON.stringify(health.channels.telegram), /409/);
      await rival.stop();
      await rivalRun;
    } finally {
      if (rival.isRunning()) await rival.stop().catch(() => {});
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "telegram: 429 on getUpdates is honoured and the message still arrives",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [6] }),
      engine: new EchoEngine(),
    });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 6, userId: 6 });
      // The pending long poll answers the first message; the next poll gets the 429.
      emu.fail({ method: "getUpdates", error_code: 429, retry_after: 1 });
      await user.sendText("one");
      await user.waitFor((m) => m.length === 1, 5000, "first answer");
      const t0 = Date.now();
      await user.sendText("two");
      await user.waitFor((m) => m.length === 2, 6000, "answer after the 429");
      assert.ok(Date.now() - t0 >= 900, `waited retry_after (${Date.now() - t0} ms)`);
      // 429 on sendMessage: the reply is retried after retry_after, sent once.
      emu.fail({ method: "sendMessage", error_code: 429, retry_after: 1 });
      await user.sendText("three");
      const msgs = await user.waitFor((m) => m.length === 3, 6000, "answer after a send 429");
      assert.equal(msgs[2].text, "echo: three");
      const st = await channelStatus(gw);
      assert.equal(st.channels.telegram.running, true);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

/** A port that was free a moment ago. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test(
  "telegram: webhook mode answers with the right secret and refuses a wrong one",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const port = freePort();
    const url = `http://127.0.0.1:${port}/tg-hook`;
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, {
        allowFrom: [21],
        webhookUrl: url,
        webhookSecret: "right-secret",
        webhookPort: port,
        webhookPath: "/tg-hook",
      }),
      engine: new EchoEngine(),
    });
    try {
      await telegramRunning(gw);
      const st = await channelStatus(gw);
      assert.equal(st.channels.telegram.accounts[0].mode, "webhook");
      const user = makeUser(emu.apiRoot, token, { chatId: 21, userId: 21 });
      await user.sendText("via webhook");
      await user.waitFor((m) => m.at(-1)?.text === "echo: via webhook", 5000, "webhook answer");

      const update = {
        update_id: 999001,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 21, type: "private" },
          from: { id: 21, is_bot: false, first_name: "Mallory" },
          text: "forged",
        },
      };
      const wrong = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-telegram-bot-api-secret-token": "wrong",
        },
        body: JSON.stringify(update),
      });
      await wrong.body?.cancel();
      assert.equal(wrong.status, 401);
      const none = await fetch(url, { method: "POST", body: JSON.stringify(update) });
      await none.body?.cancel();
      assert.equal(none.status, 401);
      const other = await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: "POST" });
      await other.body?.cancel();
      assert.equal(other.status, 404);
      // Oversized bodies: refused with and without a content-length.
      const big = await fetch(url, {
        method: "POST",
        headers: { "x-telegram-bot-api-secret-token": "right-secret" },
        body: new Uint8Array(2 * 1024 * 1024),
      });
      await big.body?.cancel();
      assert.equal(big.status, 413);
      const chunk = new Uint8Array(256 * 1024);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent++ < 8) c.enqueue(chunk);
          else c.close();
        },
      });
      const chunked = await fetch(url, {
        method: "POST",
        headers: { "x-telegram-bot-api-secret-token": "right-secret" },
        body: stream,
      });
      await chunked.body?.cancel();
      assert.equal(chunked.status, 413);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(!(await user.botMessages()).some((m) => m.text === "echo: forged"));
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "telegram: a restart mid-conversation loses and repeats nothing",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const config = telegramConfig(emu.apiRoot, token, { allowFrom: [88], streaming: "off" });
    // Slow replies (2.4 s) so the restart lands while runs are in flight: the
    // stop drains for 3 s (m2 finishes), m3 is cut off and replayed from the journal.
    const slow = new EchoEngine({ deltas: 2, deltaDelayMs: 1200 });
    let gw = await startChannelGateway({ config, engine: slow });
    const user = makeUser(emu.apiRoot, token, { chatId: 88, userId: 88 });
    try {
      await telegramRunning(gw);
      for (const t of ["m1", "m2", "m3"]) await user.sendText(t);
      await user.waitFor((m) => m.length >= 1, 8000, "first answer");
      await gw.stop(); // m2/m3 were received (journaled) but not all answered
      await user.sendText("m4"); // arrives while the gateway is down
      const engine = new EchoEngine();
      gw = await startChannelGateway({ config, engine, home: gw.home });
      const msgs = await user.waitFor((m) => m.length >= 4, 10_000, "all four answers");
      await new Promise((r) => setTimeout(r, 500));
      const texts = (await user.botMessages()).map((m) => m.text);
      assert.deepEqual(
        texts,
        ["echo: m1", "echo: m2", "echo: m3", "echo: m4"],
        JSON.stringify(msgs),
      );
      // The new gateway ran only what the old one had not answered.
      assert.ok(!engine.requests.some((r) => r.message === "m1"), "m1 not repeated");
      // m2 + m3 need 4.8 s, more than the 3 s drain: m3 came back from the journal.
      assert.ok(engine.requests.some((r) => r.message === "m3"), "m3 replayed after the restart");
    } finally {
      await gw.stop();
      await emu.stop();
      await Deno.remove(gw.home, { recursive: true }).catch(() => {});
    }
  },
);
