/**
 * The WhatsApp channel (Baileys, WhatsApp Web multi-device): every configured
 * account's connection, login flows, sends and status. Importing this module
 * does NOT load Baileys; the first connect or login does.
 *
 * @example
 * ```ts
 * const wa = new WhatsAppChannel(resolveWhatsAppAccounts(config.channels.whatsapp, stateDir), {
 *   logger: log.child("whatsapp"),
 *   onInbound: (envelope) => pipeline.accept(envelope), // resolve true once access control passed
 * });
 * await wa.start();                 // linked accounts connect; others report "not linked"
 * await wa.sendText({ to: "+15551234567", message: "hi" });
 * ```
 *
 * @module
 */

import { invalidRequest } from "../../errors.ts";
import type { Logger } from "../../log/logger.ts";
import { authDirFor } from "./auth_state.ts";
import { type InboundHandler, WhatsAppConnection } from "./connection.ts";
import { WhatsAppLoginFlow } from "./login.ts";
import { type OutboundMedia, sendMedia, type SendResult, sendText } from "./outbound.ts";
import type {
  ReconnectPolicy,
  WhatsAppAccountSettings,
  WhatsAppClock,
  WhatsAppStatus,
} from "./types.ts";

export { WhatsAppConnection } from "./connection.ts";
export type { InboundHandler, WhatsAppConnectionDeps } from "./connection.ts";
export {
  type LoginStartResult,
  type LoginWaitResult,
  terminalLogin,
  WhatsAppLoginFlow,
} from "./login.ts";
export {
  chunkText,
  type OutboundMedia,
  resolveTarget,
  sendMedia,
  type SendResult,
  sendText,
} from "./outbound.ts";
export { authDirFor, deleteAuthState, readLinkedIdentity } from "./auth_state.ts";
export { DEFAULT_RECONNECT, reconnectDelayMs, resolveReconnectPolicy } from "./backoff.ts";
export {
  type WhatsAppChannelHealth,
  whatsappChannelHealth,
  whatsappLinkChannel,
  whatsappReady,
} from "./health.ts";
export type * from "./types.ts";

/** Per-account keys of `channels.whatsapp.accounts.<id>` (they override the channel's). */
export interface WhatsAppAccountConfig {
  authDir?: string;
  wsUrl?: string;
  sendReadReceipts?: boolean;
  linkPreview?: boolean;
  textChunkLimit?: number;
  mediaMaxMb?: number;
  enabled?: boolean;
  heartbeatSeconds?: number;
}

/** `channels.whatsapp` as this module reads it (the lead maps the config schema onto it). */
export interface WhatsAppChannelConfig extends WhatsAppAccountConfig {
  reconnect?: Partial<ReconnectPolicy>;
  accounts?: Record<string, WhatsAppAccountConfig>;
}

/** The account used when none is named: `default` if configured, else the first id (sorted). */
export function defaultWhatsAppAccountId(config: WhatsAppChannelConfig): string {
  const ids = Object.keys(config.accounts ?? {}).sort();
  return ids.length === 0 || ids.includes("default") ? "default" : ids[0];
}

/** Resolves every enabled account's settings (account keys over channel keys). */
export function resolveWhatsAppAccounts(
  config: WhatsAppChannelConfig,
  stateDir: string,
): WhatsAppAccountSettings[] {
  const accounts = config.accounts && Object.keys(config.accounts).length > 0
    ? config.accounts
    : { default: {} };
  const { accounts: _a, reconnect, ...channel } = config;
  return Object.keys(accounts).sort().flatMap((accountId) => {
    const merged = { ...channel, ...accounts[accountId] };
    if (merged.enabled === false) return [];
    return [{
      accountId,
      authDir: merged.authDir ?? authDirFor(stateDir, accountId),
      wsUrl: merged.wsUrl,
      sendReadReceipts: merged.sendReadReceipts,
      linkPreview: merged.linkPreview,
      textChunkLimit: merged.textChunkLimit,
      mediaMaxMb: merged.mediaMaxMb,
      heartbeatSeconds: merged.heartbeatSeconds,
      reconnect,
    }];
  });
}

/** Dependencies of {@link WhatsAppChannel}. */
export interface WhatsAppChannelDeps {
  logger: Logger;
  onInbound?: InboundHandler;
  clock?: WhatsAppClock;
}

/** All WhatsApp accounts of the gateway. */
export class WhatsAppChannel {
  readonly #conns = new Map<string, WhatsAppConnection>();
  readonly #flows = new Map<string, WhatsAppLoginFlow>();
  readonly #defaultId: string;

  constructor(accounts: WhatsAppAccountSettings[], deps: WhatsAppChannelDeps) {
    for (const settings of accounts) {
      this.#conns.set(
        settings.accountId,
        new WhatsAppConnection(settings, {
          logger: deps.logger.child(`whatsapp/${settings.accountId}`),
          onInbound: deps.onInbound,
          clock: deps.clock,
        }),
      );
    }
    const ids = [...this.#conns.keys()].sort();
    this.#defaultId = ids.includes("default") ? "default" : ids[0] ?? "default";
  }

  /** Starts every linked account (unlinked ones only report "not linked"). */
  async start(): Promise<WhatsAppStatus[]> {
    return await Promise.all([...this.#conns.values()].map((c) => c.start()));
  }

  /** Stops every account's socket and waits for pending creds writes. */
  async stop(): Promise<void> {
    for (const f of this.#flows.values()) f.dispose();
    this.#flows.clear();
    await Promise.all([...this.#conns.values()].map((c) => c.stop()));
  }

  /** One account; `INVALID_REQUEST` naming the configured ids when unknown. */
  account(accountId?: string): WhatsAppConnection {
    const id = accountId ?? this.#defaultId;
    const conn = this.#conns.get(id);
    if (!conn) {
      throw invalidRequest(
        `Unknown WhatsApp account "${id}" (configured: ${
          [...this.#conns.keys()].join(", ") || "none"
        }; add it under channels.whatsapp.accounts)`,
      );
    }
    return conn;
  }

  /** Status of every account, for `health`, `channels.status` and `/ready`. */
  status(): WhatsAppStatus[] {
    return [...this.#conns.values()].map((c) => c.status());
  }

  /** The login flow of an account (one per account, reused by start and wait). */
  loginFlow(accountId?: string): WhatsAppLoginFlow {
    const conn = this.account(accountId);
    let flow = this.#flows.get(conn.accountId);
    if (!flow) {
      flow = new WhatsAppLoginFlow(conn);
      this.#flows.set(conn.accountId, flow);
    }
    return flow;
  }

  /** Unlinks an account and deletes its auth state (`channels.logout`). */
  async logout(accountId?: string): Promise<WhatsAppStatus> {
    const conn = this.account(accountId);
    this.#flows.get(conn.accountId)?.dispose();
    this.#flows.delete(conn.accountId);
    await conn.logout();
    return conn.status();
  }

  /** Sends text (chunked); fails fast with `NOT_LINKED` / `UNAVAILABLE`. */
  sendText(params: { to: string; message: string; accountId?: string }): Promise<SendResult> {
    return sendText(this.account(params.accountId), params.to, params.message);
  }

  /** Sends one media item under the cap. */
  sendMedia(
    params: { to: string; media: OutboundMedia; accountId?: string },
  ): Promise<SendResult> {
    return sendMedia(this.account(params.accountId), params.to, params.media);
  }
}
