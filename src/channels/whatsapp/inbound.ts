/**
 * Inbound normalisation: a Baileys `messages.upsert` (type `notify`) message
 * becomes a {@link WhatsAppInboundEnvelope}, or a reason to drop it (status
 * and broadcast chats, own echoes, duplicates, nothing to say). Pure: no
 * Baileys import, so it is cheap to load and to test.
 *
 * @module
 */

import type { WAMessage } from "@whiskeysockets/baileys";
import type { WhatsAppInboundEnvelope, WhatsAppReplyContext } from "./types.ts";

/** Inbound text longer than this is cut (input limit; WhatsApp itself caps near 65 536). */
export const MAX_INBOUND_TEXT = 65_536;

/** `user[:device]@server` split into parts; undefined for anything else. */
export function parseJid(
  jid: string | null | undefined,
): { user: string; device?: number; server: string } | undefined {
  if (!jid) return undefined;
  const at = jid.indexOf("@");
  if (at < 0) return undefined;
  const server = jid.slice(at + 1);
  const [userAgent, device] = jid.slice(0, at).split(":");
  const user = userAgent.split("_")[0];
  return { user, server, device: device === undefined ? undefined : Number(device) };
}

/** The JID without its device part: `1555:3@s.whatsapp.net` -> `1555@s.whatsapp.net`. */
function bareJid(jid: string): string {
  const p = parseJid(jid);
  return p ? `${p.user}@${p.server}` : jid;
}

/** `+E164` for a phone-number JID, undefined for LIDs, groups and the rest. */
export function e164FromJid(jid: string | null | undefined): string | undefined {
  const p = parseJid(jid);
  if (!p || (p.server !== "s.whatsapp.net" && p.server !== "c.us")) return undefined;
  return /^\d{5,20}$/.test(p.user) ? `+${p.user}` : undefined;
}

/** Remembers message ids for a while, to drop redeliveries (bounded). */
export class SeenIds {
  #ids = new Map<string, number>();
  constructor(readonly max = 5_000, readonly ttlMs = 30 * 60_000) {}

  /** True when `id` was recorded within the TTL (records nothing). */
  has(id: string, now: number): boolean {
    const at = this.#ids.get(id);
    return at !== undefined && now - at < this.ttlMs;
  }

