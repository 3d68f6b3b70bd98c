/**
 * The channel part of one gateway instance, composed in one call so the
 * composition root stays small: the manager, the `send` ledger, the method
 * deps, and the rows for health and `/ready`.
 *
 * @module
 */

import type { AgentEngine } from "../agent/types.ts";
import type { HealthSnapshot } from "../../protocol/schemas/system.ts";
import type { Logger } from "../log/logger.ts";
import type { ChannelMethodDeps } from "../methods/channels.ts";
import {
  type AccountStatus,
  type AdapterFactory,
  ChannelManager,
  type ChannelStatus,
  lazyAdapterFactory,
} from "./mod.ts";
import { SendLedger } from "./send_ledger.ts";
import type { ChannelsSettings } from "./settings.ts";

/** Options of {@link composeChannels}. */
export interface ComposeChannelsOptions {
  /** Live settings (a reload swaps them; call `manager.reconcile()` after). */
  settings: () => ChannelsSettings | undefined;
  stateDir: string;
  log: Logger;
  engine?: AgentEngine;
  factory?: AdapterFactory;
  onChange(): void;
}

/** The composed parts. */
export interface ComposedChannels {
  manager: ChannelManager;
  methods: ChannelMethodDeps;
  /** Health rows per channel. */
  health(): HealthSnapshot["channels"];
  /** The runbook's `linkChannel`: the first channel with a linked account (WhatsApp), if any. */
  linkChannel(): string | undefined;
  /** `/ready`: ok when every channel with an enabled account runs; states only, no error text. */
  ready(): {
    ok: boolean;
    channels: Record<string, { ok: boolean; running: boolean; connected: boolean }>;
  };
}

const DEFAULT_MEDIA_MAX = 100 * 1024 * 1024;

/** Builds the channel manager and what the server and methods need from it. */
export function composeChannels(opts: ComposeChannelsOptions): ComposedChannels {
  const settings = () => opts.settings() ?? { mainKey: "main" };
  const manager = new ChannelManager({
    settings,
    stateDir: opts.stateDir,
    engine: () => opts.engine,
    log: opts.log,
    onChange: opts.onChange,
    factory: opts.factory ?? lazyAdapterFactory(opts.stateDir, opts.log),
  });
  const account = (channel: string, accountId?: string) => {
    const all = manager.accounts(channel);
    return accountId
      ? all.find((a) => a.accountId === accountId)
      : all.find((a) => a.accountId === "default") ??
        [...all].sort((a, b) => a.accountId.localeCompare(b.accountId))[0];
  };
  const accountReady = (a: AccountStatus) => !a.enabled || (a.ready ?? a.running);
  return {
    manager,
    methods: {
      manager,
      send: {
        configured: () => manager.configured(),
        adapter: (c, a) => manager.adapter(c, a),
        ledger: new SendLedger(`${opts.stateDir}/channels/send-ledger.json`),
        mediaPolicy: () => settings().media,
        mediaMaxBytes: (c, a) => account(c, a)?.mediaMaxBytes ?? DEFAULT_MEDIA_MAX,
        textChunkLimit: (c, a) => account(c, a)?.reply.textChunkLimit ?? 4000,
      },
    },
    health: () =>
      Object.fromEntries(
        Object.entries(manager.statusNow()).map(([id, c]) => [id, channelHealth(c)]),
      ),
    linkChannel: () =>
      Object.entries(manager.statusNow()).find(([, c]) => c.accounts.some((a) => a.linked))?.[0],
    ready: () => {
      const st = manager.statusNow();
      const rows = Object.entries(st).map(([id, c]) =>
        [id, {
          ok: c.accounts.every(accountReady),
          running: c.running,
          connected: c.connected,
        }] as const
      );
      return { ok: rows.every(([, r]) => r.ok), channels: Object.fromEntries(rows) };
    },
  };
}

/**
 * One channel's health row. Linked-device channels (WhatsApp) add `linked`
 * and `authAgeMs` of the default account (else the first, sorted) and every
 * account in `probe.accounts` (state, linked, auth age, connected, last
 * error, reconnect attempts).
 */
export function channelHealth(c: ChannelStatus): HealthSnapshot["channels"][string] {
  const row: HealthSnapshot["channels"][string] = {
    configured: c.configured,
    running: c.running,
    connected: c.connected,
    ...(c.lastError ? { lastError: c.lastError } : {}),
  };
  const linkable = c.accounts.filter((a) => a.linked !== undefined);
  if (linkable.length === 0) return row;
  const sorted = [...linkable].sort((a, b) => a.accountId.localeCompare(b.accountId));
  const main = sorted.find((a) => a.accountId === "default") ?? sorted[0];
  return {
    ...row,
    linked: main.linked,
    ...(main.authAgeMs !== undefined ? { authAgeMs: main.authAgeMs } : {}),
    probe: {
      accounts: sorted.map((a) => ({
        accountId: a.accountId,
        state: a.connection ?? a.state,
        linked: a.linked,
        authAgeMs: a.authAgeMs ?? null,
        running: a.running,
        connected: a.connected,
        lastError: a.lastError ?? null,
        reconnectAttempts: a.reconnectAttempts ?? 0,
        ...(a.bot ? { self: a.bot.id } : {}),
      })),
    },
  };
}

/**
 * Starts the channels `delayMs` after the listener (at once when 0):
 * loading a channel library costs hundreds of ms of CPU, which must not
 * hold up the first clients' hello-ok. `cancel()` drops a pending start.
 */
export function startChannelsLater(
  manager: Pick<ChannelManager, "start">,
  delayMs: number,
  stopping: () => boolean,
): { cancel(): void } {
  if (delayMs <= 0) {
    manager.start();
    return { cancel() {} };
  }
  const timer = setTimeout(() => {
    if (!stopping()) manager.start();
  }, delayMs);
  return { cancel: () => clearTimeout(timer) };
}

/** Restarts the channels whose settings changed, saying which in the log. */
export function reconcileChannels(
  manager: Pick<ChannelManager, "reconcile">,
  log: Pick<Logger, "info" | "error">,
): void {
  void manager.reconcile().then((ids) => {
    if (ids.length) log.info(`channels restarted after a config change: ${ids.join(", ")}`);
  }, (err) => log.error(`channel restart failed: ${(err as Error).message}`));
}
