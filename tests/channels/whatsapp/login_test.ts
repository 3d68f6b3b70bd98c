import assert from "node:assert/strict";
import { terminalLogin, WhatsAppLoginFlow } from "../../../src/channels/whatsapp/login.ts";
import { BAILEYS_TEST, startHarness, until } from "./_harness.ts";

Deno.test({
  name: "WhatsAppLoginFlow start() gives a QR data URL and wait() resolves once linked",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection();
  await conn.start();
  const flow = new WhatsAppLoginFlow(conn);
  const started = await flow.start({ timeoutMs: 10_000 });
  assert.match(started.qrDataUrl ?? "", /^data:image\/png;base64,/);
  assert.match(started.message, /Linked Devices/);
  assert.equal(conn.status().state, "waiting_qr");

  // The phone scans the QR Baileys currently shows (what the data URL encodes).
  const waited = flow.wait({ timeoutMs: 20_000 });
  h.server.phoneScan(conn.currentQr!);
  const result = await waited;
  assert.deepEqual(result, { connected: true, message: "Linked as +15550001111" });
  assert.equal(conn.status().linked, true);

  const again = await new WhatsAppLoginFlow(conn).start();
  assert.equal(again.qrDataUrl, undefined);
  assert.match(again.message, /already linked as \+15550001111/);
});

Deno.test({
  name: "WhatsAppLoginFlow wait() reports failure with a message instead of throwing",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection();
  const flow = new WhatsAppLoginFlow(conn);
  await flow.start({ timeoutMs: 10_000 });
  const res = await flow.wait({ timeoutMs: 300 });
  assert.equal(res.connected, false);
  assert.match(res.message, /did not connect within 300 ms/);
  await conn.stop();
});

Deno.test({
  name: "terminalLogin() prints the QR as terminal text and resolves when the phone linked",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection();
  const out: string[] = [];
  const linked = terminalLogin(conn, { write: (t) => out.push(t), timeoutMs: 20_000 });
  await until(() => out.length > 0 && conn.currentQr !== undefined, "a printed QR");
  assert.match(out[0], /▄|█/);
  assert.match(out[0], /Linked Devices/);
  h.server.phoneScan(conn.currentQr!);
  const s = await linked;
  assert.equal(s.connected, true);
  assert.equal(s.self?.e164, "+15550001111");
});

Deno.test({
  name: "WhatsAppLoginFlow follows QR rotation, and an unscanned login ends as QR expired",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection({ qrTimeoutMs: 250 });
  const seen: string[] = [];
  conn.onQr((qr) => seen.push(qr));
  const flow = new WhatsAppLoginFlow(conn);
  const first = await flow.start({ timeoutMs: 10_000 });
  await until(() => seen.length >= 2, "a rotated QR");
  await until(() => flow.qrDataUrl !== first.qrDataUrl, "a refreshed data URL");
  // The fake hands out 3 refs; after the last one Baileys gives up (408).
  await until(() => conn.status().state === "not_linked", "QR expiry", 5_000);
  assert.equal(seen.length, 3);
  assert.match(conn.status().lastError ?? "", /QR code expired/);
  const res = await flow.wait({ timeoutMs: 1_000 });
  assert.equal(res.connected, false);
  assert.match(res.message, /QR code expired/);
});