  /** True when `id` was seen within the TTL; records it otherwise. */
  seen(id: string, now: number): boolean {
    const at = this.#ids.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.#ids.delete(id);
    this.#ids.set(id, now);
    while (this.#ids.size > this.max) this.#ids.delete(this.#ids.keys().next().value!);
    return false;
  }
}

type Content = NonNullable<WAMessage["message"]>;

const MEDIA_KINDS = [
  ["imageMessage", "image"],
  ["videoMessage", "video"],
  ["audioMessage", "audio"],
  ["documentMessage", "document"],
  ["stickerMessage", "sticker"],
] as const;

/** Unwraps ephemeral / view-once / edited containers. */
function unwrap(message: Content | null | undefined): Content | undefined {
  let m = message ?? undefined;
  for (let i = 0; i < 4 && m; i++) {
    const inner = m.ephemeralMessage?.message ?? m.viewOnceMessage?.message ??
      m.viewOnceMessageV2?.message ?? m.documentWithCaptionMessage?.message;
    if (!inner) break;
    m = inner;
  }
  return m;
}

/** Text, caption or media placeholder of a message; empty when it carries none. */
function messageText(message: Content | null | undefined): {
  text: string;
  media?: WhatsAppInboundEnvelope["media"];
} {
  const m = unwrap(message);
  if (!m) return { text: "" };
  if (m.conversation) return { text: m.conversation };
  if (m.extendedTextMessage?.text) return { text: m.extendedTextMessage.text };
  for (const [field, kind] of MEDIA_KINDS) {
    const media = m[field] as { caption?: string | null; mimetype?: string | null } | undefined;
    if (media) {
      const placeholder = `<media:${kind}>`;
      return {
        text: media.caption ? `${placeholder} ${media.caption}` : placeholder,
        media: { kind, mimetype: media.mimetype ?? undefined },
      };
    }
  }
  return { text: "" };
}

function contextInfo(message: Content | undefined) {
  if (!message) return undefined;
  for (const value of Object.values(message)) {
    const ctx = (value as { contextInfo?: unknown } | null)?.contextInfo;
    if (ctx) return ctx as NonNullable<Content["extendedTextMessage"]>["contextInfo"];
  }
  return undefined;
}

/** The quoted-reply context of a message, if it quotes one. */
function replyContext(
  message: Content | null | undefined,
): WhatsAppReplyContext | undefined {
  const ctx = contextInfo(unwrap(message));
  if (!ctx?.stanzaId || !ctx.quotedMessage) return undefined;
  const participant = ctx.participant ?? "";
  return {
    id: ctx.stanzaId,
    sender: e164FromJid(participant) ?? participant,
    body: messageText(ctx.quotedMessage).text,
  };
}

/** The `[Replying to ...]` block the spec appends to the body. */
function replyBlock(reply: WhatsAppReplyContext): string {
  return `[Replying to ${reply.sender || "unknown"} id:${reply.id}]\n${reply.body}\n[/Replying]`;
}

/** What {@link normalizeInbound} needs to know about the linked account. */
export interface InboundContext {
  accountId: string;
  /** The linked number's own JIDs (PN and LID, any device). */
  self: { jid?: string; lid?: string };
  /** Ids this account sent recently (their echoes are dropped). */
  sentIds: { has(id: string): boolean };
  seen: SeenIds;
  now: number;
}

/** Why a message was dropped. */
export type DropReason = "broadcast" | "own_echo" | "duplicate" | "empty" | "malformed";

function timestampMs(value: WAMessage["messageTimestamp"], now: number): number {
  const n = typeof value === "number" ? value : Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? n * 1000 : now;
}

/** One upserted message -> an envelope, or why it was dropped (spec section 1, steps 2-3). */
export function normalizeInbound(
  msg: WAMessage,
  ctx: InboundContext,
): { envelope: WhatsAppInboundEnvelope } | { drop: DropReason } {
  const key = msg.key;
  const remote = key?.remoteJid;
  const id = key?.id;
  if (!remote || !id) return { drop: "malformed" };
  const chat = parseJid(remote);
  if (!chat) return { drop: "malformed" };
  if (chat.server === "broadcast" || chat.server === "newsletter") return { drop: "broadcast" };
  const isGroup = chat.server === "g.us";
  const selfUsers = [parseJid(ctx.self.jid)?.user, parseJid(ctx.self.lid)?.user].filter(Boolean);
  const selfChat = !isGroup && selfUsers.includes(chat.user);
  if (key.fromMe && (!selfChat || ctx.sentIds.has(id))) return { drop: "own_echo" };
  if (ctx.seen.seen(`${remote}|${id}`, ctx.now)) return { drop: "duplicate" };
  const { text: rawText, media } = messageText(msg.message);
  if (!rawText) return { drop: "empty" };
  const text = rawText.slice(0, MAX_INBOUND_TEXT);

  const k = key as typeof key & { remoteJidAlt?: string; participantAlt?: string };
  const senderJid = bareJid((isGroup ? k.participant : remote) ?? remote);
  const alt = isGroup ? k.participantAlt : k.remoteJidAlt;
  const jids = [senderJid, alt ? bareJid(alt) : undefined];
  const senderPnJid = jids.find((j) => j && parseJid(j)?.server === "s.whatsapp.net");
  const senderLidJid = jids.find((j) => j && parseJid(j)?.server === "lid");
  const replyTo = replyContext(msg.message);
  const mentioned = (contextInfo(unwrap(msg.message))?.mentionedJid ?? [])
    .slice(0, 256)
    .filter((j): j is string => typeof j === "string")
    .map(bareJid);
  return {
    envelope: {
      channel: "whatsapp",
      accountId: ctx.accountId,
      senderE164: e164FromJid(senderPnJid),
      senderJid,
      senderPnJid,
      senderLidJid,
      senderName: msg.pushName ?? undefined,
      chatId: bareJid(remote),
      isGroup,
      text,
      body: replyTo ? `${text}\n\n${replyBlock(replyTo)}` : text,
      replyTo,
      ...(mentioned.length ? { mentionedJids: mentioned } : {}),
      media,
      fromSelf: selfChat,
      messageId: id,
      timestamp: timestampMs(msg.messageTimestamp, ctx.now),
    },
  };
}
