import assert from "node:assert/strict";
import { guardedTest, installNetGuard, isLoopback } from "../../_fakes/net_guard.ts";
import { WhatsAppConnection } from "../../../src/channels/whatsapp/connection.ts";
import { silentLogger } from "../../../src/log/logger.ts";
import { BAILEYS_TEST, until } from "./_harness.ts";

guardedTest({
  name: "isLoopback() accepts only loopback hosts",
  fn: () => {
    for (const h of ["127.0.0.1", "127.9.9.9", "localhost", "::1", "[::1]"]) {
      assert.ok(isLoopback(h), h);
    }
    for (const h of ["10.0.0.1", "web.whatsapp.com", "128.0.0.1", "0.0.0.0"]) {
      assert.ok(!isLoopback(h), h);
    }
  },
});

Deno.test({
  name: "installNetGuard() blocks fetch, WebSocket and Deno.connect beyond loopback",
  fn: async () => {
    using guard = installNetGuard();
    await assert.rejects(() => fetch("http://10.255.255.1/") as Promise<unknown>, /blocked fetch/);
    assert.throws(() => new WebSocket("ws://192.0.2.1/"), /blocked websocket/);
    await assert.rejects(
      () => Deno.connect({ hostname: "192.0.2.1", port: 80 }),
      /blocked connect/,
    );
    assert.equal(guard.blocked.length, 3);
    assert.throws(() => guard.assertClean(), /3 non-loopback attempt/);
    guard.restore();
    assert.equal(guard.blocked.length, 3);
  },
});

Deno.test({
  name: "Baileys with no wsUrl aims at WhatsApp itself, and the guard stops it",
  ...BAILEYS_TEST,
}, async () => {
  using guard = installNetGuard();
  const stateDir = await Deno.makeTempDir({ prefix: "openclaw-wa-guard-" });
  const conn = new WhatsAppConnection({
    accountId: "default",
    authDir: `${stateDir}/wa`,
    reconnect: { initialMs: 250, maxAttempts: 1 },
  }, { logger: silentLogger() });
  try {
    await conn.startLogin();
    await until(() => guard.blocked.length > 0, "a blocked attempt");
    assert.match(guard.blocked.join(" "), /web\.whatsapp\.com/);
    await until(() => conn.status().state !== "connecting", "the failure to become state");
    assert.notEqual(conn.status().state, "open");
  } finally {
    await conn.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
