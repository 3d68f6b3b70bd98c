/**
 * Telegram DMs end to end: emulator <-> gateway (grammY, real sockets) <->
 * echo engine (test double). Allowed DM, pairing, chunking, streaming.
 */

import assert from "node:assert/strict";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  eventually,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { makeUser, postJson, startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { PAIRING_ALPHABET } from "../../src/channels/pairing.ts";

Deno.test(
  "telegram: an allowed DM is answered in the same chat with typing shown",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [4242] }, {
        messages: { responsePrefix: "[bot]" },
      }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 4242, userId: 4242 });
      await user.sendText("hello there");
      const msgs = await user.waitFor((m) => m.at(-1)?.text === "[bot] echo: hello there", 5000);
      assert.equal(msgs.at(-1)?.chat.id, 4242);
      assert.equal(engine.requests.length, 1);
      assert.equal(engine.requests[0].sessionKey, "agent:main:main");
      assert.equal(engine.requests[0].channel, "telegram");
      const actions = (await postJson(emu.apiRoot, "/getChatActions", { token })).result;
      assert.ok(
        actions.some((a: { action: string; chat_id: number }) =>
          a.action === "typing" && a.chat_id === 4242
        ),
      );
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "telegram: an unknown sender gets one pairing code; approval lets the next message through",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine();
    const gw = await startChannelGateway({ config: telegramConfig(emu.apiRoot, token), engine });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 555, userId: 555 });
      await user.sendText("let me in");
      const [reply] = await user.waitFor((m) => m.length === 1, 5000, "pairing reply");
      const code = /Pairing code: ([A-Z0-9]+)/.exec(reply.text ?? "")?.[1];
      assert.ok(code, String(reply.text));
      assert.equal(code.length, 8);
      for (const ch of code) assert.ok(PAIRING_ALPHABET.includes(ch), `code char ${ch}`);
      assert.match(reply.text!, /openclaw pairing approve telegram /);

      // A second message while pending: no new code, no agent run.
      await user.sendText("hello?");
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await user.botMessages()).length, 1);
      assert.equal(engine.requests.length, 0);

      const client = await gw.connect();
      try {
        const list = await client.request<{ requests: Array<{ code: string; senderId: string }> }>(
          "channels.pairing.list",
          { channel: "telegram" },
        );
        assert.deepEqual(list.requests.map((r) => [r.code, r.senderId]), [[code, "555"]]);
        const approved = await client.request<{ senderId: string; notified: boolean }>(
          "channels.pairing.approve",
          { channel: "telegram", code, notify: true },
        );
        assert.equal(approved.senderId, "555");
        assert.equal(approved.notified, true);
        const bad = await client.request("channels.pairing.approve", {
          channel: "telegram",
          code: "ZZZZZZZZ",
        }).catch((e) => e);
        assert.match(String(bad), /INVALID_REQUEST.*ZZZZZZZZ/);
      } finally {
        await client.close();
      }
      await user.sendText("now?");
      await user.waitFor((m) => m.at(-1)?.text === "echo: now?", 5000, "answer after approval");
      const stat = await Deno.stat(`${gw.home}/.openclaw/credentials/telegram-allowFrom.json`);
      assert.equal(stat.mode! & 0o777, 0o600);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test("telegram: a long reply is chunked at textChunkLimit", CHANNEL_TEST, async () => {
  const emu = await startTelegramEmulator();
  const token = botToken();
  const para = "word ".repeat(300).trim(); // 1499 chars
  const engine = new EchoEngine({ reply: () => Array(6).fill(para).join("\n\n") });
  const gw = await startChannelGateway({
    config: telegramConfig(emu.apiRoot, token, {
      allowFrom: ["*"],
      dmPolicy: "open",
      streaming: "off",
    }),
    engine,
  });
  try {
    await telegramRunning(gw);
    const user = makeUser(emu.apiRoot, token, { chatId: 77, userId: 77 });
    await user.sendText("long please");
    const msgs = await user.waitFor((m) => m.length >= 3, 5000, "three chunks");
    await new Promise((r) => setTimeout(r, 200));
    const all = await user.botMessages();
    assert.equal(all.length, 3);
    for (const m of all) assert.ok(m.text!.length <= 4000, `chunk of ${m.text!.length}`);
    assert.equal(
      all.map((m) => m.text).join(" ").replace(/\s+/g, " "),
      Array(6).fill(para).join(" "),
    );
    assert.ok(msgs.every((m) => m.edits === 0));
  } finally {
    await gw.stop();
    await emu.stop();
  }
});

Deno.test(
  "telegram: streaming edits one preview message, then the final text",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({
      reply: () => "The quick brown fox jumps over the lazy dog",
      deltas: 4,
      deltaDelayMs: 450,
    });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [9], streaming: "partial" }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 9, userId: 9 });
      await user.sendText("stream it");
      const msgs = await user.waitFor(
        (m) => m.at(-1)?.text === "The quick brown fox jumps over the lazy dog",
        8000,
        "final streamed text",
      );
      assert.equal(msgs.length, 1, "one message, edited in place");
      assert.ok(msgs[0].edits >= 2, `edits: ${msgs[0].edits}`);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test("telegram: NO_REPLY is not sent", CHANNEL_TEST, async () => {
  const emu = await startTelegramEmulator();
  const token = botToken();
  const engine = new EchoEngine({ reply: (r) => (r.message === "quiet" ? "NO_REPLY" : "ok") });
  const gw = await startChannelGateway({
    config: telegramConfig(emu.apiRoot, token, { allowFrom: [10] }),
    engine,
  });
  try {
    await telegramRunning(gw);
    const user = makeUser(emu.apiRoot, token, { chatId: 10, userId: 10 });
    await user.sendText("quiet");
    await user.sendText("loud");
    await user.waitFor((m) => m.some((x) => x.text === "ok"), 5000, "second answer");
    await eventually(() => engine.requests.length === 2, "both runs");
    assert.deepEqual((await user.botMessages()).map((m) => m.text), ["ok"]);
  } finally {
    await gw.stop();
    await emu.stop();
  }
});

Deno.test(
  "telegram: a failed run answers once per errorCooldownMs (errorPolicy reply)",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ failOn: /^fail/ });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [11], streaming: "off" }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 11, userId: 11 });
      await user.sendText("fail one");
      await user.sendText("fail two");
      await user.sendText("fine");
      await user.waitFor((m) => m.at(-1)?.text === "echo: fine", 5000, "answer after failures");
      const texts = (await user.botMessages()).map((m) => m.text);
      assert.deepEqual(texts, [
        "⚠️ Agent failed before reply: echo engine was told to fail",
        "echo: fine",
      ]);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "telegram: DMs of two users share the main session and wait in its lane, in order",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ deltas: 1, deltaDelayMs: 150 });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [1, 2], streaming: "off" }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const a = makeUser(emu.apiRoot, token, { chatId: 1, userId: 1 });
      const b = makeUser(emu.apiRoot, token, { chatId: 2, userId: 2 });
      await Promise.all([a.sendText("a1"), b.sendText("b1")]);
      await a.sendText("a2");
      await a.waitFor((m) => m.length === 2, 5000, "two answers to a");
      await b.waitFor((m) => m.length === 1, 5000, "one answer to b");
      assert.deepEqual((await a.botMessages()).map((m) => m.text), ["echo: a1", "echo: a2"]);
      assert.equal(
        engine.maxAdmitted,
        1,
        "the pipeline waits for the session's run before the next",
      );
      assert.ok(engine.requests.every((r) => r.sessionKey === "agent:main:main"));
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
