/**
 * Telegram `Update` -> the pipeline's envelope (spec channels.md section 1,
 * step 3): sender and chat ids, text or caption, media placeholders, the
 * quoted-reply block, native mentions, forum topics. Pure.
 *
 * @module
 */

import type { InboundEnvelope } from "../types.ts";

// Only the fields we read; grammY's types would pull grammY in eagerly.
interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
}
interface TgEntity {
  type: string;
  offset: number;
  length: number;
  user?: TgUser;
}
/** The subset of a Telegram Message the gateway reads. */
export interface TgMessage {
  message_id: number;
  date?: number;
  from?: TgUser;
  chat: { id: number; type: string; title?: string; is_forum?: boolean };
  message_thread_id?: number;
  is_topic_message?: boolean;
  media_group_id?: string;
  text?: string;
  caption?: string;
  entities?: TgEntity[];
  caption_entities?: TgEntity[];
  reply_to_message?: TgMessage;
  photo?: Array<{ file_id: string; file_size?: number; width?: number; height?: number }>;
  document?: { file_id: string; file_name?: string; mime_type?: string; file_size?: number };
  video?: { file_id: string; file_size?: number };
  audio?: { file_id: string; file_size?: number };
  voice?: { file_id: string; file_size?: number };
  sticker?: { file_id: string };
}
/** The subset of a Telegram Update the gateway reads. */
export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
}

/** Longest inbound text kept. */
const MAX_INBOUND_TEXT = 16_384;

/** A file to fetch for the agent (images only go to the model). */
export interface MediaRef {
  kind: "image" | "video" | "audio" | "document" | "sticker";
  fileId: string;
  size?: number;
  mimeType?: string;
}

/** The bot's identity, for echoes and mentions. */
export interface BotIdentity {
  id: number;
  username?: string;
}

function displayName(u: TgUser | undefined): string | undefined {
  if (!u) return undefined;
  const name = [u.first_name, u.last_name].filter(Boolean).join(" ");
  return name || u.username;
}

/** The media a message carries (at most one kind in Telegram). */
function mediaOf(m: TgMessage): MediaRef | undefined {
  if (m.photo?.length) {
    const big = m.photo[m.photo.length - 1];
    return { kind: "image", fileId: big.file_id, size: big.file_size, mimeType: "image/jpeg" };
  }
  if (m.document) {
    const image = m.document.mime_type?.startsWith("image/");
    return {
      kind: image ? "image" : "document",
      fileId: m.document.file_id,
      size: m.document.file_size,
      mimeType: m.document.mime_type,
    };
  }
  if (m.video) return { kind: "video", fileId: m.video.file_id, size: m.video.file_size };
  if (m.voice) return { kind: "audio", fileId: m.voice.file_id, size: m.voice.file_size };
  if (m.audio) return { kind: "audio", fileId: m.audio.file_id, size: m.audio.file_size };
  if (m.sticker) return { kind: "sticker", fileId: m.sticker.file_id };
  return undefined;
}

function mentionsBot(m: TgMessage, bot: BotIdentity): boolean {
  if (m.reply_to_message?.from?.id === bot.id) return true;
  const text = m.text ?? m.caption ?? "";
  const handle = bot.username ? `@${bot.username.toLowerCase()}` : undefined;
  for (const e of [...(m.entities ?? []), ...(m.caption_entities ?? [])]) {
    if (e.type === "text_mention" && e.user?.id === bot.id) return true;
    if (e.type === "mention" && handle) {
      if (text.slice(e.offset, e.offset + e.length).toLowerCase() === handle) return true;
    }
  }
  return false;
}

/** The envelope for `update`, or `undefined` for updates the gateway ignores. */
export function normalizeUpdate(
  update: TgUpdate,
  bot: BotIdentity,
  accountId: string,
): { envelope: InboundEnvelope; media?: MediaRef; mediaGroupId?: string } | undefined {
  let m = update.message;
  if (!m || !m.chat || m.chat.type === "channel") return undefined;
  const media = mediaOf(m);
  // `/new@TestNameBot` (Telegram's form in groups) is the command `/new` for this bot.
  const own = bot.username ? new RegExp(`^(/\\w+)@${bot.username}\\b`, "i") : undefined;
  if (own && m.text) m = { ...m, text: m.text.replace(own, "$1") };
  // Telegram caps text at 4096 and captions at 1024; a self-hosted API may not.
  let text = (m.text ?? m.caption ?? "").slice(0, MAX_INBOUND_TEXT);
  if (media) text = text ? `${text}\n<media:${media.kind}>` : `<media:${media.kind}>`;
  const quoted = m.reply_to_message;
  if (quoted && (quoted.text || quoted.caption)) {
    const who = displayName(quoted.from) ?? "unknown";
    text += `\n\n[Replying to ${who} id:${quoted.message_id}]\n${
      (quoted.text ?? quoted.caption ?? "").slice(0, 4000)
    }\n[/Replying]`;
  }
  const dm = m.chat.type === "private";
  const threaded = !dm && (m.chat.is_forum || m.is_topic_message) &&
    m.message_thread_id !== undefined;
  return {
    envelope: {
      channel: "telegram",
      accountId,
      messageId: String(m.message_id),
      dedupeKey: String(update.update_id),
      chatType: dm ? "dm" : "group",
      chatId: String(m.chat.id),
      ...(threaded ? { threadId: String(m.message_thread_id) } : {}),
      senderId: String(m.from?.id ?? m.chat.id),
      ...(displayName(m.from) ? { senderName: displayName(m.from) } : {}),
      ...(m.from?.username ? { senderUsername: m.from.username } : {}),
      text,
      mentioned: !dm && mentionsBot(m, bot),
      fromSelf: m.from?.id === bot.id,
      timestamp: (m.date ?? Math.floor(Date.now() / 1000)) * 1000,
    },
    ...(media ? { media } : {}),
    ...(m.media_group_id ? { mediaGroupId: String(m.media_group_id).slice(0, 64) } : {}),
  };
}

/** Parses a send target: `123`, `-1001234`, `@channel`, `-1001234:topic:7`. */
export function parseTelegramTarget(to: string): { chatId: string; threadId?: string } {
  const t = to.trim().replace(/^(telegram|tg):/i, "");
  const m = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})(?::topic:(\d{1,12}))?$/.exec(t);
  if (!m) {
    throw new Error(
      `Invalid Telegram target "${to.slice(0, 80)}": use a numeric chat id, @username ` +
        "or <chatId>:topic:<topicId>",
    );
  }
  return { chatId: m[1], ...(m[2] ? { threadId: m[2] } : {}) };
}
