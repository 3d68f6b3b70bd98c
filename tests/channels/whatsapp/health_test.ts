import assert from "node:assert/strict";
import {
  whatsappChannelHealth,
  whatsappLinkChannel,
  whatsappReady,
} from "../../../src/channels/whatsapp/health.ts";
import type { WhatsAppStatus } from "../../../src/channels/whatsapp/types.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

function status(over: Partial<WhatsAppStatus> = {}): WhatsAppStatus {
  return {
    accountId: "default",
    configured: true,
    linked: true,
    authAgeMs: 1234.5,
    running: true,
    connected: true,
    state: "open",
    lastError: null,
    reconnectAttempts: 0,
    self: { jid: "15550001111:1@s.whatsapp.net", e164: "+15550001111" },
    ...over,
  };
}

guardedTest({
  name: "whatsappChannelHealth() reports the default account and lists all in probe",
  fn: () => {
    const work = status({
      accountId: "work",
      connected: false,
      state: "reconnecting",
      lastError: "connection closed (428); reconnect 2 of 12",
      reconnectAttempts: 2,
    });
    const h = whatsappChannelHealth([work, status()]);
    assert.equal(h.configured, true);
    assert.equal(h.linked, true);
    assert.equal(h.connected, true);
    assert.equal(h.authAgeMs, 1235);
    assert.equal(h.lastError, "work: connection closed (428); reconnect 2 of 12");
    assert.deepEqual(h.probe?.accounts.map((a) => a.accountId), ["default", "work"]);
    assert.deepEqual(whatsappChannelHealth([]), { configured: false });
    const unlinked = whatsappChannelHealth([
      status({ linked: false, authAgeMs: null, state: "not_linked" }),
    ]);
    assert.equal(unlinked.linked, false);
    assert.equal("authAgeMs" in unlinked, false);
  },
});

guardedTest({
  name: "whatsappLinkChannel() and whatsappReady() follow linked and connected accounts",
  fn: () => {
    assert.equal(whatsappLinkChannel([status()]), "whatsapp");
    assert.equal(whatsappLinkChannel([status({ linked: false })]), undefined);
    assert.deepEqual(whatsappReady([status()]), { ready: true });
    assert.deepEqual(whatsappReady([status({ linked: false, connected: false })]), { ready: true });
    assert.deepEqual(
      whatsappReady([status({ connected: false, state: "gave_up" })]),
      { ready: false, reason: 'WhatsApp account "default" is gave_up' },
    );
  },
});
