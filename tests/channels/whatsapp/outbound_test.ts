import assert from "node:assert/strict";
import type { WASocket } from "@whiskeysockets/baileys";
import { GatewayError } from "../../../src/errors.ts";
import {
  chunkText,
  mediaContent,
  type OutboundConnection,
  resolveTarget,
  sendMedia,
  sendText,
} from "../../../src/channels/whatsapp/outbound.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

/** An in-process stand-in for the socket: records what sendText hands Baileys. */
function recordingConnection(linked = true) {
  const calls: { jid: string; content: Record<string, unknown> }[] = [];
  const remembered: string[] = [];
  const sock = {
    sendMessage: (jid: string, content: Record<string, unknown>) => {
      calls.push({ jid, content });
      return Promise.resolve({ key: { id: `ID${calls.length}` } });
    },
  } as unknown as WASocket;
  const conn: OutboundConnection = {
    accountId: "default",
    settings: {},
    requireSocket() {
      if (!linked) throw new GatewayError("NOT_LINKED", 'WhatsApp account "default" is not linked');
      return sock;
    },
    rememberSent: (id) => void (id && remembered.push(id)),
  };
  return { conn, calls, remembered };
}

guardedTest({
  name: "chunkText() cuts at 4000, preferring newlines then spaces",
  fn: () => {
    assert.deepEqual(chunkText("short"), ["short"]);
    const para = "a".repeat(3000) + "\n" + "b".repeat(3000);
    assert.deepEqual(chunkText(para), ["a".repeat(3000), "b".repeat(3000)]);
    const words = ("word ".repeat(1000)).trim(); // 4999 chars
    const parts = chunkText(words);
    assert.equal(parts.length, 2);
    assert.ok(parts.every((p) => p.length <= 4000 && !p.startsWith(" ") && !p.endsWith(" ")));
    assert.equal(parts.join(" "), words);
    const solid = "x".repeat(8001);
    assert.deepEqual(chunkText(solid).map((c) => c.length), [4000, 4000, 1]);
  },
});

guardedTest({
  name: "sendText() sends each chunk without link previews and remembers the ids",
  fn: async () => {
    const { conn, calls, remembered } = recordingConnection();
    const res = await sendText(conn, "+1 555 765-4321", "x".repeat(4500) + " https://example.com");
    assert.equal(calls.length, 2);
    assert.equal(calls[0].jid, "15557654321@s.whatsapp.net");
    assert.ok(calls.every((c) => c.content.linkPreview === null));
    assert.deepEqual(res, {
      channel: "whatsapp",
      toJid: "15557654321@s.whatsapp.net",
      messageId: "ID2",
      messageIds: ["ID1", "ID2"],
    });
    assert.deepEqual(remembered, ["ID1", "ID2"]);
  },
});

guardedTest({
  name: "sendText() fails fast with NOT_LINKED and sends nothing",
  fn: async () => {
    const { conn, calls } = recordingConnection(false);
    await assert.rejects(sendText(conn, "+15557654321", "hi"), (e: GatewayError) => {
      return e.code === "NOT_LINKED";
    });
    assert.equal(calls.length, 0);
  },
});

guardedTest({
  name: "resolveTarget() accepts E.164 and JIDs and names a bad target",
  fn: () => {
    assert.equal(resolveTarget("+15557654321"), "15557654321@s.whatsapp.net");
    assert.equal(resolveTarget("120363000000000001@g.us"), "120363000000000001@g.us");
    assert.equal(resolveTarget("88887654321@lid"), "88887654321@lid");
    assert.throws(() => resolveTarget("alice"), /Invalid WhatsApp target "alice"/);
  },
});

guardedTest({
  name: "sendMedia() refuses media over the 5 MB cap before touching the socket",
  fn: async () => {
    const { conn, calls } = recordingConnection();
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    await assert.rejects(
      sendMedia(conn, "+15557654321", { data: big, mimetype: "image/png" }),
      /over the 5 MB cap/,
    );
    assert.equal(calls.length, 0);
    const ok = await sendMedia(conn, "+15557654321", {
      data: new Uint8Array(10),
      mimetype: "image/png",
      caption: "c",
    });
    assert.equal(ok.messageId, "ID1");
    assert.equal(calls[0].content.caption, "c");
  },
});

guardedTest({
  name: "mediaContent() sends audio as a voice note and ogg as opus",
  fn: () => {
    const c = mediaContent({ data: new Uint8Array(1), mimetype: "audio/ogg" }) as Record<
      string,
      unknown
    >;
    assert.equal(c.ptt, true);
    assert.equal(c.mimetype, "audio/ogg; codecs=opus");
    const d = mediaContent({ data: new Uint8Array(1), mimetype: "application/pdf" }) as Record<
      string,
      unknown
    >;
    assert.equal(d.fileName, "file");
  },
});
