/**
 * The channel part of the gateway settings, resolved from the config file
 * and the environment in one place (called by `resolveSettings`). Pure.
 *
 * @module
 */

import type { GatewayConfig } from "../config/schema.ts";
import { resolveWorkspaceDir } from "../agent/workspace.ts";
import { configuredDefaultAgentId, foldAgentId } from "../config/agents.ts";
import { type LocalMediaPolicy, resolveMediaPolicy } from "./send_media.ts";
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
  /** Where `send` may read local media (absent: no local file is read). */
  media?: LocalMediaPolicy;
}

/** The instance paths the media policy needs. */
export interface ChannelPaths {
  stateDir: string;
  configPath: string;
  home?: string;
}

/**
 * Resolves the channel settings; `issues` name each bad key and what to do.
 * `stateDir` roots WhatsApp's default auth folders.
 */
export function resolveChannelSettings(
  config: GatewayConfig,
  env: Record<string, string | undefined>,
  paths?: ChannelPaths,
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
  if (paths) {
    const media = resolveMediaPolicy({
      stateDir: paths.stateDir,
      configPath: paths.configPath,
      workspaces: agentWorkspaces(config, env, paths),
      configured: (config.channels as { mediaLocalRoots?: unknown } | undefined)?.mediaLocalRoots,
      secretFiles: (settings.telegram?.accounts ?? []).flatMap((a) =>
        a.tokenFile ? [a.tokenFile] : []
      ),
      ...(paths.home ? { home: paths.home } : {}),
    });
    issues.push(...media.issues);
    settings.media = media.policy;
  }
  const wa = config.channels?.whatsapp as WhatsAppConfig | undefined;
  if (wa && wa.enabled !== false) {
    const resolved = resolveWhatsApp(wa, paths?.stateDir ?? "");
    issues.push(...resolved.issues);
    settings.whatsapp = { accounts: resolved.accounts };
  }
  return { settings, issues };
}

/** The workspace of the default agent and of every configured agent (media roots). */
function agentWorkspaces(
  config: GatewayConfig,
  env: Record<string, string | undefined>,
  paths: ChannelPaths,
): string[] {
  const agents = config.agents;
  const defaultAgentId = configuredDefaultAgentId(agents);
  const ids = new Set([
    defaultAgentId,
    ...(agents?.list ?? []).map((a) => foldAgentId(a.id)),
    ...Object.keys(agents?.entries ?? {}).map(foldAgentId),
  ]);
  return [...ids].map((agentId) =>
    resolveWorkspaceDir({
      agentId,
      defaultAgentId,
      agents: agents as never,
      env,
      stateDir: paths.stateDir,
    })
  );
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
