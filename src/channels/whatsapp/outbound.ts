/**
 * Outbound WhatsApp: target resolution, text chunked at 4000 characters,
 * media under the 5 MB cap. Fails fast: a WhatsApp that is not linked
 * answers `NOT_LINKED` at once; there is no queue and no fallback path.
 *
 * @module
 */

import type { AnyMessageContent, WASocket } from "@whiskeysockets/baileys";
import { invalidRequest, unavailable } from "../../errors.ts";
import { GatewayError } from "../../errors.ts";

/** The spec's text chunk size. */
export const DEFAULT_TEXT_CHUNK_LIMIT = 4_000;
/** The spec's outbound media cap per item (`agents.defaults.mediaMaxMb`). */
export const DEFAULT_MEDIA_MAX_MB = 5;
/** Longest text accepted for one send (before chunking). */
export const MAX_SEND_TEXT = 100_000;
/** How long one Baileys send may take before the send fails. */
export const SEND_TIMEOUT_MS = 30_000;

/** What outbound needs from a connection (a {@link WhatsAppConnection} fits). */
export interface OutboundConnection {
  readonly accountId: string;
  readonly settings: { linkPreview?: boolean; textChunkLimit?: number; mediaMaxMb?: number };
  requireSocket(): WASocket;
  rememberSent(id: string | null | undefined): void;
}

/** The result of a send (spec section 5: `messageId`, `toJid`). */
export interface SendResult {
  channel: "whatsapp";
  toJid: string;
  /** The last message id (the one a `send` answer names). */
  messageId: string;
  messageIds: string[];
}

/**
 * Resolves a `to` into a JID: `+15551234567`, `15551234567`, `...@s.whatsapp.net`,
 * `...@lid`, `...@g.us` or `...@newsletter`.
 */
export function resolveTarget(to: string): string {
  const t = to.trim();
  if (/^[0-9]{5,20}(-[0-9]{5,20})?@(s\.whatsapp\.net|g\.us|lid|newsletter)$/.test(t)) return t;
  const digits = t.replace(/^whatsapp:/, "").replace(/[\s()-]/g, "");
  if (/^\+?[0-9]{5,20}$/.test(digits)) return `${digits.replace(/^\+/, "")}@s.whatsapp.net`;
  throw invalidRequest(
    `Invalid WhatsApp target "${
      to.slice(0, 64)
    }" (use an E.164 number like +15551234567 or a JID like 1203630...@g.us)`,
  );
}

/** Splits text into chunks of at most `limit` characters, preferring newlines, then spaces. */
export function chunkText(text: string, limit = DEFAULT_TEXT_CHUNK_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf("\n");
    if (cut < limit / 2) cut = window.lastIndexOf(" ");
    if (cut < limit / 2) cut = limit;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks.filter((c, i) => c.length > 0 || i === 0);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: number | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(unavailable(`${what} timed out after ${ms} ms`, { retryable: true })),
      ms,
    ) as unknown as number;
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function sendOne(
  conn: OutboundConnection,
  jid: string,
  content: AnyMessageContent,
): Promise<string> {
  const sock = conn.requireSocket();
  try {
    const sent = await withTimeout(
      sock.sendMessage(jid, content),
      SEND_TIMEOUT_MS,
      "WhatsApp send",
    );
    const id = sent?.key.id;
    if (!id) throw new Error("Baileys returned no message id");
    conn.rememberSent(id);
    return id;
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    throw unavailable(
      `WhatsApp send to ${jid} failed: ${err instanceof Error ? err.message : err}`,
      {
        cause: err,
      },
    );
  }
}

/** Sends text to `to`, in chunks of `textChunkLimit` (default 4000). */
export async function sendText(
  conn: OutboundConnection,
  to: string,
  text: string,
): Promise<SendResult> {
  if (text.length === 0) {
    throw invalidRequest("Cannot send an empty WhatsApp message (give message text or media)");
  }
  if (text.length > MAX_SEND_TEXT) {
    throw invalidRequest(
      `WhatsApp message of ${text.length} characters is over the ${MAX_SEND_TEXT} limit (split it)`,
    );
  }
  const jid = resolveTarget(to);
  conn.requireSocket(); // NOT_LINKED before any work
  const ids: string[] = [];
  for (const chunk of chunkText(text, conn.settings.textChunkLimit ?? DEFAULT_TEXT_CHUNK_LIMIT)) {
    // linkPreview: null stops Baileys fetching the URL's page (off unless configured).
    const content = conn.settings.linkPreview
      ? { text: chunk }
      : { text: chunk, linkPreview: null };
    ids.push(await sendOne(conn, jid, content as AnyMessageContent));
  }
  return { channel: "whatsapp", toJid: jid, messageId: ids[ids.length - 1], messageIds: ids };
}

/** One media item to send. */
export interface OutboundMedia {
  data: Uint8Array;
  mimetype: string;
  fileName?: string;
  caption?: string;
  /** Send an MP4 as a looping GIF. */
  gifPlayback?: boolean;
}

/** The Baileys content for a media item (spec: audio as voice note, ogg as opus). */
export function mediaContent(media: OutboundMedia): AnyMessageContent {
  const { data, caption, fileName } = media;
  const mimetype = media.mimetype.toLowerCase();
  if (mimetype.startsWith("image/")) return { image: data as never, caption, mimetype };
  if (mimetype.startsWith("video/")) {
    return { video: data as never, caption, mimetype, gifPlayback: media.gifPlayback === true };
  }
  if (mimetype.startsWith("audio/")) {
    const m = mimetype.startsWith("audio/ogg") ? "audio/ogg; codecs=opus" : mimetype;
    return { audio: data as never, mimetype: m, ptt: true };
  }
  return { document: data as never, mimetype, fileName: fileName ?? "file", caption };
}

/** Sends one media item (caption on it), capped at `mediaMaxMb` (default 5 MB). */
export async function sendMedia(
  conn: OutboundConnection,
  to: string,
  media: OutboundMedia,
): Promise<SendResult> {
  const maxMb = conn.settings.mediaMaxMb ?? DEFAULT_MEDIA_MAX_MB;
  const jid = resolveTarget(to);
  if (media.data.byteLength > maxMb * 1024 * 1024) {
    throw invalidRequest(
      `WhatsApp media of ${
        (media.data.byteLength / 1024 / 1024).toFixed(1)
      } MB is over the ${maxMb} MB cap (send a smaller file or raise agents.defaults.mediaMaxMb)`,
    );
  }
  conn.requireSocket();
  const id = await sendOne(conn, jid, mediaContent(media));
  return { channel: "whatsapp", toJid: jid, messageId: id, messageIds: [id] };
}
