/**
 * The Telegram adapter for one bot account, on grammY (loaded with a dynamic
 * `import()` only when an account starts). Long polling through
 * {@link pollLoop} or a webhook listener; inbound updates journaled, then
 * normalised and delivered per chat in order; sends with 429 honoured.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import type {
  AdapterStartContext,
  AdapterStatus,
  ChannelAdapter,
  ChannelTarget,
  OutboundMedia,
  SentMessage,
} from "../types.ts";
import type { TelegramAccountSettings } from "./config.ts";
import {
  type BotIdentity,
  normalizeUpdate,
  parseTelegramTarget,
  type TgUpdate,
} from "./_normalize.ts";
import { abortableSleep, FatalPollError, pollLoop } from "./_poll.ts";
import { UpdateState } from "./_state.ts";
import { downloadImage } from "./_media.ts";
import { startWebhook } from "./_webhook.ts";

type Grammy = typeof import("grammy");
type Api = InstanceType<Grammy["Api"]>;
/** grammY's Node typings use the `abort-controller` polyfill's AbortSignal type: same object. */
type GrammySignal = Parameters<Api["getMe"]>[0];
const sig = (s: AbortSignal) => s as unknown as GrammySignal;

/** Options of {@link createTelegramAdapter}. */
export interface TelegramAdapterOptions {
  account: TelegramAccountSettings;
  /** `$STATE` (journal in `$STATE/telegram/`). */
  stateDir: string;
  log: Logger;
  /** Reads `tokenFile` (default `Deno.readTextFile`). */
  readFile?: (path: string) => Promise<string>;
}

/** How long `stop()` lets replies in flight finish. */
const STOP_DRAIN_MS = 3000;

/** Telegram caps a message at 4096 characters. */
const TELEGRAM_TEXT_MAX = 4096;

