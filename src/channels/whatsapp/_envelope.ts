/**
 * WhatsApp's normalised message -> the shared pipeline's envelope: sender id
 * as E.164 (the `allowFrom` format), chat id as the JID replies go to,
 * self-chat as trusted (the linked number skips DM policy), and group
 * mentions decided against the linked number's own JIDs. Pure.
 *
 * @module
 */

import type { InboundEnvelope } from "../types.ts";
import { parseJid } from "./inbound.ts";
import type { WhatsAppInboundEnvelope, WhatsAppStatus } from "./types.ts";

/** Maps one accepted WhatsApp message onto the shared contract. */
export function toInboundEnvelope(
  e: WhatsAppInboundEnvelope,
  self: WhatsAppStatus["self"],
): InboundEnvelope {
  const selfUsers = new Set(
    [parseJid(self?.jid)?.user, parseJid(self?.lid)?.user].filter((u): u is string => !!u),
  );
  const mentionedSelf = (e.mentionedJids ?? []).some((j) => {
    const user = parseJid(j)?.user;
    return user !== undefined && selfUsers.has(user);
  });
  // Quoting one of the assistant's messages counts as a mention, as on Telegram.
  const repliedToSelf = !!e.replyTo?.sender && !!self?.e164 && e.replyTo.sender === self.e164;
  return {
    channel: "whatsapp",
    accountId: e.accountId,
    messageId: e.messageId,
    dedupeKey: `${e.chatId}|${e.messageId}`,
    chatType: e.isGroup ? "group" : "dm",
    chatId: e.chatId,
    senderId: e.senderE164 ?? e.senderJid,
    ...(e.senderName ? { senderName: e.senderName } : {}),
    text: e.body,
    mentioned: e.isGroup && (mentionedSelf || repliedToSelf),
    ...(e.fromSelf ? { trusted: true } : {}),
    timestamp: e.timestamp,
  };
}
