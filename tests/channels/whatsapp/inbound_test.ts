import assert from "node:assert/strict";
import type { WAMessage } from "@whiskeysockets/baileys";
import {
  e164FromJid,
  type InboundContext,
  normalizeInbound,
  parseJid,
  SeenIds,
} from "../../../src/channels/whatsapp/inbound.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

function ctx(over: Partial<InboundContext> = {}): InboundContext {
  return {
    accountId: "default",
    self: { jid: "15550001111:1@s.whatsapp.net", lid: "99990001111:1@lid" },
    sentIds: new Set<string>(),
    seen: new SeenIds(),
    now: 1_700_000_000_000,
    ...over,
  };
}

function msg(over: Record<string, unknown> = {}, key: Record<string, unknown> = {}): WAMessage {
  return {
    key: {
      remoteJid: "88887654321@lid",
      remoteJidAlt: "15557654321@s.whatsapp.net",
      fromMe: false,
      id: "3EB0AAAA",
      ...key,
    },
    message: { conversation: "hi" },
    messageTimestamp: 1_700_000_001,
    pushName: "Alice",
    ...over,
  } as unknown as WAMessage;
}

guardedTest({
  name: "normalizeInbound() maps a LID-addressed DM with its phone-number alternative",
  fn: () => {
    const r = normalizeInbound(msg(), ctx());
    assert.ok("envelope" in r);
    assert.deepEqual(r.envelope, {
      channel: "whatsapp",
      accountId: "default",
      senderE164: "+15557654321",
      senderJid: "88887654321@lid",
      senderPnJid: "15557654321@s.whatsapp.net",
      senderLidJid: "88887654321@lid",
      senderName: "Alice",
      chatId: "88887654321@lid",
      isGroup: false,
      text: "hi",
      body: "hi",
      replyTo: undefined,
      media: undefined,
      fromSelf: false,
      messageId: "3EB0AAAA",
      timestamp: 1_700_000_001_000,
    });
  },
});

guardedTest({
  name: "normalizeInbound() appends the quoted-reply block the spec defines",
  fn: () => {
    const r = normalizeInbound(
      msg({
        message: {
          extendedTextMessage: {
            text: "yes, that one",
            contextInfo: {
              stanzaId: "3EB0QUOTED",
              participant: "15550001111@s.whatsapp.net",
              quotedMessage: { conversation: "which file?" },
            },
          },
        },
      }),
      ctx(),
    );
    assert.ok("envelope" in r);
    assert.equal(
      r.envelope.body,
      "yes, that one\n\n[Replying to +15550001111 id:3EB0QUOTED]\nwhich file?\n[/Replying]",
    );
    assert.deepEqual(r.envelope.replyTo, {
      id: "3EB0QUOTED",
      sender: "+15550001111",
      body: "which file?",
    });
  },
});

guardedTest({
  name: "normalizeInbound() drops status and broadcast chats, own echoes and duplicates",
  fn: () => {
    assert.deepEqual(
      normalizeInbound(msg({}, { remoteJid: "status@broadcast" }), ctx()),
      { drop: "broadcast" },
    );
    assert.deepEqual(
      normalizeInbound(msg({}, { remoteJid: "15557654321@s.whatsapp.net", fromMe: true }), ctx()),
      { drop: "own_echo" },
    );
    const c = ctx();
    assert.ok("envelope" in normalizeInbound(msg(), c));
    assert.deepEqual(normalizeInbound(msg(), c), { drop: "duplicate" });
    assert.deepEqual(normalizeInbound(msg({ message: { reactionMessage: {} } }, { id: "X2" }), c), {
      drop: "empty",
    });
  },
});

guardedTest({
  name: "normalizeInbound() accepts self-chat messages but not the echo of its own reply",
  fn: () => {
    const self = { remoteJid: "15550001111@s.whatsapp.net", remoteJidAlt: undefined, fromMe: true };
    const r = normalizeInbound(msg({}, { ...self, id: "MINE1" }), ctx());
    assert.ok("envelope" in r);
    assert.equal(r.envelope.fromSelf, true);
    assert.deepEqual(
      normalizeInbound(msg({}, { ...self, id: "SENT1" }), ctx({ sentIds: new Set(["SENT1"]) })),
      { drop: "own_echo" },
    );
  },
});

guardedTest({
  name: "normalizeInbound() takes a group sender from participant and keeps the group chat id",
  fn: () => {
    const r = normalizeInbound(
      msg({ message: { imageMessage: { caption: "look", mimetype: "image/jpeg" } } }, {
        remoteJid: "120363000000000001@g.us",
        participant: "15557654321@s.whatsapp.net",
        participantAlt: "88887654321@lid",
      }),
      ctx(),
    );
    assert.ok("envelope" in r);
    assert.equal(r.envelope.isGroup, true);
    assert.equal(r.envelope.chatId, "120363000000000001@g.us");
    assert.equal(r.envelope.senderE164, "+15557654321");
    assert.equal(r.envelope.senderLidJid, "88887654321@lid");
    assert.equal(r.envelope.text, "<media:image> look");
    assert.deepEqual(r.envelope.media, { kind: "image", mimetype: "image/jpeg" });
  },
});

guardedTest({
  name: "parseJid() and e164FromJid() handle devices, LIDs and junk",
  fn: () => {
    assert.deepEqual(parseJid("1555:3@s.whatsapp.net"), {
      user: "1555",
      server: "s.whatsapp.net",
      device: 3,
    });
    assert.equal(e164FromJid("15551234567:2@s.whatsapp.net"), "+15551234567");
    assert.equal(e164FromJid("88887654321@lid"), undefined);
    assert.equal(e164FromJid("nonsense"), undefined);
  },
});

guardedTest({
  name: "SeenIds forgets the oldest past its bound",
  fn: () => {
    const s = new SeenIds(2, 60_000);
    assert.equal(s.seen("a", 0), false);
    assert.equal(s.seen("b", 0), false);
    assert.equal(s.seen("c", 0), false);
    assert.equal(s.seen("a", 0), false);
    assert.equal(s.seen("c", 0), true);
  },
});
