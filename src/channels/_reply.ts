/**
 * Delivery of one agent run's reply to a chat: the streaming preview (one
 * message edited as the text grows, throttled) and the final chunks. Used
 * only by the pipeline.
 *
 * @module
 */

import { applyPrefix, chunkText, isSilentReply, mayBecomeSilent } from "./chunk.ts";
import type { ChannelAdapter, ChannelTarget, ReplySettings } from "./types.ts";
import type { Logger } from "../log/logger.ts";

/** One reply in flight. */
export interface ReplyWriter {
  /** The cumulative assistant text so far (a streaming delta). */
  update(text: string): void;
  /** Sends the final text (or removes the preview when it is silent). Returns chunks sent. */
  finish(text: string): Promise<number>;
}

/** Options of {@link createReplyWriter}. */
export interface ReplyWriterOptions {
  adapter: ChannelAdapter;
  target: ChannelTarget;
  reply: ReplySettings;
  prefix?: string;
  log: Logger;
  /** Minimum time between preview edits (Telegram allows about one edit per second per chat). */
  throttleMs: number;
}

/** Creates the writer; with `streaming: "off"` (or no `editText`) only `finish` sends. */
export function createReplyWriter(opts: ReplyWriterOptions): ReplyWriter {
  const { adapter, reply, prefix, log } = opts;
  // replyToMode: quote the triggering message on the first reply message, or on every one.
  const { replyToMessageId, ...plain } = opts.target;
  const first = reply.replyToMode !== "off" && replyToMessageId ? opts.target : plain;
  const rest = reply.replyToMode === "all" ? opts.target : plain;
  const target = plain;
  const streams = reply.streaming !== "off" && !!adapter.editText;
  let latest = "";
  let shown = "";
  let previewId: string | undefined;
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;
  let finished = false;

  const flush = () => {
    timer = undefined;
    lastFlush = Date.now();
    chain = chain.then(async () => {
      if (finished || mayBecomeSilent(latest)) return;
      const text = applyPrefix(latest, prefix).slice(0, reply.textChunkLimit);
      if (text === shown) return;
      try {
        if (previewId === undefined) {
          previewId = (await adapter.sendText(first, text)).messageId;
        } else await adapter.editText!(target, previewId, text);
        shown = text;
      } catch (err) {
        log.debug(`streaming preview update failed: ${(err as Error).message}`);
      }
    });
  };

  return {
    update(text) {
      if (!streams || finished) return;
      latest = text;
      if (timer) return;
      const wait = Math.max(0, opts.throttleMs - (Date.now() - lastFlush));
      timer = setTimeout(flush, wait);
    },
    async finish(text) {
      clearTimeout(timer);
      timer = undefined;
      await chain;
      finished = true;
      if (isSilentReply(text)) {
        if (previewId !== undefined) {
          await adapter.deleteMessage?.(target, previewId).catch(() => {});
        }
        return 0;
      }
      const chunks = chunkText(applyPrefix(text, prefix), reply.textChunkLimit, reply.chunkMode);
      let sent = 0;
      for (const [i, chunk] of chunks.entries()) {
        if (i === 0 && previewId !== undefined) {
          if (chunk !== shown) await adapter.editText!(target, previewId, chunk);
        } else await adapter.sendText(i === 0 ? first : rest, chunk);
        sent++;
      }
      return sent;
    },
  };
}
