/**
 * The adapter contract every channel implements (a small record of
 * functions, like grammY's framework adapters), and the normalised inbound
 * envelope the shared pipeline consumes. The gateway composes adapters; no
 * channel code lives in the server or the methods.
 *
 * @module
 */

/** Where a message goes: a chat, and optionally a forum topic. */
export interface ChannelTarget {
  chatId: string;
  threadId?: string;
  /** Send as a reply to this message (quoted). */
  replyToMessageId?: string;
}

/** A normalised inbound message (spec channels.md section 1, step 3). */
export interface InboundEnvelope {
  channel: string;
  accountId: string;
  /** Native message id (unique within the chat). */
  messageId: string;
  /** Key for duplicate detection (e.g. Telegram `update_id`). */
  dedupeKey: string;
  chatType: "dm" | "group";
  chatId: string;
  threadId?: string;
  senderId: string;
  senderName?: string;
  senderUsername?: string;
  /** Text or caption, with media placeholders and the quoted-reply block. */
  text: string;
  /** The bot was mentioned natively (`@bot` entity, reply to the bot). */
  mentioned: boolean;
  /** Images to hand to the agent (base64, already downloaded within the cap). */
  images?: Array<{ data: string; mimeType: string }>;
  /**
   * Downloads the images (within the cap; never rejects). The pipeline calls
   * it only for a message it answers, after access control and group gating,
   * so a stranger's media is never fetched.
   */
  loadImages?: () => Promise<Array<{ data: string; mimeType: string }>>;
  /** The message is the bot's own (an echo): dropped. */
  fromSelf?: boolean;
  /** The sender is the account's owner (WhatsApp self-chat): DM policy and pairing are skipped. */
  trusted?: boolean;
  /** Called once access control admitted the message (WhatsApp sends its read receipt then). */
  onAccepted?: () => void;
  timestamp: number;
}

/** The pipeline's entry: resolves once the message is fully handled (reply sent or dropped). */
export type InboundSink = (envelope: InboundEnvelope) => Promise<void>;

/** A message the channel sent. */
export interface SentMessage {
  messageId: string;
  chatId: string;
}

/** Outbound media: bytes read by the caller (size already checked) or a URL. */
export interface OutboundMedia {
  /** File name shown to the recipient. */
  name: string;
  data?: Uint8Array;
  url?: string;
  mimeType?: string;
  caption?: string;
}

/** What an adapter reports (health, `channels.status`). */
export interface AdapterStatus {
  running: boolean;
  connected: boolean;
  mode?: string;
  lastError?: string;
  /** The error cannot be fixed by retrying (409 conflict, bad token): no auto-restart. */
  fatal?: boolean;
  lastInboundAt?: number;
  lastOutboundAt?: number;
  bot?: { id: string; username?: string };
  /**
   * Whether the account lets `/ready` pass; defaults to `running`. A WhatsApp
   * account waiting for a phone link needs an operator, not time, so it does
   * not hold readiness back.
   */
  ready?: boolean;
  /** Linked-device channels (WhatsApp): credentials exist and are linked. */
  linked?: boolean;
  /** Time since the credentials were last written. */
  authAgeMs?: number;
  /** The connection's own state (WhatsApp: `open`, `reconnecting`, `not_linked`, ...). */
  connection?: string;
  /** Consecutive failed reconnects since the last open connection. */
  reconnectAttempts?: number;
}

/** Linking a device-based channel (WhatsApp QR): behind `web.login.*` and `channels.logout`. */
export interface ChannelLink {
  /** Starts linking; answers with the first QR (data URL and raw text) or why there is none. */
  start(opts: { force?: boolean; timeoutMs?: number }): Promise<{
    qrDataUrl?: string;
    qr?: string;
    message: string;
  }>;
  /** Waits until the phone linked and the connection is open. */
  wait(opts: { timeoutMs?: number }): Promise<{ connected: boolean; message: string }>;
  /** Unlinks and deletes the account's credentials. */
  logout(): Promise<{ loggedOut: boolean; message: string }>;
}

/** What `start()` is given. */
export interface AdapterStartContext {
  /** Ends the adapter. */
  signal: AbortSignal;
  deliver: InboundSink;
  /** The adapter failed after starting; the manager restarts it with backoff (unless fatal). */
  failed(err: Error, opts?: { fatal?: boolean }): void;
  /** The adapter's status changed on its own (connected, reconnecting): health is refreshed. */
  changed?(): void;
}

/** One channel account's connection. */
export interface ChannelAdapter {
  readonly channel: string;
  readonly accountId: string;
  /** Resolves once the adapter runs; rejects when it cannot start. */
  start(ctx: AdapterStartContext): Promise<void>;
  stop(): Promise<void>;
  status(): AdapterStatus;
  /** Live check (`channels.status --probe`), e.g. Telegram `getMe`. */
  probe(timeoutMs: number): Promise<{ ok: boolean; error?: string; bot?: AdapterStatus["bot"] }>;
  /** Parses a send target (`123`, `-100…:topic:7`); throws a message naming it when invalid. */
  resolveTarget(to: string): ChannelTarget;
  sendText(target: ChannelTarget, text: string): Promise<SentMessage>;
  sendMedia(target: ChannelTarget, media: OutboundMedia): Promise<SentMessage>;
  /** Replaces the text of a sent message (streaming previews). */
  editText?(target: ChannelTarget, messageId: string, text: string): Promise<void>;
  deleteMessage?(target: ChannelTarget, messageId: string): Promise<void>;
  /** Shows "typing…" for a few seconds. */
  sendTyping?(target: ChannelTarget): Promise<void>;
  /** Throws a typed error (`NOT_LINKED`, `UNAVAILABLE`) when a send cannot work right now. */
  checkSend?(): void;
  /** Present on channels linked through a phone (WhatsApp). */
  link?: ChannelLink;
}

/** How replies are shaped, per channel account (config with defaults applied). */
export interface ReplySettings {
  textChunkLimit: number;
  chunkMode: "length" | "newline";
  streaming: "off" | "partial" | "block" | "progress";
  errorPolicy: "reply" | "silent";
  errorCooldownMs: number;
  /** Quote the triggering message: on no reply message, the first, or all. */
  replyToMode: "off" | "first" | "all";
}

/** Who may talk to the assistant, per channel account (config with defaults applied). */
export interface AccessSettings {
  dmPolicy: "pairing" | "allowlist" | "open" | "disabled";
  allowFrom: string[];
  groupPolicy: "open" | "allowlist" | "disabled";
  groupAllowFrom?: string[];
  /** Chat id (or `"*"`) -> per-group settings. Absent: every group blocked. */
  groups?: Record<string, { requireMention?: boolean; enabled?: boolean }>;
  requireMention: boolean;
  mentionPatterns: string[];
  historyLimit: number;
}
