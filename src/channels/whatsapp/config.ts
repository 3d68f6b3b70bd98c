/**
 * `channels.whatsapp` in the config file: the closed schema (unknown keys are
 * errors naming the key) and its resolution into per-account settings with
 * the spec's defaults (channels.md sections 2-3). Pure, and free of Baileys:
 * the config loader imports it whether or not WhatsApp is configured.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../../../protocol/literals.ts";
import type { AccessSettings, ReplySettings } from "../types.ts";
import type { ReconnectPolicy, WhatsAppAccountSettings } from "./types.ts";

const closed = { additionalProperties: false } as const;
const Bool = Type.Optional(Type.Boolean());
const Str = Type.Optional(Type.String({ maxLength: 4096 }));
const Entry = Type.String({ maxLength: 128 });

const accountKeys = {
  enabled: Bool,
  name: Str,
  /** Overrides `$STATE/credentials/whatsapp/<accountId>`. */
  authDir: Str,
  /** WhatsApp Web endpoint (tests and proxies point it elsewhere). */
  wsUrl: Type.Optional(Type.String({ pattern: "^wss?://", maxLength: 2048 })),
  sendReadReceipts: Bool,
  linkPreview: Bool,
  /** Personal-number mode: replies carry `[openclaw]` unless `messages.responsePrefix` is set. */
  selfChatMode: Bool,
  dmPolicy: Type.Optional(literals(["pairing", "allowlist", "open", "disabled"] as const)),
  allowFrom: Type.Optional(Type.Array(Entry, { maxItems: 10_000 })),
  groupPolicy: Type.Optional(literals(["open", "allowlist", "disabled"] as const)),
  groupAllowFrom: Type.Optional(Type.Array(Entry, { maxItems: 10_000 })),
  groups: Type.Optional(Type.Record(
    Type.String({ maxLength: 128 }),
    Type.Object({ requireMention: Bool, enabled: Bool }, closed),
  )),
  requireMention: Bool,
  mentionPatterns: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })),
  historyLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  textChunkLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_536 })),
  chunkMode: Type.Optional(literals(["length", "newline"] as const)),
  /** Outbound media cap per item. */
  mediaMaxMb: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
  heartbeatSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  errorPolicy: Type.Optional(literals(["reply", "silent"] as const)),
  errorCooldownMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
};

/** One account (`channels.whatsapp.accounts.<id>`). */
export const WhatsAppAccountConfig = Type.Object(accountKeys, closed);

/** `channels.whatsapp`: account keys at the top (defaults of every account) plus `accounts`. */
export const WhatsAppConfig = Type.Object({
  ...accountKeys,
  reconnect: Type.Optional(Type.Object({
    initialMs: Type.Optional(Type.Integer({ minimum: 250, maximum: 600_000 })),
    maxMs: Type.Optional(Type.Integer({ minimum: 250, maximum: 3_600_000 })),
    factor: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })),
    jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }, closed)),
  accounts: Type.Optional(
    Type.Record(Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$" }), WhatsAppAccountConfig),
  ),
}, closed);
/** `channels.whatsapp` as written. */
export type WhatsAppConfig = Static<typeof WhatsAppConfig>;
type AccountConfig = Static<typeof WhatsAppAccountConfig>;

/** One resolved account: the connection's settings plus the shared pipeline's. */
export interface WhatsAppResolvedAccount extends WhatsAppAccountSettings {
  enabled: boolean;
  selfChatMode: boolean;
  access: AccessSettings;
  reply: ReplySettings;
  mediaMaxBytes: number;
}

/** Spec defaults. */
export const WHATSAPP_DEFAULTS = {
  textChunkLimit: 4000,
  mediaMaxMb: 5,
  historyLimit: 50,
  errorCooldownMs: 60_000,
} as const;

/** `whatsapp:+1 555 123-4567` -> `+15551234567`; `*` stays. */
export function normalizeWhatsAppEntry(entry: string): string {
  const s = entry.trim().replace(/^whatsapp:/i, "");
  if (s === "*") return s;
  if (/@/.test(s)) return s;
  const digits = s.replace(/[\s().-]/g, "");
  return /^\+?\d{5,20}$/.test(digits) ? `+${digits.replace(/^\+/, "")}` : s;
}

/** Resolves every account; `issues` names each invalid combination and what to do. */
export function resolveWhatsApp(
  cfg: WhatsAppConfig,
  stateDir: string,
): { accounts: WhatsAppResolvedAccount[]; issues: string[] } {
  const { accounts: perAccount, reconnect, ...top } = cfg;
  const ids = perAccount && Object.keys(perAccount).length
    ? Object.keys(perAccount).sort()
    : ["default"];
  const issues: string[] = [];
  const accounts = ids.map((accountId): WhatsAppResolvedAccount => {
    const a: AccountConfig = { ...top, ...(perAccount?.[accountId] ?? {}) };
    const key = perAccount?.[accountId]
      ? `channels.whatsapp.accounts.${accountId}`
      : "channels.whatsapp";
    const allowFrom = (a.allowFrom ?? []).map(normalizeWhatsAppEntry);
    const dmPolicy = a.dmPolicy ?? "pairing";
    if (dmPolicy === "open" && !allowFrom.includes("*")) {
      issues.push(`${key}.dmPolicy is "open" but allowFrom has no "*": add "*" to allowFrom`);
    }
    for (const p of a.mentionPatterns ?? []) {
      try {
        new RegExp(p);
      } catch {
        issues.push(
          `${key}.mentionPatterns has an invalid regular expression "${p}": fix or remove it`,
        );
      }
    }
    const mediaMaxMb = a.mediaMaxMb ?? WHATSAPP_DEFAULTS.mediaMaxMb;
    const textChunkLimit = a.textChunkLimit ?? WHATSAPP_DEFAULTS.textChunkLimit;
    return {
      accountId,
      enabled: a.enabled !== false,
      authDir: a.authDir ?? `${stateDir}/credentials/whatsapp/${accountId}`,
      ...(a.wsUrl ? { wsUrl: a.wsUrl } : {}),
      sendReadReceipts: a.sendReadReceipts !== false,
      linkPreview: a.linkPreview === true,
      textChunkLimit,
      mediaMaxMb,
      ...(a.heartbeatSeconds !== undefined ? { heartbeatSeconds: a.heartbeatSeconds } : {}),
      ...(reconnect ? { reconnect: reconnect as Partial<ReconnectPolicy> } : {}),
      selfChatMode: a.selfChatMode === true,
      access: {
        dmPolicy,
        allowFrom,
        groupPolicy: a.groupPolicy ?? "allowlist",
        ...(a.groupAllowFrom
          ? { groupAllowFrom: a.groupAllowFrom.map(normalizeWhatsAppEntry) }
          : {}),
        ...(a.groups ? { groups: a.groups } : {}),
        requireMention: a.requireMention ?? true,
        mentionPatterns: a.mentionPatterns ?? [],
        historyLimit: a.historyLimit ?? WHATSAPP_DEFAULTS.historyLimit,
      },
      reply: {
        textChunkLimit,
        chunkMode: a.chunkMode ?? "length",
        // WhatsApp cannot edit a sent message from a linked device here: final text only.
        streaming: "off",
        errorPolicy: a.errorPolicy ?? "reply",
        errorCooldownMs: a.errorCooldownMs ?? WHATSAPP_DEFAULTS.errorCooldownMs,
        replyToMode: "off",
      },
      mediaMaxBytes: Math.floor(mediaMaxMb * 1024 * 1024),
    };
  });
  return { accounts, issues };
}
