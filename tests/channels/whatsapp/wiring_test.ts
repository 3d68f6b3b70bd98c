/**
 * The pure parts of WhatsApp's wiring: the closed `channels.whatsapp` config
 * and its defaults, `allowFrom` normalisation, the envelope mapping (self-chat
 * trusted, group mentions), and the shared pipeline's `trusted` and
 * `onAccepted` hooks.
 */

import assert from "node:assert/strict";
import { parseConfigText } from "../../../src/config/load.ts";
import { normalizeWhatsAppEntry, resolveWhatsApp } from "../../../src/channels/whatsapp/config.ts";
import { toInboundEnvelope } from "../../../src/channels/whatsapp/_envelope.ts";
import { guessMimeType } from "../../../src/channels/whatsapp/adapter.ts";
import type { WhatsAppInboundEnvelope } from "../../../src/channels/whatsapp/types.ts";
import { createPipeline } from "../../../src/channels/pipeline.ts";
import { PairingStore } from "../../../src/channels/pairing.ts";
import type { ChannelAdapter, InboundEnvelope } from "../../../src/channels/types.ts";
import { createLogSink } from "../../../src/log/logger.ts";
import { EchoEngine } from "../../_helpers/echo_engine.ts";
import { resolveChannelSettings } from "../../../src/channels/settings.ts";
import { ChannelManager } from "../../../src/channels/mod.ts";
import { channelHealth } from "../../../src/channels/compose.ts";

Deno.test("channels.whatsapp config is closed: a typo is an issue naming the key", async () => {
  const snap = await parseConfigText(
    "/x/openclaw.json",
    JSON.stringify({ channels: { whatsapp: { allowfrom: ["+1555"] } } }),
    {},
  );
  assert.ok(
    snap.issues.some((i) =>
      i.path.includes("channels.whatsapp") && /allowfrom/.test(
        `${i.path} ${i.message}`,
      )
    ),
    JSON.stringify(snap.issues),
  );
  const ok = await parseConfigText(
    "/x/openclaw.json",
    JSON.stringify({
      channels: {
        whatsapp: {
          wsUrl: "ws://127.0.0.1:1/ws/chat",
          sendReadReceipts: false,
          reconnect: { initialMs: 500, maxAttempts: 3 },
          accounts: { work: { authDir: "/srv/wa", dmPolicy: "allowlist", allowFrom: ["+1555"] } },
        },
      },
    }),
    {},
  );
  assert.deepEqual(ok.issues, []);
});

Deno.test("resolveWhatsApp() applies the spec defaults and lets account keys override", () => {
  const { accounts, issues } = resolveWhatsApp({
    allowFrom: ["whatsapp:+1 (555) 123-4567"],
    accounts: { work: { mediaMaxMb: 2, enabled: false }, default: {} },
  }, "/state");
  assert.deepEqual(issues, []);
  assert.deepEqual(accounts.map((a) => a.accountId), ["default", "work"]);
  const d = accounts[0];
  assert.equal(d.authDir, "/state/credentials/whatsapp/default");
  assert.equal(d.access.dmPolicy, "pairing");
  assert.deepEqual(d.access.allowFrom, ["+15551234567"]);
  assert.equal(d.reply.textChunkLimit, 4000);
  assert.equal(d.reply.streaming, "off");
  assert.equal(d.mediaMaxBytes, 5 * 1024 * 1024);
  assert.equal(d.sendReadReceipts, true);
  assert.equal(accounts[1].mediaMaxBytes, 2 * 1024 * 1024);
  assert.equal(accounts[1].enabled, false);
  const open = resolveWhatsApp({ dmPolicy: "open" }, "/s");
  assert.match(open.issues[0], /channels\.whatsapp\.dmPolicy is "open" but allowFrom has no "\*"/);
  const { settings } = resolveChannelSettings({ channels: { whatsapp: {} } }, {}, {
    stateDir: "/s",
    configPath: "/s/openclaw.json",
  });
  assert.equal(settings.whatsapp?.accounts[0].accountId, "default");
  const off = resolveChannelSettings({ channels: { whatsapp: { enabled: false } } }, {}, {
    stateDir: "/s",
    configPath: "/s/openclaw.json",
  });
  assert.equal(off.settings.whatsapp, undefined);
});

Deno.test("normalizeWhatsAppEntry() turns numbers into E.164 and keeps * and JIDs", () => {
  assert.equal(normalizeWhatsAppEntry("+1 555 123 4567"), "+15551234567");
  assert.equal(normalizeWhatsAppEntry("15551234567"), "+15551234567");
  assert.equal(normalizeWhatsAppEntry("*"), "*");
  assert.equal(normalizeWhatsAppEntry("123@g.us"), "123@g.us");
});

const base: WhatsAppInboundEnvelope = {
  channel: "whatsapp",
  accountId: "default",
  senderE164: "+15557654321",
  senderJid: "88887654321@lid",
  chatId: "88887654321@lid",
  isGroup: false,
  text: "hi",
  body: "hi",
  fromSelf: false,
  messageId: "M1",
  timestamp: 1,
};
const self = { jid: "15550001111@s.whatsapp.net", e164: "+15550001111", lid: "99990001111@lid" };

