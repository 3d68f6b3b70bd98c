/**
 * WhatsApp through the whole gateway, second part: DM pairing of an unknown
 * sender, the credentials surviving a gateway restart (also a corrupt
 * `creds.json`, restored from the backup), and `channels.logout`.
 */

import assert from "node:assert/strict";
import { eventually } from "../../_helpers/channels.ts";
import { BAILEYS_TEST } from "./_harness.ts";
import { startWaGateway } from "./_gateway.ts";

Deno.test({
  name: "whatsapp gateway: an unknown sender gets a pairing code; once approved, the agent answers",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startWaGateway();
  const bob = h.server.addPeer({ pn: "15553334444", lid: "77773334444", name: "Bob" });
  await h.link();

  const codeMsg = h.nextToPeer(bob, (t) => t.includes("Pairing code:"));
  await h.server.deliverText(bob, "who are you?");
  const text = await codeMsg;
  assert.match(text, /Your whatsapp user id: \+15553334444/);
  const code = /Pairing code: ([A-Z0-9]{8})/.exec(text)![1];
  assert.equal(h.provider.chatRequests().length, 0, "the agent did not see the message");

  // deno-lint-ignore no-explicit-any
  const list = await h.call<any>("channels.pairing.list", { channel: "whatsapp" });
  assert.equal(list.requests[0].senderId, "+15553334444");
  assert.equal(list.requests[0].meta?.name, "Bob");

  const notice = h.nextToPeer(bob, (t) => t.includes("access approved"));
  // deno-lint-ignore no-explicit-any
  const approved = await h.call<any>("channels.pairing.approve", {
    channel: "whatsapp",
    code,
    notify: true,
  });
  assert.equal(approved.senderId, "+15553334444");
  assert.equal(approved.notified, true);
  await notice;

  const reply = h.nextToPeer(bob, (t) => t === "Hello from stub.");
  await h.server.deliverText(bob, "now?");
  assert.equal(await reply, "Hello from stub.");
});

Deno.test({
  name:
    "whatsapp gateway: linked creds survive a restart; a corrupt creds.json is restored from .bak",
  ...BAILEYS_TEST,
}, async (t) => {
  await using h = await startWaGateway({ whatsapp: { allowFrom: ["+15557654321"] } });
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  await h.link();
  const dir = `${h.stateDir}/credentials/whatsapp/default`;
  const ready = async () => {
    const res = await fetch(`http://127.0.0.1:${h.gw.proc.instance.port}/ready`);
    await res.body?.cancel();
    return res.status;
  };

  await t.step("restart: connects with the saved creds, no QR", async () => {
    await h.restart();
    await eventually(async () => (await h.account())?.connection === "open", "open", 15_000);
  });

  await t.step("corrupt creds.json: restored from creds.json.bak, connects, answers", async () => {
    await h.gw.stop();
    await Deno.stat(`${dir}/creds.json.bak`);
    await Deno.writeTextFile(`${dir}/creds.json`, "{ not json");
    await h.restart();
    await eventually(async () => (await h.account())?.connection === "open", "open", 15_000);
    assert.ok(
      h.gw.lines.some((l) => l.includes("creds.json was corrupt; restored from creds.json.bak")),
    );
    const reply = h.nextToPeer(alice, (t) => t === "Hello from stub.");
    await h.server.deliverText(alice, "hi again");
    assert.equal(await reply, "Hello from stub.");
  });

  await t.step("another session takes over (440): conflict, no reconnect, /ready 503", async () => {
    assert.equal(await ready(), 200);
    h.server.replaceSession();
    await eventually(async () => (await h.account())?.connection === "conflict", "conflict");
    assert.equal(await ready(), 503);
    const row = await h.account();
    assert.equal(row.linked, true);
    assert.equal(row.connected, false);
  });

  await t.step(
    "channels.logout: creds deleted, account not linked, /ready back to 200",
    async () => {
      // deno-lint-ignore no-explicit-any
      const r = await h.call<any>("channels.logout", { channel: "whatsapp" });
      assert.deepEqual([r.channel, r.accountId, r.loggedOut], ["whatsapp", "default", true]);
      await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
      const row = await h.account();
      assert.equal(row.linked, false);
      assert.equal(row.connection, "not_linked");
      assert.equal(await ready(), 200);
      const again = await h.call<{ loggedOut: boolean }>("channels.logout", {
        channel: "whatsapp",
      });
      assert.equal(again.loggedOut, false);
      const bad = await h.fail("channels.logout", { channel: "telegram" });
      assert.equal(bad.error.code, "INVALID_REQUEST");
      assert.match(bad.error.message, /Channel "telegram" is not configured/);
    },
  );
});
