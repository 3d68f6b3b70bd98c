/**
 * `send` end to end: delivery, idempotency (sequential, concurrent, and
 * across a gateway restart), bad channel/target, channel down.
 */

import assert from "node:assert/strict";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

interface SendResult {
  runId: string;
  messageId: string;
  channel: string;
  chatId?: string;
}

Deno.test(
  "send: delivers to a chat once per idempotency key, also across a restart",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const config = telegramConfig(emu.apiRoot, token);
    let gw = await startChannelGateway({ config, engine: new EchoEngine() });
    const chat = makeUser(emu.apiRoot, token, { chatId: 808, userId: 808 });
    try {
      await telegramRunning(gw);
      let client = await gw.connect();
      const params = {
        channel: "telegram",
        to: "808",
        message: "hi from send",
        idempotencyKey: "k1",
      };
      const first = await client.request<SendResult>("send", params);
      assert.equal(first.runId, "k1");
      assert.equal(first.channel, "telegram");
      assert.equal(first.chatId, "808");
      // Concurrent and sequential duplicates: the same result, nothing sent again.
      const again = await Promise.all(
        [1, 2, 3].map(() => client.request<SendResult>("send", params)),
      );
      for (const r of again) assert.deepEqual(r, first);
      // Concurrent first sends of a new key: one delivery.
      const p2 = { ...params, message: "second", idempotencyKey: "k2" };
      const racing = await Promise.all([1, 2, 3].map(() => client.request<SendResult>("send", p2)));
      assert.ok(racing.every((r) => r.messageId === racing[0].messageId));
      await client.close();
      assert.deepEqual((await chat.botMessages()).map((m) => m.text), ["hi from send", "second"]);

      // Restart: a retry with the same key gets the recorded result.
      await gw.stop();
      gw = await startChannelGateway({ config, engine: new EchoEngine(), home: gw.home });
      await telegramRunning(gw);
      client = await gw.connect();
      assert.deepEqual(await client.request<SendResult>("send", params), first);
      await client.close();
      assert.equal((await chat.botMessages()).length, 2);
    } finally {
      await gw.stop();
      await emu.stop();
      await Deno.remove(gw.home, { recursive: true }).catch(() => {});
    }
  },
);

Deno.test(
  "send: unknown channel or target is INVALID_REQUEST naming it; a down channel is UNAVAILABLE",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const gw = await startChannelGateway({ config: telegramConfig(emu.apiRoot, token) });
    try {
      await telegramRunning(gw);
      const client = await gw.connect();
      try {
        const err1 = await client.request("send", {
          channel: "pigeon",
          to: "1",
          message: "x",
          idempotencyKey: "a",
        }).catch((e) => e);
        assert.match(String(err1), /INVALID_REQUEST.*"pigeon"/);
        const err2 = await client.request("send", {
          channel: "telegram",
          to: "not a chat",
          message: "x",
          idempotencyKey: "b",
        }).catch((e) => e);
        assert.match(String(err2), /INVALID_REQUEST.*"not a chat"/);
        const err3 = await client.request("send", {
          channel: "whatsapp",
          to: "+15550001111",
          message: "x",
          idempotencyKey: "c",
        }).catch((e) => e);
        assert.match(String(err3), /INVALID_REQUEST.*"whatsapp" is not configured/);
        // Default channel: the only configured one.
        const ok = await client.request<SendResult>("send", {
          to: "12",
          message: "default channel",
          idempotencyKey: "d",
        });
        assert.equal(ok.channel, "telegram");
      } finally {
        await client.close();
      }
      // Channel down: point it at a closed port through a config reload (only
      // the channel restarts, and fails to connect) -> UNAVAILABLE at once.
      await writeConfig(gw.home, telegramConfig("http://127.0.0.1:9", token));
      await gw.proc.reloadConfig();
      const client2 = await gw.connect();
      try {
        const t0 = Date.now();
        let err: unknown;
        for (let i = 0; i < 40; i++) {
          err = await client2.request("send", {
            channel: "telegram",
            to: "12",
            message: "x",
            idempotencyKey: `down-${i}`,
          }, { timeoutMs: 5000 }).catch((e) => e);
          if (/UNAVAILABLE/.test(String(err))) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.match(String(err), /UNAVAILABLE.*not running/);
        assert.ok(Date.now() - t0 < 8000);
      } finally {
        await client2.close();
      }
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test("send: CLI message send prints the result", CHANNEL_TEST, async () => {
  const emu = await startTelegramEmulator();
  const token = botToken();
  const gw = await startChannelGateway({ config: telegramConfig(emu.apiRoot, token) });
  try {
    await telegramRunning(gw);
    const { runCli, cliEnv } = await import("../_helpers/gateway.ts");
    const res = await runCli([
      "message",
      "send",
      "--channel",
      "telegram",
      "--target",
      "31337",
      "--message",
      "from the cli",
      "--json",
      "--url",
      gw.proc.instance.url,
      "--token",
      TEST_TOKEN,
    ], cliEnv(gw.home));
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.channel, "telegram");
    assert.equal(out.chatId, "31337");
    const chat = makeUser(emu.apiRoot, token, { chatId: 31337 });
    assert.deepEqual((await chat.botMessages()).map((m) => m.text), ["from the cli"]);
  } finally {
    await gw.stop();
    await emu.stop();
  }
});

Deno.test("send: a key left pending by a crash is never sent again", CHANNEL_TEST, async () => {
  const emu = await startTelegramEmulator();
  const token = botToken();
  const home = await Deno.makeTempDir({ prefix: "openclaw-chan-" });
  // What a gateway that died between "pending" and the outcome leaves behind.
  await Deno.mkdir(`${home}/.openclaw/channels`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/.openclaw/channels/send-ledger.json`,
    JSON.stringify({
      version: 1,
      records: { "send:crashed": { at: Date.now(), state: "pending" } },
    }),
  );
  const gw = await startChannelGateway({ config: telegramConfig(emu.apiRoot, token), home });
  try {
    await telegramRunning(gw);
    const client = await gw.connect();
    try {
      const err = await client.request("send", {
        channel: "telegram",
        to: "5",
        message: "maybe twice?",
        idempotencyKey: "crashed",
      }).catch((e) => e);
      assert.match(String(err), /UNAVAILABLE.*"crashed" was interrupted by a gateway restart/);
    } finally {
      await client.close();
    }
    assert.equal((await makeUser(emu.apiRoot, token, { chatId: 5 }).botMessages()).length, 0);
  } finally {
    await gw.stop();
    await emu.stop();
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