/** Builds the adapter (nothing is loaded or connected until `start`). */
export function createTelegramAdapter(opts: TelegramAdapterOptions): ChannelAdapter {
  const { account, log } = opts;
  let api: Api | undefined;
  let grammy: Grammy | undefined;
  let token = "";
  let me: BotIdentity | undefined;
  let running = false;
  let connected = false;
  let lastError: string | undefined;
  let fatal = false;
  let lastInboundAt: number | undefined;
  let lastOutboundAt: number | undefined;
  let stopCtl: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let closeWebhook: (() => Promise<void>) | undefined;
  const chats = new Map<string, Promise<void>>();
  // Sends work until the drain after stop() ends (in-flight replies finish).
  let open = false;
  let generation = 0;

  const needApi = (): Api => {
    if (!api || !open) {
      throw new Error(`Telegram account "${account.accountId}" is not running`);
    }
    return api;
  };

  /** Retries a call refused with 429 (nothing was sent, so no duplicate), at most 3 times. */
  const call = async <T>(fn: (api: Api) => Promise<T>): Promise<T> => {
    for (let attempt = 1;; attempt++) {
      try {
        const out = await fn(needApi());
        lastOutboundAt = Date.now();
        return out;
      } catch (err) {
        const e = err as { error_code?: number; parameters?: { retry_after?: number } };
        const wait = e.parameters?.retry_after;
        if (e.error_code !== 429 || attempt >= 3 || wait === undefined || wait > 60) throw err;
        log.warn(`Telegram rate limited (429): retrying in ${wait} s`);
        await abortableSleep(wait * 1000, stopCtl?.signal ?? new AbortController().signal);
      }
    }
  };

  // Topic 1 is a forum's "General" topic, which Telegram addresses without a thread id.
  const thread = (t: ChannelTarget) =>
    t.threadId && t.threadId !== "1" ? { message_thread_id: Number(t.threadId) } : {};
  const chatRef = (id: string) => (id.startsWith("@") ? id : Number(id));

  const readToken = async (): Promise<string> => {
    if (account.botToken) return account.botToken.trim();
    if (account.tokenFile) {
      const text = await (opts.readFile ?? Deno.readTextFile)(account.tokenFile).catch((err) => {
        throw new Error(
          `Cannot read Telegram tokenFile "${account.tokenFile}": ${(err as Error).message}`,
        );
      });
      return text.trim();
    }
    throw new Error(
      `Telegram account "${account.accountId}" has no bot token: set channels.telegram.botToken, ` +
        "tokenFile or TELEGRAM_BOT_TOKEN",
    );
  };

  const adapter: ChannelAdapter = {
    channel: "telegram",
    accountId: account.accountId,

    async start(ctx: AdapterStartContext) {
      fatal = false;
      lastError = undefined;
      token = await readToken();
      grammy ??= await import("grammy");
      api = new grammy.Api(token, {
        apiRoot: account.apiRoot,
        timeoutSeconds: account.timeoutSeconds,
      });
      const info = await api.getMe(sig(AbortSignal.any([ctx.signal, AbortSignal.timeout(15_000)])));
      me = { id: info.id, username: info.username };
      stopCtl = new AbortController();
      const signal = AbortSignal.any([ctx.signal, stopCtl.signal]);
      const state = new UpdateState(
        `${opts.stateDir}/telegram/${
          account.accountId.replace(/[^A-Za-z0-9_-]/g, "_")
        }-updates.json`,
      );
      const replay = await state.load();
      running = true;
      open = true;
      const gen = ++generation;

      const dispatch = (u: TgUpdate) => {
        const n = normalizeUpdate(u, me!, account.accountId);
        const work = async () => {
          try {
            if (n) {
              lastInboundAt = Date.now();
              if (n.media?.kind === "image" && !n.envelope.fromSelf) {
                const img = await downloadImage({
                  getFile: (id, s) => needApi().getFile(id, s && sig(s)),
                }, {
                  apiRoot: account.apiRoot,
                  token,
                  media: n.media,
                  maxBytes: account.mediaMaxBytes,
                  signal,
                }).catch((err) => {
                  log.warn(`Telegram media not downloaded: ${(err as Error).message}`);
                  return undefined;
                });
                if (img) n.envelope.images = [img];
              }
              await ctx.deliver(n.envelope);
            }
          } finally {
            // Cut off by a stop: stays journaled and is handled again after the restart.
            if (open && gen === generation) {
              await state.done(u.update_id).catch((err) =>
                log.error(`Telegram update journal not written: ${(err as Error).message}`)
              );
            }
          }
        };
        // One chat at a time, in order (grammY runner's sequentialize, per chat).
        const key = n?.envelope.chatId ?? "";
        const next = (chats.get(key) ?? Promise.resolve()).then(work, work);
        chats.set(key, next);
        void next.then(() => {
          if (chats.get(key) === next) chats.delete(key);
        });
      };
      const receive = async (updates: TgUpdate[]) => {
        for (const u of await state.accept(updates)) dispatch(u);
      };
      for (const u of replay) if (state.claim(u.update_id)) dispatch(u);

      const onFatal = (err: Error) => {
        running = false;
        connected = false;
        fatal = err instanceof FatalPollError;
        lastError = err.message;
        ctx.failed(err, { fatal });
      };
      if (account.webhook) {
        const bot = new grammy.Bot(token, {
          client: { apiRoot: account.apiRoot },
          botInfo: info,
        });
        // Journaled before the 200 (a failed write answers 500, so Telegram retries);
        // handled after it.
        bot.use((c) => receive([c.update as TgUpdate]));
        closeWebhook = await startWebhook({
          grammy,
          bot,
          webhook: account.webhook,
          signal,
          log,
        });
        await api.setWebhook(account.webhook.url, { secret_token: account.webhook.secret });
        connected = true;
        return;
      }
      await api.deleteWebhook().catch(() => {});
      // getMe answered: connected until a poll fails.
      connected = true;
      loop = pollLoop({
        getUpdates: (p, s) =>
          needApi().getUpdates(p as Parameters<Api["getUpdates"]>[0], sig(s)) as Promise<
            TgUpdate[]
          >,
        offset: state.nextOffset,
        receive,
        signal,
        log,
        stallMs: account.pollingStallThresholdMs,
        // grammY's request timeout covers getUpdates too: the long poll must end first.
        timeoutSec: Math.max(1, Math.min(30, account.timeoutSeconds - 5)),
        onState: (s) => {
          connected = s.connected;
          if (s.error) lastError = s.error;
        },
      }).catch((err) => onFatal(err as Error));
    },

    async stop() {
      running = false;
      connected = false;
      stopCtl?.abort();
      await loop;
      await closeWebhook?.();
      closeWebhook = undefined;
      // Let replies in flight finish (bounded); what does not finish is replayed on restart.
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...chats.values()]),
        new Promise((r) => (t = setTimeout(r, STOP_DRAIN_MS))),
      ]);
      clearTimeout(t);
      open = false;
      chats.clear();
    },

    status(): AdapterStatus {
      return {
        running,
        connected,
        mode: account.webhook ? "webhook" : "polling",
        ...(lastError ? { lastError } : {}),
        ...(fatal ? { fatal } : {}),
        ...(lastInboundAt ? { lastInboundAt } : {}),
        ...(lastOutboundAt ? { lastOutboundAt } : {}),
        ...(me
          ? { bot: { id: String(me.id), ...(me.username ? { username: me.username } : {}) } }
          : {}),
      };
    },

    async probe(timeoutMs) {
      try {
        const info = await needApi().getMe(sig(AbortSignal.timeout(timeoutMs)));
        return { ok: true, bot: { id: String(info.id), username: info.username } };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    },

    resolveTarget: parseTelegramTarget,

    async sendText(target, text) {
      const m = await call((a) =>
        a.sendMessage(chatRef(target.chatId), text.slice(0, TELEGRAM_TEXT_MAX), thread(target))
      );
      return { messageId: String(m.message_id), chatId: String(m.chat.id) };
    },

    async sendMedia(target, media: OutboundMedia): Promise<SentMessage> {
      const file = media.data ? new grammy!.InputFile(media.data, media.name) : media.url!;
      const extra = { ...thread(target), ...(media.caption ? { caption: media.caption } : {}) };
      const image = /^image\/(png|jpe?g|webp)$/.test(media.mimeType ?? "") ||
        /\.(png|jpe?g|webp)$/i.test(media.name);
      type Sent = { message_id: number; chat: { id: number } };
      const m = await call<Sent>((a) =>
        image
          ? a.sendPhoto(chatRef(target.chatId), file, extra)
          : a.sendDocument(chatRef(target.chatId), file, extra)
      );
      return { messageId: String(m.message_id), chatId: String(m.chat.id) };
    },

    async editText(target, messageId, text) {
      try {
        await call((a) =>
          a.editMessageText(
            chatRef(target.chatId),
            Number(messageId),
            text.slice(0, TELEGRAM_TEXT_MAX),
          )
        );
      } catch (err) {
        if (/not modified/i.test((err as Error).message)) return;
        throw err;
      }
    },

    async deleteMessage(target, messageId) {
      await call((a) => a.deleteMessage(chatRef(target.chatId), Number(messageId)));
    },

    async sendTyping(target) {
      await needApi().sendChatAction(chatRef(target.chatId), "typing", thread(target));
    },
  };
  return adapter;
}
