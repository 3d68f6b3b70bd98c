/**
 * Channels start a moment after the listener, so loading a channel library
 * (hundreds of ms of CPU for Baileys) never holds up the first clients'
 * hello-ok.
 */

import assert from "node:assert/strict";
import {
  botToken,
  CHANNEL_TEST,
  channelStatus,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { CHANNEL_START_DELAY_MS } from "../../src/gateway_process.ts";

Deno.test(
  "gateway: channels start after the start delay, and a client connecting at once is served first",
  CHANNEL_TEST,
  async () => {
    assert.ok(CHANNEL_START_DELAY_MS >= 500, "the process default leaves room for first clients");
    const emu = await startTelegramEmulator();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, botToken(), { allowFrom: [1] }),
      channelStartDelayMs: 600,
    });
    try {
      const started = Date.now();
      const client = await gw.connect();
      const st = await channelStatus(gw);
      await client.close();
      // Connected and answered while the channel has not even been started.
      assert.ok(Date.now() - started < 500, "the client was served within the delay");
      assert.equal(st.channels.telegram?.running, false, JSON.stringify(st.channels.telegram));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(emu.calls.get("getMe") ?? 0, 0, "no Bot API call before the delay ended");
      await telegramRunning(gw);
      assert.ok((emu.calls.get("getMe") ?? 0) >= 1);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
