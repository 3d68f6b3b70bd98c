/**
 * WhatsApp through the whole gateway: real Baileys against the fake WhatsApp
 * Web server (net guard on), the real agent engine on the scripted provider.
 * Link by `web.login.*`, an allowed DM answered and read-receipted, `send`,
 * health, a dropped socket, a removed device.
 */

import assert from "node:assert/strict";
import { eventually } from "../../_helpers/channels.ts";
import { BAILEYS_TEST } from "./_harness.ts";
import { startWaGateway } from "./_gateway.ts";

const ALICE = { pn: "15557654321", lid: "88887654321", name: "Alice" };

Deno.test({
  name: "whatsapp gateway: link by web.login, answer an allowed DM, send, survive a drop, unlink",
  ...BAILEYS_TEST,
}, async (t) => {
  await using h = await startWaGateway({ whatsapp: { allowFrom: ["+1 555 765-4321"] } });
  const alice = h.server.addPeer(ALICE);

  await t.step(
    "before linking: not linked in health, send fails at once with NOT_LINKED",
    async () => {
      await eventually(async () => (await h.account())?.connection === "not_linked", "not_linked");
      // deno-lint-ignore no-explicit-any
      const health = await h.call<any>("health", {});
      assert.equal(health.channels.whatsapp.linked, false);
      assert.equal(health.linkChannel, undefined);
      const started = Date.now();
      const err = await h.fail("send", {
        to: "+15557654321",
        message: "hi",
        channel: "whatsapp",
        idempotencyKey: "k-unlinked",
      });
      assert.equal(err.error.code, "NOT_LINKED");
      assert.match(err.error.message, /openclaw channels login --account default/);
      assert.ok(Date.now() - started < 2000, "fails fast");
      // An unlinked account does not hold /ready back.
      const ready = await fetch(`http://127.0.0.1:${h.gw.proc.instance.port}/ready`);
      await ready.body?.cancel();
      assert.equal(ready.status, 200);
    },
  );

  await t.step(
    "web.login.start gives a QR (data URL + raw text); the phone scans; wait says linked",
    async () => {
      await h.link();
      const row = await h.account();
      assert.equal(row.linked, true);
      assert.equal(row.connected, true);
      assert.equal(row.connection, "open");
      assert.equal(row.bot.id, "+15550001111");
      // deno-lint-ignore no-explicit-any
      const health = await h.call<any>("health", { probe: true });
      assert.equal(health.linkChannel, "whatsapp");
      assert.equal(health.channels.whatsapp.linked, true);
      assert.ok(health.channels.whatsapp.authAgeMs >= 0);
      const acc = health.channels.whatsapp.probe.accounts[0];
      assert.equal(acc.accountId, "default");
      assert.equal(acc.state, "open");
      assert.equal(acc.reconnectAttempts, 0);
      // deno-lint-ignore no-explicit-any
      const status = await h.call<any>("status", {});
      assert.equal(status.channels.whatsapp.linked, true);
    },
  );

  await t.step(
    "an allowed DM is answered by the agent in the same chat, with typing and a read receipt",
    async () => {
      const read = h.server.waitFor<{ attrs: Record<string, string> }>(
        "receipt",
        (n) => n.attrs.type === "read",
      );
      const typing = h.server.waitFor<{ attrs: Record<string, string>; content: unknown }>(
        "chatstate",
        (n) => JSON.stringify(n.content).includes("composing"),
        10_000,
      );
      const reply = h.nextToPeer(alice, (t) => t === "Hello from stub.");
      const id = await h.server.deliverText(alice, "hello assistant");
      assert.ok([alice.lidJid, alice.pnJid].includes((await typing).attrs.to), "typing shown");
      assert.equal(await reply, "Hello from stub.");
      assert.equal((await read).attrs.id, id);
      const req = h.provider.chatRequests().at(-1)!;
      assert.match(JSON.stringify(req.body), /hello assistant/);
    },
  );

  await t.step(
    "send to a peer by E.164: delivered, toJid in the answer, ledger dedupes",
    async () => {
      const got = h.nextToPeer(alice, (t) => t === "from the operator");
      const params = {
        to: "+15557654321",
        message: "from the operator",
        channel: "whatsapp",
        idempotencyKey: "k-1",
      };
      // deno-lint-ignore no-explicit-any
      const r = await h.call<any>("send", params);
      assert.equal(r.channel, "whatsapp");
      assert.equal(r.toJid, "15557654321@s.whatsapp.net");
      assert.equal(await got, "from the operator");
      // deno-lint-ignore no-explicit-any
      const again = await h.call<any>("send", params);
      assert.equal(again.messageId, r.messageId);
      const bad = await h.fail("send", { ...params, to: "nobody", idempotencyKey: "k-2" });
      assert.equal(bad.error.code, "INVALID_REQUEST");
      assert.match(bad.error.message, /Invalid WhatsApp target "nobody"/);
    },
  );

  await t.step(
    "media over the 5 MB cap and media URLs are refused before anything is sent",
    async () => {
      // Local media must sit under a media root: $STATE/media is one.
      await Deno.mkdir(`${h.stateDir}/media`, { recursive: true });
      const file = `${h.stateDir}/media/big.png`;
      try {
        await Deno.writeFile(file, new Uint8Array(5 * 1024 * 1024 + 1));
        const sentBefore = h.server.received.length;
        const big = await h.fail("send", {
          to: "+15557654321",
          mediaUrl: file,
          channel: "whatsapp",
          idempotencyKey: "k-big",
        });
        assert.equal(big.error.code, "INVALID_REQUEST");
        assert.match(big.error.message, /over the 5242880-byte cap/);
        const url = await h.fail("send", {
          to: "+15557654321",
          mediaUrl: "https://example.com/cat.png",
          channel: "whatsapp",
          idempotencyKey: "k-url",
        });
        assert.equal(url.error.code, "INVALID_REQUEST");
        assert.match(url.error.message, /pass a local file path/);
        assert.equal(h.server.received.length, sentBefore);
      } finally {
        await Deno.remove(file);
      }
    },
  );

  await t.step("a long reply is chunked at 4000 characters to the same chat", async () => {
    const long = `${"a".repeat(3990)}\n${"b".repeat(3000)}`;
    h.provider.script([{ text: [long] }]);
    const parts: string[] = [];
    const first = h.nextToPeer(alice, (t) => t.startsWith("a"));
    const second = h.nextToPeer(alice, (t) => t.startsWith("b"));
    await h.server.deliverText(alice, "write a lot");
    parts.push(await first, await second);
    assert.equal(parts[0], "a".repeat(3990));
    assert.equal(parts[1], "b".repeat(3000));
  });

  await t.step("the socket drops: the channel reconnects by itself and answers again", async () => {
    const before = h.server.connections;
    h.server.dropAll();
    await eventually(
      async () => (await h.account())?.connection === "open" && h.server.connections > before,
      "reconnected",
      15_000,
    );
    const reply = h.nextToPeer(alice, (t) => t === "Hello from stub.");
    await h.server.deliverText(alice, "still there?");
    assert.equal(await reply, "Hello from stub.");
  });

  await t.step(
    "the phone removes the device: not linked, send -> NOT_LINKED, health says so",
    async () => {
      // Health is pushed as the connection changes, not only on the periodic refresh.
      const watcher = await h.gw.connect();
      let pushed = false;
      watcher.onEvent((ev) => {
        // deno-lint-ignore no-explicit-any
        const p = ev.payload as any;
        if (ev.event === "health" && p?.channels?.whatsapp?.linked === false) pushed = true;
      });
      h.server.removeDevice();
      await eventually(async () => (await h.account())?.linked === false, "unlinked", 15_000);
      await eventually(() => pushed, "a health event saying not linked", 5000);
      await watcher.close();
      const err = await h.fail("send", {
        to: "+15557654321",
        message: "hi",
        channel: "whatsapp",
        idempotencyKey: "k-removed",
      });
      assert.equal(err.error.code, "NOT_LINKED");
      // deno-lint-ignore no-explicit-any
      const health = await h.call<any>("health", { probe: true });
      assert.equal(health.channels.whatsapp.linked, false);
      assert.equal(health.linkChannel, undefined);
      assert.match(health.channels.whatsapp.lastError, /channels login --account default/);
      const creds = `${h.stateDir}/credentials/whatsapp/default/creds.json`;
      await eventually(
        () => Deno.stat(creds).then(() => false, (e) => e instanceof Deno.errors.NotFound),
        "the auth state deleted",
      );
    },
  );
});
