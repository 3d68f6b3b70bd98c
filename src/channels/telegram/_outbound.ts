/**
 * What the Telegram adapter sends: text, media, preview edits, deletes and
 * the typing action, through grammY's `Api`. A call refused with 429 is
 * retried after `retry_after` (Telegram sent nothing, so no duplicate).
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import type { ChannelAdapter, ChannelTarget, OutboundMedia, SentMessage } from "../types.ts";
import { abortableSleep } from "./_poll.ts";

type Grammy = typeof import("grammy");
type Api = InstanceType<Grammy["Api"]>;

/** Telegram caps a message at 4096 characters. */
const TELEGRAM_TEXT_MAX = 4096;
/** 429s retried per call, and the longest `retry_after` waited for. */
const MAX_ATTEMPTS = 3;
const MAX_RETRY_AFTER_S = 60;

/** What the sender reads from the adapter. */
export interface OutboundDeps {
  /** The API while sending is allowed; throws otherwise. */
  api(): Api;
  grammy(): Grammy;
  /** Ends 429 waits early (the adapter stops). */
  signal(): AbortSignal;
  log: Logger;
  /** A call went through (for `lastOutboundAt`). */
  sent(): void;
}

/** The send half of the adapter. */
export type Outbound = Pick<
  ChannelAdapter,
  "sendText" | "sendMedia" | "editText" | "deleteMessage" | "sendTyping"
>;

// Topic 1 is a forum's "General" topic, which Telegram addresses without a thread id.
const thread = (t: ChannelTarget) => ({
  ...(t.threadId && t.threadId !== "1" ? { message_thread_id: Number(t.threadId) } : {}),
  // A deleted original must not make the reply fail.
  ...(t.replyToMessageId
    ? {
      reply_parameters: {
        message_id: Number(t.replyToMessageId),
        allow_sending_without_reply: true,
      },
    }
    : {}),
});
const chatRef = (id: string) => (id.startsWith("@") ? id : Number(id));

/** Builds the senders. */
export function createOutbound(deps: OutboundDeps): Outbound {
  const call = async <T>(fn: (api: Api) => Promise<T>): Promise<T> => {
    for (let attempt = 1;; attempt++) {
      try {
        const out = await fn(deps.api());
        deps.sent();
        return out;
      } catch (err) {
        const e = err as { error_code?: number; parameters?: { retry_after?: number } };
        const wait = e.parameters?.retry_after;
        if (
          e.error_code !== 429 || attempt >= MAX_ATTEMPTS || wait === undefined ||
          wait > MAX_RETRY_AFTER_S
        ) throw err;
        deps.log.warn(`Telegram rate limited (429): retrying in ${wait} s`);
        await abortableSleep(wait * 1000, deps.signal());
      }
    }
  };

  return {
    async sendText(target, text) {
      const m = await call((a) =>
        a.sendMessage(chatRef(target.chatId), text.slice(0, TELEGRAM_TEXT_MAX), thread(target))
      );
      return { messageId: String(m.message_id), chatId: String(m.chat.id) };
    },

    async sendMedia(target, media: OutboundMedia): Promise<SentMessage> {
      const file = media.data ? new (deps.grammy().InputFile)(media.data, media.name) : media.url!;
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
      const { replyToMessageId: _r, ...where } = target;
      await deps.api().sendChatAction(chatRef(target.chatId), "typing", thread(where));
    },
  };
}
