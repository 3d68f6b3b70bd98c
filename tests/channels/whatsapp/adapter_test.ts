/**
 * The WhatsApp adapter on its own, against the fake server: a login asked
 * for while the adapter is still starting gets its QR (it waits for the
 * start-up's "not linked" verdict instead of racing it).
 */

import assert from "node:assert/strict";
import { createWhatsAppAdapter } from "../../../src/channels/whatsapp/adapter.ts";
import { resolveWhatsApp } from "../../../src/channels/whatsapp/config.ts";
import { createLogSink } from "../../../src/log/logger.ts";
import { BAILEYS_TEST, startHarness } from "./_harness.ts";

Deno.test({
  name: "createWhatsAppAdapter() link.start() during start() waits for it and returns a QR",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const [account] = resolveWhatsApp({ wsUrl: h.server.url }, h.stateDir).accounts;
  const adapter = createWhatsAppAdapter({
    account,
    log: createLogSink({ fileLevel: "silent", consoleLevel: "silent" }).logger("t"),
  });
  const ac = new AbortController();
  try {
    const started = adapter.start({
      signal: ac.signal,
      deliver: () => Promise.resolve(),
      failed: () => {},
    });
    const r = await adapter.link!.start({ timeoutMs: 10_000 });
    await started;
    assert.ok(r.qr, r.message);
    assert.match(r.qrDataUrl ?? "", /^data:image\/png;base64,/);
    const waited = adapter.link!.wait({ timeoutMs: 20_000 });
    h.server.phoneScan(r.qr);
    assert.equal((await waited).connected, true);
    const st = adapter.status();
    assert.deepEqual([st.linked, st.connected, st.connection, st.ready], [
      true,
      true,
      "open",
      true,
    ]);
    adapter.checkSend!(); // open: no error
  } finally {
    ac.abort();
    await adapter.stop();
  }
});
