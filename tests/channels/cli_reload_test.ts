/**
 * `openclaw pairing` and `openclaw channels status` as subprocesses against a
 * gateway; a config change under channels.telegram restarts only Telegram.
 */

import assert from "node:assert/strict";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  channelStatus,
  eventually,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { cliEnv, runCli, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

Deno.test(
  "cli: pairing list/approve --notify and channels status --probe",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token),
      engine: new EchoEngine(),
    });
    try {
      await telegramRunning(gw);
      const target = ["--url", gw.proc.instance.url, "--token", TEST_TOKEN];
      const env = cliEnv(gw.home);
      const user = makeUser(emu.apiRoot, token, { chatId: 91, userId: 91, userName: "zed" });
      await user.sendText("hi");
      const [reply] = await user.waitFor((m) => m.length === 1, 5000, "pairing code");
      const code = /Pairing code: (\w+)/.exec(reply.text!)![1];

      const list = await runCli(["pairing", "list", "telegram", ...target], env);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, new RegExp(`telegram ${code} sender 91 @zed`));
      const approve = await runCli(
        ["pairing", "approve", "telegram", code, "--notify", ...target],
        env,
      );
      assert.equal(approve.code, 0, approve.stderr);
      assert.match(approve.stdout, /Approved telegram sender 91 \(notified\)/);
      await user.waitFor(
        (m) => m.at(-1)?.text?.includes("access approved") ?? false,
        5000,
        "notice",
      );
      const again = await runCli(["pairing", "approve", "telegram", code, ...target], env);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /No pending telegram pairing request with code/);

      const st = await runCli(["channels", "status", "--probe", "--json", ...target], env);
      assert.equal(st.code, 0, st.stderr);
      const json = JSON.parse(st.stdout);
      assert.equal(json.channels.telegram.accounts[0].probe.ok, true);
      assert.equal(json.channels.telegram.accounts[0].bot.username, "TestNameBot");
      const text = await runCli(["channels", "status", ...target], env);
      assert.match(
        text.stdout,
        /telegram: running, connected\n {2}default @TestNameBot: running \(polling\)/,
      );
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);

Deno.test(
  "reload: a change under channels.telegram restarts only Telegram",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const config = telegramConfig(emu.apiRoot, token, { allowFrom: [3] });
    const gw = await startChannelGateway({ config, engine: new EchoEngine() });
    try {
      await telegramRunning(gw);
      const instance = gw.proc.instance;
      const getMe = () => emu.calls.get("getMe") ?? 0;
      const before = getMe();
      // Not a channel key: no restart.
      await writeConfig(gw.home, { ...config, logging: { level: "debug" } });
      await gw.proc.reloadConfig();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(getMe(), before);
      // A channel key: the channel restarts (new getMe), the gateway instance does not.
      await writeConfig(gw.home, {
        ...config,
        logging: { level: "debug" },
        channels: {
          telegram: { botToken: token, apiRoot: emu.apiRoot, allowFrom: [3], textChunkLimit: 5 },
        },
      });
      await gw.proc.reloadConfig();
      await eventually(() => getMe() > before, "telegram restarted");
      assert.equal(gw.proc.instance, instance, "no gateway restart");
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 3, userId: 3 });
      await user.sendText("abcdefgh");
      // "echo: abcdefgh" in chunks of at most 5.
      const msgs = await user.waitFor((m) => m.length >= 3, 5000, "chunked by the new limit");
      assert.ok(msgs.every((m) => m.text!.length <= 5));
      assert.equal((await channelStatus(gw)).channels.telegram.running, true);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
