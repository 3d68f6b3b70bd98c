/**
 * The channel part of the gateway settings, resolved from the config file
 * and the environment in one place (called by `resolveSettings`). Pure.
 *
 * @module
 */

import type { GatewayConfig } from "../config/schema.ts";
import {
  resolveTelegram,
  type TelegramAccountSettings,
  type TelegramConfig,
} from "./telegram/config.ts";
import {
  resolveWhatsApp,
  type WhatsAppConfig,
  type WhatsAppResolvedAccount,
} from "./whatsapp/config.ts";

/** What the channel manager runs on. */
export interface ChannelsSettings {
  /** Present when `channels.telegram` is in the config and not `enabled: false`. */
  telegram?: { accounts: TelegramAccountSettings[] };
  /** Present when `channels.whatsapp` is in the config and not `enabled: false`. */
  whatsapp?: { accounts: WhatsAppResolvedAccount[] };
  /** `messages.responsePrefix`. */
  responsePrefix?: string;
  /** `session.mainKey` (default `main`). */
  mainKey: string;
}

/**
 * Resolves the channel settings; `issues` name each bad key and what to do.
 * `stateDir` roots WhatsApp's default auth folders.
 */
export function resolveChannelSettings(
  config: GatewayConfig,
  env: Record<string, string | undefined>,
  stateDir = "",
): { settings: ChannelsSettings; issues: string[] } {
  const issues: string[] = [];
  const messages = (config.messages ?? {}) as { responsePrefix?: unknown };
  const session = (config.session ?? {}) as { mainKey?: unknown };
  const settings: ChannelsSettings = {
    mainKey: typeof session.mainKey === "string" && session.mainKey ? session.mainKey : "main",
    ...(typeof messages.responsePrefix === "string" && messages.responsePrefix
      ? { responsePrefix: messages.responsePrefix }
      : {}),
  };
  const tg = config.channels?.telegram as TelegramConfig | undefined;
  if (tg && tg.enabled !== false) {
    const resolved = resolveTelegram(tg, env);
    issues.push(...resolved.issues);
    settings.telegram = { accounts: resolved.accounts };
  }
  const wa = config.channels?.whatsapp as WhatsAppConfig | undefined;
  if (wa && wa.enabled !== false) {
    const resolved = resolveWhatsApp(wa, stateDir);
    issues.push(...resolved.issues);
    settings.whatsapp = { accounts: resolved.accounts };
  }
  return { settings, issues };
}

/** Every secret in the channel settings, for the log redactor. */
export function channelSecrets(settings: ChannelsSettings): string[] {
  const out: string[] = [];
  for (const a of settings.telegram?.accounts ?? []) {
    if (a.botToken) out.push(a.botToken);
    if (a.webhook?.secret) out.push(a.webhook.secret);
  }
  return out;
}
