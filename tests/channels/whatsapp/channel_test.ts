import assert from "node:assert/strict";
import {
  defaultWhatsAppAccountId,
  resolveWhatsAppAccounts,
  WhatsAppChannel,
} from "../../../src/channels/whatsapp/mod.ts";
import { createLogSink } from "../../../src/log/logger.ts";
import { GatewayError } from "../../../src/errors.ts";
import { BAILEYS_TEST, startHarness, until } from "./_harness.ts";
import { FakeWaServer } from "../../_fakes/whatsapp/mod.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

guardedTest({
  name: "resolveWhatsAppAccounts() merges account keys over channel keys and skips disabled ones",
  fn: () => {
    const accounts = resolveWhatsAppAccounts({
      wsUrl: "ws://127.0.0.1:1/ws/chat",
      sendReadReceipts: false,
      reconnect: { maxAttempts: 3 },
      accounts: {
        work: { sendReadReceipts: true },
        old: { enabled: false },
        alt: { authDir: "/elsewhere" },
      },
    }, "/state");
    assert.deepEqual(accounts.map((a) => a.accountId), ["alt", "work"]);
    assert.equal(accounts[0].authDir, "/elsewhere");
    assert.equal(accounts[1].authDir, "/state/credentials/whatsapp/work");
    assert.equal(accounts[1].sendReadReceipts, true);
    assert.equal(accounts[0].sendReadReceipts, false);
    assert.equal(accounts[1].wsUrl, "ws://127.0.0.1:1/ws/chat");
    assert.deepEqual(accounts[1].reconnect, { maxAttempts: 3 });
    assert.deepEqual(resolveWhatsAppAccounts({}, "/s").map((a) => a.accountId), ["default"]);
  },
});

guardedTest({
  name: "defaultWhatsAppAccountId() is default when present, else the first id sorted",
  fn: () => {
    assert.equal(defaultWhatsAppAccountId({}), "default");
    assert.equal(defaultWhatsAppAccountId({ accounts: { b: {}, a: {} } }), "a");
    assert.equal(defaultWhatsAppAccountId({ accounts: { b: {}, default: {} } }), "default");
  },
});

Deno.test({
  name:
    "WhatsAppChannel links, sends, logs out (WhatsApp told, auth deleted) and then answers NOT_LINKED",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const sink = createLogSink({ fileLevel: "silent", consoleLevel: "silent" });
  const wa = new WhatsAppChannel(
    resolveWhatsAppAccounts({ wsUrl: h.server.url }, h.stateDir),
    { logger: sink.logger("whatsapp") },
  );
  try {
    assert.deepEqual((await wa.start()).map((s) => s.state), ["not_linked"]);
    await assert.rejects(wa.sendText({ to: "+15557654321", message: "x" }), /not linked/);
    assert.throws(
      () => wa.account("nope"),
      /Unknown WhatsApp account "nope" \(configured: default/,
    );

    const flow = wa.loginFlow();
    assert.equal(wa.loginFlow(), flow, "one flow per account");
    const started = await flow.start({ timeoutMs: 10_000 });
    assert.ok(started.qrDataUrl);
    const waited = flow.wait({ timeoutMs: 20_000 });
    h.server.phoneScan(wa.account().currentQr!);
    assert.equal((await waited).connected, true);
    assert.equal(wa.status()[0].authAgeMs! >= 0, true);

    const seen = h.server.waitFor("client-message");
    const res = await wa.sendText({ to: "+15557654321", message: "hello" });
    assert.equal(res.toJid, alice.pnJid);
    await seen;

    const told = h.server.waitFor("logout");
    const after = await wa.logout();
    await told;
    assert.equal(after.linked, false);
    assert.equal(after.state, "not_linked");
    await assert.rejects(
      Deno.stat(`${h.stateDir}/credentials/whatsapp/default`),
      Deno.errors.NotFound,
    );
    await assert.rejects(
      wa.sendText({ to: "+15557654321", message: "x" }),
      (e: GatewayError) => e.code === "NOT_LINKED",
    );
    await until(() => h.server.activeConns.length === 0, "the socket to close");
  } finally {
    await wa.stop();
  }
});

Deno.test({
  name: "WhatsAppChannel keeps two accounts apart (auth folders, sockets, sends, status)",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const other = await FakeWaServer.start({ root: h.server.root });
  const sink = createLogSink({ fileLevel: "silent", consoleLevel: "silent" });
  const wa = new WhatsAppChannel(
    resolveWhatsAppAccounts({
      accounts: { default: { wsUrl: h.server.url }, work: { wsUrl: other.url } },
    }, h.stateDir),
    { logger: sink.logger("whatsapp") },
  );
  try {
    for (
      const [id, server, pn] of [
        ["default", h.server, "15550001111"],
        ["work", other, "15550002222"],
      ] as const
    ) {
      const flow = wa.loginFlow(id);
      await flow.start({ timeoutMs: 10_000 });
      const waited = flow.wait({ timeoutMs: 20_000 });
      server.phoneScan(wa.account(id).currentQr!, { pn, lid: pn.replace("1555", "9999") });
      assert.equal((await waited).connected, true);
    }
    const status = wa.status();
    assert.deepEqual(status.map((s) => [s.accountId, s.self?.e164, s.connected]), [
      ["default", "+15550001111", true],
      ["work", "+15550002222", true],
    ]);
    for (const id of ["default", "work"]) {
      await Deno.stat(`${h.stateDir}/credentials/whatsapp/${id}/creds.json`);
    }
    other.addPeer({ pn: "15553334444", lid: "77773334444", name: "Bob" });
    const seen = other.waitFor("client-message");
    await wa.sendText({ to: "+15553334444", message: "from work", accountId: "work" });
    await seen;
    assert.equal(h.server.received.length, 0, "the default account's server saw nothing");
    await wa.logout("work");
    assert.deepEqual(wa.status().map((s) => s.linked), [true, false]);
    await until(() => wa.account("default").status().connected, "default still connected");
  } finally {
    await wa.stop();
    await other.stop();
  }
});
