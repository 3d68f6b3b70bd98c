/**
 * `channels.telegram` in the config file: the closed schema (unknown keys are
 * errors naming the key) and its resolution into per-account settings with
 * the spec's defaults (channels.md section 4). Pure; the token file is read
 * when the account starts.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../../../protocol/literals.ts";
import type { AccessSettings, ReplySettings } from "../types.ts";

const closed = { additionalProperties: false } as const;
const Bool = Type.Optional(Type.Boolean());
const Str = Type.Optional(Type.String({ maxLength: 4096 }));
const Id = Type.Union([Type.String({ maxLength: 128 }), Type.Integer()]);

/** DM policies. */
export const DM_POLICIES = ["pairing", "allowlist", "open", "disabled"] as const;
/** Group sender policies. */
export const GROUP_POLICIES = ["open", "allowlist", "disabled"] as const;
/** Streaming preview modes (`partial` edits one message as the text grows). */
export const STREAMING_MODES = ["off", "partial", "block", "progress"] as const;

const accountKeys = {
  enabled: Bool,
  name: Str,
  botToken: Str,
  tokenFile: Str,
  /** Bot API root (self-hosted Bot API servers, tests). */
  apiRoot: Str,
  dmPolicy: Type.Optional(literals(DM_POLICIES)),
  allowFrom: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
  groupPolicy: Type.Optional(literals(GROUP_POLICIES)),
  groupAllowFrom: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
  groups: Type.Optional(Type.Record(
    Type.String(),
    Type.Object({ requireMention: Bool, enabled: Bool }, closed),
  )),
  requireMention: Bool,
  mentionPatterns: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50 })),
  historyLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  textChunkLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
  chunkMode: Type.Optional(literals(["length", "newline"] as const)),
  streaming: Type.Optional(literals(STREAMING_MODES)),
  mediaMaxMb: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
  mediaGroupFlushMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
  pollingStallThresholdMs: Type.Optional(Type.Integer({ minimum: 30_000, maximum: 600_000 })),
  webhookUrl: Str,
  webhookSecret: Str,
  webhookHost: Str,
  webhookPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  webhookPath: Str,
  errorPolicy: Type.Optional(literals(["reply", "silent"] as const)),
  errorCooldownMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
  replyToMode: Type.Optional(literals(["off", "first", "all"] as const)),
  configWrites: Bool,
  healthMonitor: Type.Optional(Type.Object({ enabled: Bool }, closed)),
};

/** One bot account (`channels.telegram.accounts.<id>`). */
export const TelegramAccountConfig = Type.Object(accountKeys, closed);
/** One bot account as written. */
export type TelegramAccountConfig = Static<typeof TelegramAccountConfig>;

