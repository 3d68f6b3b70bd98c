/**
 * Telegram groups end to end: allowlisted group, mention gating (native and
 * mentionPatterns), pending history as context, forum topics.
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
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";

const GROUP = -1001234;

Deno.test(
  "telegram: a group message is answered only when the bot is mentioned",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ reply: () => "group answer" });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, {
        groupPolicy: "open",
        groups: { [String(GROUP)]: {} },
        mentionPatterns: ["\\bclawd\\b"],
      }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const bob = makeUser(emu.apiRoot, token, {
        chatId: GROUP,
        userId: 31,
        type: "supergroup",
        firstName: "Bob",
        userName: "bob",
      });
      await bob.sendText("just chatting");
      await bob.sendText("more chatting");
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(engine.requests.length, 0, "no run without a mention");
      assert.equal((await bob.botMessages()).length, 0);

      await bob.sendText("@TestNameBot what do you think?", {
        entities: [{ type: "mention", offset: 0, length: 12 }],
      });
      await bob.waitFor((m) => m.length === 1, 5000, "answer to the mention");
      const req = engine.requests[0];
      assert.equal(req.sessionKey, `agent:main:telegram:group:${GROUP}`);
      assert.match(req.message, /\[Chat messages since your last reply - for context\]/);
      assert.match(req.message, /Bob \(@bob\): just chatting\nBob \(@bob\): more chatting/);
      assert.match(req.message, /\[Current message - respond to this\]\n@TestNameBot what/);
      assert.match(req.message, /\[from: Bob \(@bob\) \(31\)\]/);

      // mentionPatterns trigger too; the history was consumed by the last answer.
      await bob.sendText("hey clawd, again");
      await bob.waitFor((m) => m.length === 2, 5000, "answer to the pattern");
      assert.doesNotMatch(engine.requests[1].message, /for context/);

      // A group not in `groups` is ignored entirely.
      const other = makeUser(emu.apiRoot, token, {
        chatId: -100999,
        userId: 31,
        type: "supergroup",
      });
      await other.sendText("@TestNameBot hello", {
        entities: [{ type: "mention", offset: 0, length: 12 }],
      });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await other.botMessages()).length, 0);
      assert.equal(engine.requests.length, 2);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "telegram: replies stay in the forum topic; topics are separate sessions",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, {
        groupPolicy: "open",
        groups: { "*": { requireMention: false } },
      }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const u = makeUser(emu.apiRoot, token, {
        chatId: GROUP,
        userId: 5,
        type: "supergroup",
        isForum: true,
      });
      await u.sendText("in topic", { message_thread_id: 42, is_topic_message: true });
      const [m] = await u.waitFor((x) => x.length === 1, 5000, "topic reply");
      assert.equal(m.message_thread_id, 42);
      await eventually(() => engine.requests.length === 1, "run");
      assert.equal(engine.requests[0].sessionKey, `agent:main:telegram:group:${GROUP}:topic:42`);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "telegram: replyToMode first quotes the triggering message on the first reply only",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ reply: () => "aaaa bbbb cccc" });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, {
        groupPolicy: "open",
        groups: { "*": { requireMention: false } },
        replyToMode: "first",
        textChunkLimit: 5,
        streaming: "off",
      }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const u = makeUser(emu.apiRoot, token, { chatId: GROUP, userId: 5, type: "supergroup" });
      const sent = await u.sendText("quote me");
      assert.ok(sent.ok !== false);
      const msgs = await u.waitFor((m) => m.length === 3, 5000, "three chunks");
      await eventually(() => engine.requests.length === 1, "run");
      assert.ok(msgs[0].reply_to_message?.message_id, JSON.stringify(msgs[0]));
      assert.equal(msgs[1].reply_to_message, undefined);
      assert.equal(msgs[2].reply_to_message, undefined);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
