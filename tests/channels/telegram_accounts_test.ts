/**
 * Several bots (`channels.telegram.accounts.<id>`) in one gateway, and the
 * `/ready` probe following channel state.
 */

import assert from "node:assert/strict";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  channelStatus,
  eventually,
  startChannelGateway,
  telegramRunning,
} from "../_helpers/channels.ts";
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";

Deno.test(
  "telegram: two accounts answer their own chats; send picks the account; /ready follows",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const work = botToken();
    const home = botToken();
    const engine = new EchoEngine();
    const gw = await startChannelGateway({
      config: {
        gateway: { mode: "local", auth: { token: TEST_TOKEN } },
        channels: {
          telegram: {
            apiRoot: emu.apiRoot,
            allowFrom: [1],
            accounts: { work: { botToken: work }, home: { botToken: home, allowFrom: [2] } },
          },
        },
      },
      engine,
    });
    try {
      await telegramRunning(gw);
      const st = await channelStatus(gw);
      assert.deepEqual(
        st.channels.telegram.accounts.map((a: { accountId: string }) => a.accountId),
        [
          "work",
          "home",
        ],
      );
      const sc = await gw.connect();
      const status = await sc.request<{ channels: Record<string, unknown> }>("status", {});
      await sc.close();
      assert.deepEqual(status.channels, { telegram: { configured: true } });
      const ready = await fetch(`http://127.0.0.1:${gw.proc.instance.port}/ready`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), {
        ready: true,
        status: "started",
        checks: [{ name: "channel:telegram", ok: true }],
      });

      const u1 = makeUser(emu.apiRoot, work, { chatId: 1, userId: 1 });
      const u2 = makeUser(emu.apiRoot, home, { chatId: 2, userId: 2 });
      await u1.sendText("to work");
      await u2.sendText("to home");
      await u1.waitFor((m) => m.at(-1)?.text === "echo: to work", 5000, "work bot answer");
      await u2.waitFor((m) => m.at(-1)?.text === "echo: to home", 5000, "home bot answer");
      // Account-level allowFrom overrides the top level: user 1 is not allowed on "home".
      const u1home = makeUser(emu.apiRoot, home, { chatId: 1, userId: 1 });
      await u1home.sendText("am I allowed?");
      await u1home.waitFor(
        (m) => /Pairing code/.test(m.at(-1)?.text ?? ""),
        5000,
        "pairing on home",
      );

      const client = await gw.connect();
      try {
        await client.request("send", {
          channel: "telegram",
          accountId: "home",
          to: "77",
          message: "from home",
          idempotencyKey: "acct-1",
        });
        const err = await client.request("send", {
          channel: "telegram",
          accountId: "nope",
          to: "77",
          message: "x",
          idempotencyKey: "acct-2",
        }).catch((e) => e);
        assert.match(String(err), /INVALID_REQUEST.*account "nope"/);
      } finally {
        await client.close();
      }
      assert.deepEqual(
        (await makeUser(emu.apiRoot, home, { chatId: 77 }).botMessages()).map((m) => m.text),
        ["from home"],
      );
      assert.equal((await makeUser(emu.apiRoot, work, { chatId: 77 }).botMessages()).length, 0);

      // The tokens are revoked (401 on getUpdates): the accounts stop for good; /ready says 503.
      emu.fail({ method: "getUpdates", error_code: 401, description: "Unauthorized", times: 100 });
      await u1.sendText("wake the poll");
      await eventually(async () => {
        const r = await fetch(`http://127.0.0.1:${gw.proc.instance.port}/ready`);
        await r.body?.cancel();
        return r.status === 503;
      }, "/ready turns 503");
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