/** `channels.telegram`: account keys at the top (the default account) plus `accounts`. */
export const TelegramConfig = Type.Object({
  ...accountKeys,
  accounts: Type.Optional(
    Type.Record(Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$" }), TelegramAccountConfig),
  ),
}, closed);
/** `channels.telegram` as written. */
export type TelegramConfig = Static<typeof TelegramConfig>;

/** Spec defaults. */
export const TELEGRAM_DEFAULTS = {
  apiRoot: "https://api.telegram.org",
  textChunkLimit: 4000,
  mediaMaxMb: 100,
  mediaGroupFlushMs: 500,
  historyLimit: 50,
  pollingStallThresholdMs: 120_000,
  webhookHost: "127.0.0.1",
  webhookPort: 8787,
  webhookPath: "/telegram-webhook",
  errorCooldownMs: 60_000,
  /** grammY's own default request timeout is 500 s; the spec guards sends at 60 s. */
  timeoutSeconds: 60,
} as const;

/** One resolved account. */
export interface TelegramAccountSettings {
  accountId: string;
  enabled: boolean;
  botToken?: string;
  tokenFile?: string;
  apiRoot: string;
  access: AccessSettings;
  reply: ReplySettings;
  mediaMaxBytes: number;
  /** Quiet time after an album's last item before it is handled as one message. */
  mediaGroupFlushMs: number;
  timeoutSeconds: number;
  pollingStallThresholdMs: number;
  webhook?: { url: string; secret: string; host: string; port: number; path: string };
}

/** Resolves every account; `issues` names each invalid combination and what to do. */
export function resolveTelegram(
  cfg: TelegramConfig,
  env: Record<string, string | undefined>,
): { accounts: TelegramAccountSettings[]; issues: string[] } {
  const { accounts: perAccount, ...top } = cfg;
  const ids = perAccount && Object.keys(perAccount).length ? Object.keys(perAccount) : ["default"];
  const issues: string[] = [];
  const accounts = ids.map((accountId) => {
    const a: TelegramAccountConfig = { ...top, ...(perAccount?.[accountId] ?? {}) };
    const key = perAccount?.[accountId]
      ? `channels.telegram.accounts.${accountId}`
      : "channels.telegram";
    const allowFrom = (a.allowFrom ?? []).map((x) => String(x).replace(/^(telegram|tg):/i, ""));
    const dmPolicy = a.dmPolicy ?? "pairing";
    if (dmPolicy === "open" && !allowFrom.includes("*")) {
      issues.push(`${key}.dmPolicy is "open" but allowFrom has no "*": add "*" to allowFrom`);
    }
    if (dmPolicy === "allowlist" && allowFrom.length === 0) {
      issues.push(
        `${key}.dmPolicy is "allowlist" but allowFrom is empty, which blocks every DM: ` +
          'list user ids in allowFrom, or use dmPolicy "pairing"',
      );
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
    let webhook: TelegramAccountSettings["webhook"];
    if (a.webhookUrl) {
      if (!a.webhookSecret) {
        issues.push(`${key}.webhookUrl is set without webhookSecret: set a random webhookSecret`);
      }
      webhook = {
        url: a.webhookUrl,
        secret: a.webhookSecret ?? "",
        host: a.webhookHost ?? TELEGRAM_DEFAULTS.webhookHost,
        port: a.webhookPort ?? TELEGRAM_DEFAULTS.webhookPort,
        path: a.webhookPath ?? TELEGRAM_DEFAULTS.webhookPath,
      };
    }
    const botToken = a.botToken ??
      (a.tokenFile || accountId !== "default" ? undefined : env.TELEGRAM_BOT_TOKEN);
    return {
      accountId,
      enabled: a.enabled !== false,
      ...(botToken ? { botToken } : {}),
      ...(a.tokenFile ? { tokenFile: a.tokenFile } : {}),
      apiRoot: (a.apiRoot ?? TELEGRAM_DEFAULTS.apiRoot).replace(/\/+$/, ""),
      access: {
        dmPolicy,
        allowFrom,
        groupPolicy: a.groupPolicy ?? "allowlist",
        ...(a.groupAllowFrom ? { groupAllowFrom: a.groupAllowFrom.map(String) } : {}),
        ...(a.groups ? { groups: a.groups } : {}),
        requireMention: a.requireMention ?? true,
        mentionPatterns: a.mentionPatterns ?? [],
        historyLimit: a.historyLimit ?? TELEGRAM_DEFAULTS.historyLimit,
      },
      reply: {
        textChunkLimit: a.textChunkLimit ?? TELEGRAM_DEFAULTS.textChunkLimit,
        chunkMode: a.chunkMode ?? "length",
        streaming: a.streaming ?? "partial",
        errorPolicy: a.errorPolicy ?? "reply",
        errorCooldownMs: a.errorCooldownMs ?? TELEGRAM_DEFAULTS.errorCooldownMs,
        replyToMode: a.replyToMode ?? "off",
      },
      mediaMaxBytes: Math.floor((a.mediaMaxMb ?? TELEGRAM_DEFAULTS.mediaMaxMb) * 1024 * 1024),
      mediaGroupFlushMs: a.mediaGroupFlushMs ?? TELEGRAM_DEFAULTS.mediaGroupFlushMs,
      timeoutSeconds: a.timeoutSeconds ?? TELEGRAM_DEFAULTS.timeoutSeconds,
      pollingStallThresholdMs: a.pollingStallThresholdMs ??
        TELEGRAM_DEFAULTS.pollingStallThresholdMs,
      ...(webhook ? { webhook } : {}),
    };
  });
  return { accounts, issues };
}
