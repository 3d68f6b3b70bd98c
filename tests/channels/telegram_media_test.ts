/**
 * Media both ways through the gateway, within the account's mediaMaxMb, and
 * the lazy-loading guard for grammY.
 */

import assert from "node:assert/strict";
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

Deno.test(
  "telegram: an inbound photo reaches the agent as an image; send uploads a file",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ reply: (r) => `got ${r.images?.length ?? 0} image(s)` });
    // 0.002 MB = 2097 bytes.
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [12], mediaMaxMb: 0.002 }),
      engine,
    });
    // `$STATE/media` is a media root: send reads local files only under one.
    const dir = `${gw.home}/.openclaw/media`;
    await Deno.mkdir(dir, { recursive: true });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 12, userId: 12 });
      const bytes = new TextEncoder().encode("PNGDATA-1234");
      const up = await user.uploadFile("cat.png", bytes);
      await user.sendMessage({
        caption: "my cat",
        photo: [{ file_id: up.file_id, file_size: up.file_size }],
      });
      await user.waitFor((m) => m.at(-1)?.text === "got 1 image(s)", 5000, "image answer");
      const req = engine.requests[0];
      assert.match(req.message, /^my cat\n<media:image>/);
      assert.equal(atob(req.images![0].data), "PNGDATA-1234");

      // Over the cap: the placeholder still reaches the agent, the bytes do not.
      const big = await user.uploadFile("big.png", new Uint8Array(5000));
      await user.sendMessage({ photo: [{ file_id: big.file_id, file_size: big.file_size }] });
      await user.waitFor((m) => m.at(-1)?.text === "got 0 image(s)", 5000, "capped answer");

      const path = `${dir}/report.txt`;
      await Deno.writeTextFile(path, "quarterly numbers");
      const client = await gw.connect();
      try {
        const res = await client.request<{ messageId: string }>("send", {
          channel: "telegram",
          to: "12",
          message: "the report",
          mediaUrl: path,
          idempotencyKey: "media-1",
        });
        assert.ok(res.messageId);
        await Deno.writeFile(`${dir}/huge.bin`, new Uint8Array(3000));
        const err = await client.request("send", {
          channel: "telegram",
          to: "12",
          mediaUrl: `${dir}/huge.bin`,
          idempotencyKey: "media-2",
        }).catch((e) => e);
        assert.match(String(err), /INVALID_REQUEST.*3000 bytes, over the 2097-byte cap/);
      } finally {
        await client.close();
      }
      const doc = await eventually(
        async () => (await user.botMessages()).find((m) => m.document),
        "document",
      );
      assert.equal(doc.caption, "the report");
      assert.equal(doc.document!.file_name, "report.txt");
      const file =
        await (await fetch(`${emu.apiRoot}/bot${token}/getFile?file_id=${doc.document!.file_id}`))
          .json();
      const body = await (await fetch(`${emu.apiRoot}/file/bot${token}/${file.result.file_path}`))
        .text();
      assert.equal(body, "quarterly numbers");
    } finally {
      await gw.stop();
      await emu.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("grammY is only ever imported dynamically (a gateway without Telegram never loads it)", async () => {
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (p.endsWith(".ts")) {
        const text = await Deno.readTextFile(p);
        for (const line of text.split("\n")) {
          if (/^\s*import\s+(?!type\b)[^;]*from\s+"(grammy|@grammyjs\/runner)"/.test(line)) {
            offenders.push(`${p}: ${line.trim()}`);
          }
          if (/^\s*import\s+(?!type\b)[^;]*from\s+"[^"]*telegram\/adapter\.ts"/.test(line)) {
            offenders.push(`${p}: ${line.trim()}`);
          }
        }
      }
    }
  };
  await walk(new URL("../../src", import.meta.url).pathname);
  assert.deepEqual(offenders, []);
});

Deno.test(
  "telegram: an album (media_group_id) reaches the agent as one message",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ reply: (r) => `album of ${r.images?.length ?? 0}` });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [13], mediaGroupFlushMs: 200 }),
      engine,
    });
    try {
      await telegramRunning(gw);
      const user = makeUser(emu.apiRoot, token, { chatId: 13, userId: 13 });
      const a = await user.uploadFile("a.jpg", new TextEncoder().encode("AAA"));
      const b = await user.uploadFile("b.jpg", new TextEncoder().encode("BBB"));
      await user.sendMessage({
        media_group_id: "g1",
        caption: "trip",
        photo: [{ file_id: a.file_id }],
      });
      await user.sendMessage({ media_group_id: "g1", photo: [{ file_id: b.file_id }] });
      await user.waitFor((m) => m.at(-1)?.text === "album of 2", 5000, "one answer for the album");
      assert.equal(engine.requests.length, 1);
      assert.equal(engine.requests[0].message, "trip\n<media:image>\n<media:image>");
      assert.deepEqual(engine.requests[0].images!.map((i) => atob(i.data)), ["AAA", "BBB"]);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
