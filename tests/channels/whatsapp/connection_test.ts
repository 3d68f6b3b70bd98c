import assert from "node:assert/strict";
import { GatewayError } from "../../../src/errors.ts";
import { sendText } from "../../../src/channels/whatsapp/outbound.ts";
import { BAILEYS_TEST, startHarness, until } from "./_harness.ts";

const ALICE = { pn: "15557654321", lid: "88887654321", name: "Alice" };

Deno.test({
  name:
    "WhatsAppConnection links by QR (515 restart), receives, sends, reconnects, and stops on removal",
  ...BAILEYS_TEST,
}, async (t) => {
  await using h = await startHarness();
  const alice = h.server.addPeer(ALICE);
  const conn = h.connection();

  await t.step("unlinked account starts nothing and sends answer NOT_LINKED", async () => {
    const s = await conn.start();
    assert.equal(s.linked, false);
    assert.equal(s.state, "not_linked");
    assert.equal(h.server.connections, 0);
    await assert.rejects(sendText(conn, alice.pnJid, "x"), (err: GatewayError) => {
      assert.equal(err.code, "NOT_LINKED");
      assert.match(err.message, /openclaw channels login --account default/);
      return true;
    });
  });

  await t.step("QR link, pair-success, 515 restart, open", async () => {
    await h.link(conn);
    const s = conn.status();
    assert.equal(s.linked, true);
    assert.equal(s.connected, true);
    assert.equal(s.self?.jid, "15550001111:1@s.whatsapp.net");
    assert.equal(s.self?.e164, "+15550001111");
    assert.equal(s.reconnectAttempts, 0);
    assert.ok(h.lines.some((l) => /restart \(515\)/.test(l)), "the 515 restart is logged");
    // pairing socket + the socket after the 515 restart
    assert.equal(h.server.connections, 2);
    const creds = await Deno.stat(`${h.stateDir}/credentials/whatsapp/default/creds.json`);
    assert.equal(creds.mode! & 0o777, 0o600);
    const dir = await Deno.stat(`${h.stateDir}/credentials/whatsapp/default`);
    assert.equal(dir.mode! & 0o777, 0o700);
  });

  await t.step("inbound DM is decrypted, normalised, and read-receipted", async () => {
    const read = h.server.waitFor<{ attrs: Record<string, string> }>(
      "receipt",
      (n) => n.attrs.type === "read",
    );
    const next = h.nextInbound();
    const id = await h.server.deliverText(alice, "hello from Alice");
    const env = await next;
    assert.equal(env.channel, "whatsapp");
    assert.equal(env.accountId, "default");
    assert.equal(env.text, "hello from Alice");
    assert.equal(env.messageId, id);
    assert.equal(env.senderE164, "+15557654321");
    assert.equal(env.senderLidJid, "88887654321@lid");
    assert.equal(env.senderPnJid, "15557654321@s.whatsapp.net");
    assert.equal(env.senderName, "Alice");
    assert.equal(env.isGroup, false);
    assert.equal(env.fromSelf, false);
    assert.equal((await read).attrs.id, id);
  });

  await t.step("a quoted reply arrives with the spec's [Replying to ...] block", async () => {
    const next = h.nextInbound((e) => e.text === "yes, that one");
    await h.server.deliverMessage(alice, {
      extendedTextMessage: {
        text: "yes, that one",
        contextInfo: {
          stanzaId: "3EB0QUOTED01",
          participant: "15550001111@s.whatsapp.net",
          quotedMessage: { conversation: "which file?" },
        },
      },
    });
    const env = await next;
    assert.equal(
      env.body,
      "yes, that one\n\n[Replying to +15550001111 id:3EB0QUOTED01]\nwhich file?\n[/Replying]",
    );
  });

  await t.step("a phone-number-addressed message keeps both JIDs", async () => {
    const next = h.nextInbound((e) => e.text === "via pn");
    await h.server.deliverText(alice, "via pn", { lidAddressed: false });
    const env = await next;
    assert.equal(env.senderJid, "15557654321@s.whatsapp.net");
    assert.equal(env.senderE164, "+15557654321");
    assert.equal(env.senderLidJid, "88887654321@lid");
    assert.equal(env.chatId, "15557654321@s.whatsapp.net");
  });

  await t.step("a redelivered message id is dropped as a duplicate", async () => {
    const id = await h.server.deliverText(alice, "once");
    await until(() => h.inbound.some((e) => e.messageId === id), "first delivery");
    await h.server.deliverText(alice, "once", { id });
    const marker = await h.server.deliverText(alice, "after");
    await until(() => h.inbound.some((e) => e.messageId === marker), "marker message");
    assert.equal(h.inbound.filter((e) => e.messageId === id).length, 1);
  });

  await t.step("sendText reaches the peer, decrypted, without a link preview", async () => {
    const seen = h.server.waitFor<
      { decrypted: { jid: string; message?: Record<string, unknown> }[] }
    >(
      "client-message",
    );
    const res = await sendText(conn, "+15557654321", "hi Alice https://example.com/x");
    assert.equal(res.toJid, "15557654321@s.whatsapp.net");
    const rec = await seen;
    const copy = rec.decrypted.find((d) =>
      d.jid.startsWith(ALICE.pn) || d.jid.startsWith(ALICE.lid)
    );
    const m = copy?.message as {
      conversation?: string;
      extendedTextMessage?: { text?: string; title?: string };
    };
    assert.equal(m.extendedTextMessage?.text ?? m.conversation, "hi Alice https://example.com/x");
    assert.equal(m.extendedTextMessage?.title, undefined);
  });

  await t.step("a reply to a LID-addressed chat id reaches the peer", async () => {
    const next = h.nextInbound((e) => e.text === "reply here");
    await h.server.deliverText(alice, "reply here");
    const env = await next;
    assert.equal(env.chatId, "88887654321@lid");
    const seen = h.server.waitFor<
      { to: string; decrypted: { jid: string; message?: Record<string, unknown> }[] }
    >("client-message");
    await sendText(conn, env.chatId, "replying to your LID");
    const rec = await seen;
    const copy = rec.decrypted.find((d) =>
      d.jid.startsWith(ALICE.lid) || d.jid.startsWith(ALICE.pn)
    );
    const m = copy?.message as {
      conversation?: string;
      extendedTextMessage?: { text?: string };
    };
    assert.equal(m.extendedTextMessage?.text ?? m.conversation, "replying to your LID");
  });

  await t.step("socket dropped -> reconnects with backoff and works again", async () => {
    const before = h.server.connections;
    h.server.dropAll();
    await until(() => conn.status().state === "reconnecting", "reconnecting state");
    assert.equal(conn.status().reconnectAttempts, 1);
    await conn.waitForOpen(10_000);
    assert.equal(h.server.connections, before + 1);
    assert.equal(conn.status().reconnectAttempts, 0);
    const next = h.nextInbound((e) => e.text === "still there?");
    await h.server.deliverText(alice, "still there?");
    await next;
  });

  await t.step(
    "device removed -> logged out, not linked, auth deleted, send NOT_LINKED",
    async () => {
      h.server.removeDevice();
      await until(() => conn.status().state === "logged_out", "logged_out state");
      const s = conn.status();
      assert.equal(s.linked, false);
      assert.equal(s.connected, false);
      assert.match(s.lastError ?? "", /openclaw channels login --account default/);
      await until(
        () => {
          try {
            Deno.statSync(`${h.stateDir}/credentials/whatsapp/default`);
            return false;
          } catch {
            return true;
          }
        },
        "auth state deletion",
      );
      const conns = h.server.connections;
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(h.server.connections, conns, "no reconnect after logout");
      await assert.rejects(
        sendText(conn, alice.pnJid, "x"),
        (err: GatewayError) => err.code === "NOT_LINKED",
      );
    },
  );
});