Deno.test("toInboundEnvelope() maps a DM: E.164 sender, reply to the chat JID", () => {
  const env = toInboundEnvelope({ ...base, senderName: "Alice" }, self);
  assert.equal(env.senderId, "+15557654321");
  assert.equal(env.chatId, "88887654321@lid");
  assert.equal(env.chatType, "dm");
  assert.equal(env.dedupeKey, "88887654321@lid|M1");
  assert.equal(env.mentioned, false);
  assert.equal(env.trusted, undefined);
  assert.equal(
    toInboundEnvelope({ ...base, senderE164: undefined }, self).senderId,
    base.senderJid,
  );
});

Deno.test("toInboundEnvelope() trusts self-chat and detects group mentions of the linked number", () => {
  assert.equal(toInboundEnvelope({ ...base, fromSelf: true }, self).trusted, true);
  const group = { ...base, isGroup: true, chatId: "120363@g.us" };
  assert.equal(toInboundEnvelope(group, self).mentioned, false);
  assert.equal(toInboundEnvelope(group, self).chatType, "group");
  assert.equal(
    toInboundEnvelope({ ...group, mentionedJids: ["99990001111@lid"] }, self).mentioned,
    true,
  );
  assert.equal(
    toInboundEnvelope({ ...group, mentionedJids: ["15550001111@s.whatsapp.net"] }, self).mentioned,
    true,
  );
  assert.equal(
    toInboundEnvelope({ ...group, mentionedJids: ["15559999999@s.whatsapp.net"] }, self).mentioned,
    false,
  );
  const reply = { ...group, replyTo: { id: "Q", sender: "+15550001111", body: "x" } };
  assert.equal(toInboundEnvelope(reply, self).mentioned, true);
});

Deno.test("guessMimeType() uses the given type, else the extension", () => {
  assert.equal(guessMimeType("a.PNG"), "image/png");
  assert.equal(guessMimeType("v.ogg"), "audio/ogg");
  assert.equal(guessMimeType("x.bin"), "application/octet-stream");
  assert.equal(guessMimeType("a.png", "image/webp"), "image/webp");
});

Deno.test("pipeline: a trusted DM skips pairing; onAccepted fires for admitted messages only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sent: string[] = [];
    const adapter = {
      channel: "whatsapp",
      accountId: "default",
      sendText: (_t: unknown, text: string) => {
        sent.push(text);
        return Promise.resolve({ messageId: String(sent.length), chatId: "c" });
      },
    } as unknown as ChannelAdapter;
    const engine = new EchoEngine();
    const pipeline = createPipeline({
      engine: () => engine,
      pairing: new PairingStore({ dir }),
      settings: () => ({
        access: resolveWhatsApp({}, dir).accounts[0].access,
        reply: resolveWhatsApp({}, dir).accounts[0].reply,
        mainKey: "main",
        agentId: "main",
      }),
      adapter: () => adapter,
      log: createLogSink({ fileLevel: "silent", consoleLevel: "silent" }).logger("t"),
    });
    const env = (over: Partial<InboundEnvelope>): InboundEnvelope => ({
      ...toInboundEnvelope(base, self),
      ...over,
    });
    let accepted = 0;
    await pipeline.handle(env({ dedupeKey: "1", onAccepted: () => accepted++ }));
    assert.equal(accepted, 0, "an unknown sender is not admitted");
    assert.match(sent[0], /Pairing code: /);
    await pipeline.handle(env({ dedupeKey: "2", trusted: true, onAccepted: () => accepted++ }));
    assert.equal(accepted, 1);
    assert.equal(sent.at(-1), "echo: hi");
    assert.equal(engine.requests.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ChannelManager runs WhatsApp accounts: status rows, /ready, selfChatMode prefix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sent: string[] = [];
    const adapter = {
      channel: "whatsapp",
      accountId: "default",
      start: () => Promise.resolve(),
      stop: () => Promise.resolve(),
      status: () => ({
        running: true,
        connected: false,
        linked: false,
        connection: "not_linked",
        ready: true,
        reconnectAttempts: 0,
      }),
      sendText: (_t: unknown, text: string) => {
        sent.push(text);
        return Promise.resolve({ messageId: "1", chatId: "c" });
      },
    } as unknown as ChannelAdapter;
    const accounts = resolveWhatsApp({ selfChatMode: true }, dir).accounts;
    const engine = new EchoEngine();
    const manager = new ChannelManager({
      settings: () => ({ mainKey: "main", whatsapp: { accounts } }),
      stateDir: dir,
      engine: () => engine,
      log: createLogSink({ fileLevel: "silent", consoleLevel: "silent" }).logger("t"),
      factory: () => Promise.resolve(adapter),
    });
    manager.start();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(manager.configured(), ["whatsapp"]);
    const st = manager.statusNow().whatsapp;
    assert.equal(st.configured, true);
    assert.equal(st.accounts[0].linked, false);
    assert.equal(st.accounts[0].connection, "not_linked");
    const health = channelHealth(st);
    assert.equal(health.linked, false);
    assert.deepEqual(
      (health.probe as { accounts: Array<{ state: string }> }).accounts.map((a) => a.state),
      ["not_linked"],
    );
    await manager.pipeline.handle({ ...toInboundEnvelope(base, self), trusted: true });
    assert.equal(sent.at(-1), "[openclaw] echo: hi");
    await manager.stop();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
