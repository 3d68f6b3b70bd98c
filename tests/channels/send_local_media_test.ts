/**
 * `send` with a local `mediaUrl`: only files under the media roots (the
 * agent workspace, `$STATE/media`, `channels.mediaLocalRoots`) are read;
 * the config, the state dir and anything else are refused with one message
 * (no existence oracle), also through symlinks and `file://` URLs. The QA
 * repro: an `operator.write` client uploaded `openclaw.json`.
 */

import assert from "node:assert/strict";
import { GatewayClient } from "../../src/client/gateway_client.ts";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  eventually,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { makeUser, startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";

Deno.test(
  "send: a write-scoped client cannot upload the config or files outside the media roots",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const outside = await Deno.makeTempDir({ prefix: "openclaw-outside-" });
    const home = await Deno.makeTempDir({ prefix: "openclaw-chan-" });
    const state = `${home}/.openclaw`;
    const shared = `${home}/shared`;
    const gw = await startChannelGateway({
      home,
      // `home` itself is listed: the state dir inside it must still be refused.
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [12] }, {
        channels: {
          telegram: { botToken: token, apiRoot: emu.apiRoot, allowFrom: [12] },
          mediaLocalRoots: [home],
        },
      }),
      engine: new EchoEngine(),
    });
    try {
      await telegramRunning(gw);
      await Deno.mkdir(`${state}/workspace`, { recursive: true });
      await Deno.mkdir(shared, { recursive: true });
      await Deno.writeTextFile(`${state}/workspace/notes.txt`, "workspace notes");
      await Deno.writeTextFile(`${shared}/photo.txt`, "shared photo");
      await Deno.writeTextFile(`${outside}/secret.txt`, "outside secret");
      await Deno.symlink(`${state}/openclaw.json`, `${state}/workspace/cfg.txt`);
      await Deno.symlink(`${outside}/secret.txt`, `${state}/workspace/out.txt`);
      const client = await GatewayClient.connect(gw.proc.instance.url, {
        token: TEST_TOKEN,
        scopes: ["operator.write"],
      });
      const refusals: string[] = [];
      try {
        const bad = [
          `${state}/openclaw.json`,
          `file://${state}/openclaw.json`,
          `${state}/workspace/cfg.txt`,
          `${state}/workspace/out.txt`,
          `${state}/workspace/../openclaw.json`,
          `${outside}/secret.txt`,
          "/etc/shadow",
          "/etc/passwd",
          `${outside}/does-not-exist.txt`,
          `${state}/credentials`,
        ];
        for (const [i, mediaUrl] of bad.entries()) {
          const err = await client.request("send", {
            channel: "telegram",
            to: "12",
            mediaUrl,
            idempotencyKey: `bad-${i}`,
          }).then(() => undefined, (e) => String(e));
          assert.ok(err, `send of ${mediaUrl} was accepted`);
          assert.match(err, /INVALID_REQUEST/);
          refusals.push(err.replace(JSON.stringify(mediaUrl), "<ref>"));
        }
        // One message for all: the answer does not tell which files exist.
        assert.equal(new Set(refusals).size, 1, refusals.join("\n"));
        assert.match(refusals[0], /channels\.mediaLocalRoots/);

        for (
          const [i, mediaUrl] of [`${state}/workspace/notes.txt`, `${shared}/photo.txt`].entries()
        ) {
          await client.request("send", {
            channel: "telegram",
            to: "12",
            mediaUrl,
            idempotencyKey: `good-${i}`,
          });
        }
      } finally {
        await client.close();
      }
      const user = makeUser(emu.apiRoot, token, { chatId: 12, userId: 12 });
      const docs = await eventually(async () => {
        const d = (await user.botMessages()).filter((m) => m.document);
        return d.length >= 2 ? d : undefined;
      }, "two documents");
      const bodies: string[] = [];
      for (const doc of docs) {
        const file =
          await (await fetch(`${emu.apiRoot}/bot${token}/getFile?file_id=${doc.document!.file_id}`))
            .json();
        bodies.push(
          await (await fetch(`${emu.apiRoot}/file/bot${token}/${file.result.file_path}`)).text(),
        );
      }
      assert.deepEqual(bodies.sort(), ["shared photo", "workspace notes"]);
      assert.equal(docs.length, 2, "only the two allowed files were uploaded");
    } finally {
      await gw.stop();
      await emu.stop();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(outside, { recursive: true }).catch(() => {});
    }
  },
);

Deno.test(
  "send: a relative mediaLocalRoots entry is refused at load naming the key",
  CHANNEL_TEST,
  async () => {
    const { resolveChannelSettings } = await import("../../src/channels/settings.ts");
    const { issues, settings } = resolveChannelSettings(
      { channels: { mediaLocalRoots: ["pics", "~/Pictures"] } },
      {},
      { stateDir: "/h/.openclaw", configPath: "/h/.openclaw/openclaw.json", home: "/h" },
    );
    assert.equal(issues.length, 1);
    assert.match(
      issues[0],
      /channels\.mediaLocalRoots entry "pics" is not an absolute folder path/,
    );
    assert.deepEqual(settings.media?.roots, ["/h/Pictures"]);
    assert.deepEqual(settings.media?.builtInRoots, [
      "/h/.openclaw/workspace",
      "/h/.openclaw/media",
    ]);
  },
);
