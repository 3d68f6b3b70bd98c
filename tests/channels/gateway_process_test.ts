/**
 * The real `openclaw gateway` process with Telegram configured: grammY is
 * loaded on demand, the channel connects to the emulator, and the CLI's
 * `channels status` and `message send` work against it.
 */

import assert from "node:assert/strict";
import { CHANNEL_TEST, eventually } from "../_helpers/channels.ts";
import { cliEnv, runCli, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";
import { startGatewayCli, stopWith } from "../_helpers/cli_e2e.ts";
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";

Deno.test(
  "openclaw gateway: Telegram from the config file, status and send through the CLI",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const home = await Deno.makeTempDir({ prefix: "openclaw-chanproc-" });
    const token = `990001:PROC_${Date.now()}`;
    await writeConfig(home, {
      gateway: { mode: "local", auth: { token: TEST_TOKEN } },
      channels: { telegram: { tokenFile: `${home}/tg.token`, apiRoot: emu.apiRoot } },
    });
    await Deno.writeTextFile(`${home}/tg.token`, `${token}\n`);
    const env = cliEnv(home, { OPENCLAW_SKIP_CANVAS_HOST: "1" });
    const gw = await startGatewayCli(["gateway", "--port", "0"], env);
    try {
      const target = ["--url", gw.url, "--token", TEST_TOKEN];
      const st = await eventually(
        async () => {
          const r = await runCli(["channels", "status", "--json", ...target], env);
          const j = r.code === 0 ? JSON.parse(r.stdout) : undefined;
          return j?.channels?.telegram?.running ? j : undefined;
        },
        "telegram running in the gateway process",
        15_000,
      );
      assert.equal(st.channels.telegram.accounts[0].bot.username, "TestNameBot");
      const sent = await runCli([
        "message",
        "send",
        "--target",
        "4711",
        "--message",
        "hello from the process",
        ...target,
      ], env);
      assert.equal(sent.code, 0, sent.stderr);
      assert.match(sent.stdout, /Sent via telegram/);
      const chat = makeUser(emu.apiRoot, token, { chatId: 4711 });
      assert.deepEqual((await chat.botMessages()).map((m) => m.text), ["hello from the process"]);
      // The token never shows in the log.
      const status = await stopWith(gw, "SIGTERM");
      assert.equal(status.code, 0);
      assert.ok(!gw.lines.join("\n").includes(token), "token not printed");
      let logged = "";
      for await (const e of Deno.readDir(`${home}/.openclaw/logs`)) {
        logged += await Deno.readTextFile(`${home}/.openclaw/logs/${e.name}`);
      }
      assert.match(logged, /channel telegram\/default started/);
      assert.ok(!logged.includes(token), "token not in the file log");
    } finally {
      await gw[Symbol.asyncDispose]();
      await emu.stop();
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
);
