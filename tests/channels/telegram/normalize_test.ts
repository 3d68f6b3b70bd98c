import assert from "node:assert/strict";
import { normalizeUpdate, parseTelegramTarget } from "../../../src/channels/telegram/_normalize.ts";

const bot = { id: 666, username: "TestNameBot" };
const from = { id: 7, first_name: "Ann", last_name: "Lee", username: "ann" };

Deno.test("normalizeUpdate() maps a DM with a photo and a quoted reply", () => {
  const n = normalizeUpdate(
    {
      update_id: 10,
      message: {
        message_id: 3,
        date: 100,
        from,
        chat: { id: 7, type: "private" },
        caption: "look",
        photo: [{ file_id: "small" }, { file_id: "big", file_size: 10 }],
        reply_to_message: {
          message_id: 2,
          chat: { id: 7, type: "private" },
          from,
          text: "earlier",
        },
      },
    },
    bot,
    "default",
  )!;
  assert.equal(n.envelope.chatType, "dm");
  assert.equal(n.envelope.senderId, "7");
  assert.equal(n.envelope.senderName, "Ann Lee");
  assert.equal(n.envelope.dedupeKey, "10");
  assert.equal(
    n.envelope.text,
    "look\n<media:image>\n\n[Replying to Ann Lee id:2]\nearlier\n[/Replying]",
  );
  assert.deepEqual(n.media, { kind: "image", fileId: "big", size: 10, mimeType: "image/jpeg" });
  assert.equal(n.envelope.timestamp, 100_000);
});

Deno.test("normalizeUpdate() detects mentions, echoes, topics; ignores channels", () => {
  const group = { id: -100, type: "supergroup", is_forum: true };
  const n = normalizeUpdate(
    {
      update_id: 1,
      message: {
        message_id: 1,
        from,
        chat: group,
        message_thread_id: 9,
        is_topic_message: true,
        text: "hey @testnamebot",
        entities: [{ type: "mention", offset: 4, length: 12 }],
      },
    },
    bot,
    "default",
  )!;
  assert.equal(n.envelope.mentioned, true);
  assert.equal(n.envelope.threadId, "9");
  const reply = normalizeUpdate(
    {
      update_id: 2,
      message: {
        message_id: 2,
        from,
        chat: group,
        text: "yes",
        reply_to_message: { message_id: 1, chat: group, from: { id: 666, is_bot: true } },
      },
    },
    bot,
    "default",
  )!;
  assert.equal(reply.envelope.mentioned, true, "a reply to the bot counts as a mention");
  const echo = normalizeUpdate(
    {
      update_id: 3,
      message: { message_id: 3, from: { id: 666, is_bot: true }, chat: group, text: "me" },
    },
    bot,
    "default",
  )!;
  assert.equal(echo.envelope.fromSelf, true);
  assert.equal(
    normalizeUpdate(
      { update_id: 4, message: { message_id: 4, chat: { id: -1, type: "channel" } } },
      bot,
      "a",
    ),
    undefined,
  );
  assert.equal(normalizeUpdate({ update_id: 5 }, bot, "a"), undefined);
});

Deno.test("parseTelegramTarget() accepts ids, @names and topics; names bad input", () => {
  assert.deepEqual(parseTelegramTarget("123"), { chatId: "123" });
  assert.deepEqual(parseTelegramTarget("tg:-1001:topic:7"), { chatId: "-1001", threadId: "7" });
  assert.deepEqual(parseTelegramTarget("@my_channel"), { chatId: "@my_channel" });
  assert.throws(() => parseTelegramTarget("hello world"), /Invalid Telegram target "hello world"/);
});

Deno.test("normalizeUpdate() turns /cmd@ThisBot into /cmd and leaves other bots' commands", () => {
  const chat = { id: -5, type: "group" };
  const mine = normalizeUpdate(
    {
      update_id: 1,
      message: { message_id: 1, from, chat, text: "/new@TestNameBot now" },
    },
    bot,
    "default",
  )!;
  assert.equal(mine.envelope.text, "/new now");
  const theirs = normalizeUpdate(
    {
      update_id: 2,
      message: { message_id: 2, from, chat, text: "/new@OtherBot" },
    },
    bot,
    "default",
  )!;
  assert.equal(theirs.envelope.text, "/new@OtherBot");
});
