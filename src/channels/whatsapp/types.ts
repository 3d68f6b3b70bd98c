/**
 * The shapes the WhatsApp channel exposes to the rest of the gateway: account
 * settings, the normalised inbound envelope, the status snapshot and the
 * clock seam. Type-only: importing this file never loads Baileys.
 *
 * @module
 */

/** Reconnect backoff (`web.reconnect`): 2 s to 30 s, x1.8, +-25 %, 12 attempts. */
export interface ReconnectPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay added or removed at random (0.25 = +-25 %). */
  jitter: number;
  /** Consecutive failed attempts before the account stops and says so in health. */
  maxAttempts: number;
}

/** One WhatsApp account's resolved settings (`channels.whatsapp[.accounts.<id>]`). */
export interface WhatsAppAccountSettings {
  accountId: string;
  /** `$STATE/credentials/whatsapp/<accountId>` unless `authDir` overrides it. */
  authDir: string;
  /** `channels.whatsapp.wsUrl`; WhatsApp's own endpoint when unset. */
  wsUrl?: string;
  /** `channels.whatsapp.sendReadReceipts` (default true; never in self-chat). */
  sendReadReceipts?: boolean;
  /** Generate link previews for outbound URLs (default false). */
  linkPreview?: boolean;
  /** Overrides of the reconnect policy. */
  reconnect?: Partial<ReconnectPolicy>;
  /** Outbound text chunk size (default 4000). */
  textChunkLimit?: number;
  /** Outbound media cap per item in MB (default 5). */
  mediaMaxMb?: number;
  /** `web.heartbeatSeconds`: a status line in the log this often while linked (default 60, 0 = off). */
  heartbeatSeconds?: number;
  /** How long each QR code lives before Baileys rotates it (Baileys: 60 s, then 20 s). */
  qrTimeoutMs?: number;
}

/** The message an inbound one replies to. */
export interface WhatsAppReplyContext {
  /** The quoted message's stanza id. */
  id: string;
  /** `+E164` when known, else the quoted sender's JID (empty when WhatsApp left it out). */
  sender: string;
  body: string;
}

/** One accepted inbound message, normalised (spec channels.md section 1, step 3). */
export interface WhatsAppInboundEnvelope {
  channel: "whatsapp";
  accountId: string;
  /** `+15551234567`, when the phone number is known (PN JID or its LID mapping). */
  senderE164?: string;
  /** The sender's JID as addressed: `...@s.whatsapp.net` (PN) or `...@lid`. */
  senderJid: string;
  /** The sender's phone-number JID when known. */
  senderPnJid?: string;
  /** The sender's LID JID when known. */
  senderLidJid?: string;
  /** The push name the sender set, if any. */
  senderName?: string;
  /** Where a reply goes: the DM JID or the group JID (`...@g.us`). */
  chatId: string;
  isGroup: boolean;
  /** Message text (or caption, or a `<media:kind>` placeholder). */
  text: string;
  /** `text` plus the `[Replying to ...]` block when the message quotes another. */
  body: string;
  replyTo?: WhatsAppReplyContext;
  /** JIDs the message @mentions (groups: mention gating compares them with the linked number). */
  mentionedJids?: string[];
  /** Media kind when the message carries media (not downloaded by this build). */
  media?: { kind: "image" | "video" | "audio" | "document" | "sticker"; mimetype?: string };
  /** A message the linked number sent to its own chat (self-chat mode). */
  fromSelf: boolean;
  messageId: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** Where an account's connection stands. */
export type WhatsAppConnectionState =
  | "stopped"
  | "not_linked"
  | "connecting"
  | "waiting_qr"
  | "open"
  | "reconnecting"
  | "logged_out"
  | "conflict"
  | "gave_up";

/** The `health` / `channels.status` view of one account (spec section 6). */
export interface WhatsAppStatus {
  accountId: string;
  configured: true;
  /** Credentials exist and are linked to a phone. */
  linked: boolean;
  /** Time since `creds.json` was last written; null when not linked. */
  authAgeMs: number | null;
  /** A socket is wanted (started and not stopped for good). */
  running: boolean;
  connected: boolean;
  state: WhatsAppConnectionState;
  /** The last problem, with what to do next; null when none. */
  lastError: string | null;
  /** Consecutive failed reconnects since the last open connection. */
  reconnectAttempts: number;
  /** The linked identity once known. */
  self: { jid: string; e164?: string; lid?: string } | null;
}

/** The clock and randomness, behind one seam so tests can drive backoff. */
export interface WhatsAppClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  random(): number;
}
