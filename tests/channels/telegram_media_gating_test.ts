/**
 * Inbound media is fetched only for messages the gateway answers (QA 7):
 * a dropped stranger, a sender who only gets a pairing code, and a group
 * message kept as history cause no `getFile` and no download; the allowed
 * sender's photo and the triggering group message still reach the agent.
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

const GROUP = -100777;

Deno.test(
  "telegram: media is downloaded only after access control and group gating let it through",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const engine = new EchoEngine({ reply: (r) => `got ${r.images?.length ?? 0} image(s)` });
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, {
        dmPolicy: "pairing",
        allowFrom: [12],
        groupPolicy: "open",
        groups: { [String(GROUP)]: {} },
      }),
      engine,
    });
    const getFiles = () => emu.calls.get("getFile") ?? 0;
    try {
      await telegramRunning(gw);
      // A stranger under `pairing`: three photos, one pairing reply, no download.
      const stranger = makeUser(emu.apiRoot, token, { chatId: 999, userId: 999 });
      const up = await stranger.uploadFile("x.png", new Uint8Array(1000));
      for (let i = 0; i < 3; i++) {
        await stranger.sendMessage({ photo: [{ file_id: up.file_id, file_size: up.file_size }] });
      }
      await stranger.waitFor((m) => m.length === 1, 5000, "the pairing reply");
      // An album from the stranger (buffered, then dropped) fetches nothing either.
      await stranger.sendMessage({ media_group_id: "s1", photo: [{ file_id: up.file_id }] });
      await stranger.sendMessage({ media_group_id: "s1", photo: [{ file_id: up.file_id }] });
      // A group photo without a mention is history only.
      const bob = makeUser(emu.apiRoot, token, { chatId: GROUP, userId: 31, type: "supergroup" });
      await bob.sendMessage({ photo: [{ file_id: up.file_id, file_size: up.file_size }] });
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(engine.requests.length, 0);
      assert.equal(getFiles(), 0, "the gateway fetched a file for a message it then dropped");

      // The allowed sender's photo is downloaded and reaches the agent.
      const owner = makeUser(emu.apiRoot, token, { chatId: 12, userId: 12 });
      const mine = await owner.uploadFile("cat.png", new TextEncoder().encode("PNG-OWNER"));
      await owner.sendMessage({ photo: [{ file_id: mine.file_id, file_size: mine.file_size }] });
      await owner.waitFor((m) => m.at(-1)?.text === "got 1 image(s)", 5000, "owner answer");
      assert.equal(atob(engine.requests[0].images![0].data), "PNG-OWNER");
      assert.equal(getFiles(), 1);

      // A mention in the group triggers a run: its photo is fetched then.
      await bob.sendMessage({
        caption: "@TestNameBot look",
        caption_entities: [{ type: "mention", offset: 0, length: 12 }],
        photo: [{ file_id: up.file_id, file_size: up.file_size }],
      });
      await eventually(() => engine.requests.length === 2, "the group run");
      await bob.waitFor((m) => m.length === 1, 5000, "group answer");
      assert.equal(getFiles(), 2);
      assert.equal(engine.requests[1].images?.length, 1);
    } finally {
      await gw.stop();
      await emu.stop();
    }
  },
);
