/**
 * The reference checks of the Telegram emulator extension, run with the real
 * grammY and runner against it over real sockets.
 */

import assert from "node:assert/strict";
import { Bot, GrammyError, InputFile, webhookCallback } from "grammy";
import { run } from "@grammyjs/runner";
import { makeUser, postJson, rawBotCall, startTelegramEmulator } from "./mod.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const newToken = () => `${200000 + ++seq}:EMU_${Date.now()}`;

/** Resolves with the value, or rejects after `ms` naming `what`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

/** Polls `pred` every 10 ms; rejects after `ms` naming `what`. */
async function waitUntil(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms: ${what}`);
    await sleep(10);
  }
}

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "emulator: long polling, streaming edits, chat action, media, 429, 409",
  opts,
  async () => {
    const emu = await startTelegramEmulator();
    const token = newToken();
    const bot = new Bot(token, { client: { apiRoot: emu.apiRoot } });
    const user = makeUser(emu.apiRoot, token, { chatId: 1111, userId: 1111 });
    let got: (() => void) | undefined;
    let editRet: unknown;
    let notModified: unknown;
    let actionRet: unknown;
    bot.on("message:text", async (ctx) => {
      got?.();
      if (ctx.message.text !== "stream") return;
      actionRet = await ctx.replyWithChatAction("typing");
      const m = await ctx.reply("…");
      for (const part of ["Hel", "Hello", "Hello world"]) {
        editRet = await ctx.api.editMessageText(ctx.chat.id, m.message_id, part);
      }
      try {
        await ctx.api.editMessageText(ctx.chat.id, m.message_id, "Hello world");
      } catch (e) {
        notModified = e;
      }
    });
    bot.catch(() => {});
    const nextMessage = () => new Promise<void>((r) => (got = r));
    try {
      let started!: () => void;
      const startedP = new Promise<void>((r) => (started = r));
      const startP = bot.start({ onStart: () => started(), timeout: 30 }).then(
        () => "resolved" as const,
        (e) => e,
      );
      await within(startedP, 5000, "bot.start");
      const before = emu.calls.get("getUpdates") ?? 0;
      await sleep(1000);
      const idle = (emu.calls.get("getUpdates") ?? 0) - before;
      assert(idle <= 2, `long polling: ${idle} getUpdates in 1 s idle`);

      for (let i = 0; i < 5; i++) {
        const p = nextMessage();
        await user.sendText(`ping ${i}`);
        await within(p, 3000, `ping ${i} reaches the handler`);
      }

      await user.sendText("stream");
      const msgs = await user.waitFor(
        (m) => m.at(-1)?.text === "Hello world" && m.at(-1)?.edits === 3,
        3000,
        "streamed message",
      );
      assert.deepEqual(msgs.at(-1)?.edits, 3);
      await sleep(100);
      assert.deepEqual((editRet as { text: string }).text, "Hello world");
      assert((editRet as { edit_date?: number }).edit_date);
      assert.ok(notModified instanceof GrammyError, String(notModified));
      assert.deepEqual((notModified as GrammyError).error_code, 400);
      assert.deepEqual(actionRet, true);
      const actions = (await postJson(emu.apiRoot, "/getChatActions", { token })).result;
      assert.deepEqual(actions.length, 1);
      assert.deepEqual(actions[0].action, "typing");

      // Media: multipart upload, getFile, download; user upload downloadable by the bot.
      const doc = await bot.api.sendDocument(
        1111,
        new InputFile(new TextEncoder().encode("hello document"), "note.txt"),
        { caption: "doc" },
      );
      const f = await bot.api.getFile(doc.document.file_id);
      const dl = await (await fetch(`${emu.apiRoot}/file/bot${token}/${f.file_path}`)).text();
      assert.deepEqual(dl, "hello document");
      const photo = await bot.api.sendPhoto(
        1111,
        new InputFile(new Uint8Array([137, 80]), "p.png"),
      );
      assert(photo.photo?.[0]?.file_id);
      const up = await user.uploadFile("cat.jpg", new TextEncoder().encode("JPEGDATA"));
      const f2 = await bot.api.getFile(up.file_id);
      assert.deepEqual(
        await (await fetch(`${emu.apiRoot}/file/bot${token}/${f2.file_path}`)).text(),
        "JPEGDATA",
      );

      // 429 on getUpdates: the poller waits retry_after, then recovers.
      emu.fail({ method: "getUpdates", error_code: 429, retry_after: 1 });
      let p = nextMessage();
      await user.sendText("after 429");
      await within(p, 5000, "message before the 429");
      p = nextMessage();
      const t0 = performance.now();
      await user.sendText("after 429 (2)");
      await within(p, 5000, "message after the 429");
      assert(performance.now() - t0 > 900, "grammY honoured retry_after");

      // 429 on sendMessage surfaces retry_after.
      emu.fail({ method: "sendMessage", error_code: 429, retry_after: 3 });
      const e429 = await bot.api.sendMessage(1111, "x").catch((e) => e);
      assert.ok(e429 instanceof GrammyError, String(e429));
      assert.deepEqual(e429.error_code, 429);
      assert.deepEqual(e429.parameters.retry_after, 3);

      // 409: a second poller ends the first one's long poll; bot.start() rejects.
      const bot2 = new Bot(token, { client: { apiRoot: emu.apiRoot } });
      bot2.catch(() => {});
      const bot2run = bot2.start({ timeout: 30 }).catch(() => {});
      const r1 = await within(startP, 5000, "first poller ends with 409");
      assert.ok(r1 instanceof GrammyError, String(r1));
      assert.deepEqual(r1.error_code, 409);
      if (bot2.isRunning()) await bot2.stop();
      await bot2run;
      if (bot.isRunning()) await bot.stop();
    } finally {
      if (bot.isRunning()) await bot.stop().catch(() => {});
      await emu.stop();
    }
  },
);

Deno.test("emulator: @grammyjs/runner under real long polling", opts, async () => {
  const emu = await startTelegramEmulator();
  const token = newToken();
  const bot = new Bot(token, { client: { apiRoot: emu.apiRoot } });
  const user = makeUser(emu.apiRoot, token, { chatId: 2222 });
  let got: (() => void) | undefined;
  bot.on("message:text", () => got?.());
  const handle = run(bot);
  try {
    await sleep(300);
    const before = emu.calls.get("getUpdates") ?? 0;
    await sleep(1000);
    assert((emu.calls.get("getUpdates") ?? 0) - before <= 2, "runner long-polls");
    for (let i = 0; i < 5; i++) {
      const p = new Promise<void>((r) => (got = r));
      await user.sendText(`r ${i}`);
      await within(p, 3000, `runner message ${i}`);
    }
  } finally {
    await handle.stop();
    await emu.stop();
  }
});

Deno.test(
  "emulator: webhook with secret, failing webhook survives, 409 while set",
  opts,
  async () => {
    const emu = await startTelegramEmulator();
    const token = newToken();
    const bot = new Bot(token, { client: { apiRoot: emu.apiRoot } });
    const user = makeUser(emu.apiRoot, token, { chatId: 3333 });
    let got = 0;
    bot.on("message", () => void got++);
    await bot.init();
    const handle = webhookCallback(bot, "std/http", { secretToken: "s3cret" });
    const ac = new AbortController();
    // Wrapped: Deno.serve passes no Request to a zero-arity handler.
    const srv = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
      (req) => handle(req),
    );
    const url = `http://127.0.0.1:${srv.addr.port}/hook`;
    try {
      assert.deepEqual(await bot.api.setWebhook(url, { secret_token: "s3cret" }), true);
      await user.sendText("secret hook");
      await waitUntil(() => got === 1, 3000, "webhook delivery");
      await bot.api.setWebhook(url, { secret_token: "WRONG" });
      await user.sendText("should be refused");
      let info = await bot.api.getWebhookInfo();
      const end = Date.now() + 3000;
      while (!info.last_error_message && Date.now() < end) {
        await sleep(20);
        info = await bot.api.getWebhookInfo();
      }
      assert.deepEqual(got, 1);
      assert(info.last_error_message?.includes("401"), JSON.stringify(info));
      assert(await bot.api.getMe());
      const conflict = await rawBotCall(emu.apiRoot, token, "getUpdates");
      assert.deepEqual(conflict.status, 409);
      await bot.api.deleteWebhook();
      const unknown = await rawBotCall(emu.apiRoot, token, "sendPoll");
      assert.deepEqual(unknown.body.error_code, 404);
    } finally {
      ac.abort();
      await srv.finished;
      await emu.stop();
    }
  },
);
