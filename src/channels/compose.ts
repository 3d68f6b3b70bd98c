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
import { type AdapterFactory, ChannelManager, lazyAdapterFactory } from "./mod.ts";
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
  const account = (accountId?: string) =>
    settings().telegram?.accounts.find((a) => a.accountId === (accountId ?? "default"));
  return {
    manager,
    methods: {
      manager,
      send: {
        configured: () => manager.configured(),
        adapter: (c, a) => manager.adapter(c, a),
        ledger: new SendLedger(`${opts.stateDir}/channels/send-ledger.json`),
        mediaPolicy: () => settings().media,
        mediaMaxBytes: (_c, a) => account(a)?.mediaMaxBytes ?? DEFAULT_MEDIA_MAX,
        textChunkLimit: (_c, a) => account(a)?.reply.textChunkLimit ?? 4000,
      },
    },
    health: () =>
      Object.fromEntries(
        Object.entries(manager.statusNow()).map(([id, c]) => [id, {
          configured: c.configured,
          running: c.running,
          connected: c.connected,
          ...(c.lastError ? { lastError: c.lastError } : {}),
        }]),
      ),
    ready: () => {
      const st = manager.statusNow();
      return {
        ok: Object.values(st).every((c) => c.running || !c.accounts.some((a) => a.enabled)),
        channels: Object.fromEntries(
          Object.entries(st).map(([id, c]) => [id, {
            ok: c.running || !c.accounts.some((a) => a.enabled),
            running: c.running,
            connected: c.connected,
          }]),
        ),
      };
    },
  };
}
