/**
 * The channel manager: builds the configured adapters (Telegram's code is
 * loaded only when it is configured), runs each with restart-on-failure,
 * feeds their messages to the pipeline, answers status and probes, and
 * performs `send` and pairing approvals. A config change under
 * `channels.<id>` restarts only that channel.
 *
 * @module
 */

import type { AgentEngine } from "../agent/types.ts";
import type { Logger } from "../log/logger.ts";
import { AccountRunner, type RunnerState } from "./_runner.ts";
import { PairingStore } from "./pairing.ts";
import { createPipeline, type Pipeline, type PipelineSettings } from "./pipeline.ts";
import type { ChannelsSettings } from "./settings.ts";
import type { AdapterStatus, ChannelAdapter } from "./types.ts";
import type { TelegramAccountSettings } from "./telegram/config.ts";
import { importLazy } from "../runtime/lazy_import.ts";
import type { WhatsAppResolvedAccount } from "./whatsapp/config.ts";

/** Channels this build knows. */
export const KNOWN_CHANNELS = ["whatsapp", "telegram"] as const;

/** One account's resolved settings, whatever the channel. */
export type ChannelAccountSettings = TelegramAccountSettings | WhatsAppResolvedAccount;

/** Builds the adapter of one account (tests may replace it). */
export type AdapterFactory = (
  channel: string,
  account: ChannelAccountSettings,
) => Promise<ChannelAdapter>;

/** Options of {@link ChannelManager}. */
export interface ChannelManagerOptions {
  settings: () => ChannelsSettings;
  /** `$STATE`. */
  stateDir: string;
  engine: () => AgentEngine | undefined;
  log: Logger;
  /** Status changed (health refresh). */
  onChange?: () => void;
  factory?: AdapterFactory;
  /** Pipeline tuning (tests). */
  streamThrottleMs?: number;
}

/** One account in `channels.status` / health. */
export interface AccountStatus extends AdapterStatus {
  accountId: string;
  enabled: boolean;
  configured: boolean;
  state: RunnerState["state"];
  restartAttempts: number;
  probe?: { ok: boolean; error?: string; bot?: AdapterStatus["bot"] };
}

/** One channel in `channels.status`. */
export interface ChannelStatus {
  configured: boolean;
  running: boolean;
  connected: boolean;
  lastError?: string;
  accounts: AccountStatus[];
}

const defaultFactory: AdapterFactory = (_channel, account) =>
  Promise.reject(new Error(`No adapter factory for account ${account.accountId}`));

/** Owns every channel connection of the gateway. */
export class ChannelManager {
  readonly pairing: PairingStore;
  readonly pipeline: Pipeline;
  #opts: ChannelManagerOptions;
  #runners = new Map<string, Map<string, AccountRunner>>();
  #applied = new Map<string, string>();
  #factory: AdapterFactory;
  #stopped = false;
  #reconciling: Promise<unknown> = Promise.resolve();

  constructor(opts: ChannelManagerOptions) {
    this.#opts = opts;
    this.#factory = opts.factory ?? defaultFactory;
    this.pairing = new PairingStore({ dir: `${opts.stateDir}/credentials` });
    this.pipeline = createPipeline({
      engine: opts.engine,
      pairing: this.pairing,
      settings: (channel, accountId) => this.#pipelineSettings(channel, accountId),
      adapter: (channel, accountId) => this.#runners.get(channel)?.get(accountId)?.adapter,
      log: opts.log.child("channels/inbound"),
      ...(opts.streamThrottleMs !== undefined ? { streamThrottleMs: opts.streamThrottleMs } : {}),
    });
  }

  /** Every configured account of `channel` (enabled or not). */
  accounts(channel: string): ChannelAccountSettings[] {
    const s = this.#opts.settings();
    if (channel === "telegram") return s.telegram?.accounts ?? [];
    if (channel === "whatsapp") return s.whatsapp?.accounts ?? [];
    return [];
  }

  #account(channel: string, accountId: string): ChannelAccountSettings | undefined {
    return this.accounts(channel).find((a) => a.accountId === accountId);
  }

  #pipelineSettings(channel: string, accountId: string): PipelineSettings {
    const s = this.#opts.settings();
    const a = this.#account(channel, accountId);
    if (!a) throw new Error(`Channel ${channel}/${accountId} is not configured`);
    // WhatsApp personal-number mode marks the assistant's replies unless a prefix is configured.
    const prefix = s.responsePrefix ??
      ("selfChatMode" in a && a.selfChatMode ? "[openclaw]" : undefined);
    return {
      access: a.access,
      reply: a.reply,
      ...(prefix ? { responsePrefix: prefix } : {}),
      mainKey: s.mainKey,
      agentId: "main",
    };
  }

  /** Channel ids with config, in a stable order. */
  configured(): string[] {
    const s = this.#opts.settings();
    return KNOWN_CHANNELS.filter((c) => s[c] !== undefined);
  }

  /** Starts every configured, enabled account (does not wait for connections). */
  start(): void {
    for (const channel of this.configured()) void this.#startChannel(channel);
  }

  async #startChannel(channel: string): Promise<void> {
    const accounts = this.accounts(channel);
    this.#applied.set(channel, JSON.stringify(accounts));
    const runners = new Map<string, AccountRunner>();
    this.#runners.set(channel, runners);
    for (const account of accounts) {
      if (!account.enabled) continue;
      const adapter = await this.#factory(channel, account);
      if (this.#stopped || this.#runners.get(channel) !== runners) return;
      const runner = new AccountRunner(adapter, {
        deliver: (env) => this.pipeline.handle(env),
        log: this.#opts.log.child(`channels/${channel}`),
        onChange: this.#opts.onChange,
      });
      runners.set(account.accountId, runner);
      void runner.start();
    }
  }

  async #stopChannel(channel: string): Promise<void> {
    const runners = this.#runners.get(channel);
    this.#applied.delete(channel);
    // Stopped before they leave the table: replies in flight drain through them.
    await Promise.all([...(runners?.values() ?? [])].map((r) => r.stop()));
    if (this.#runners.get(channel) === runners) this.#runners.delete(channel);
  }

  /**
   * Applies new settings: restarts only the channels whose settings
   * changed, starts new ones, stops removed ones.
   */
  reconcile(): Promise<string[]> {
    const run = () => this.#reconcile();
    const next = this.#reconciling.then(run, run);
    this.#reconciling = next.catch(() => []);
    return next;
  }

  async #reconcile(): Promise<string[]> {
    const changed: string[] = [];
    const now = new Set(this.configured());
    for (const channel of [...this.#runners.keys()]) {
      if (!now.has(channel)) {
        changed.push(channel);
        await this.#stopChannel(channel);
      }
    }
    for (const channel of now) {
      const next = JSON.stringify(this.accounts(channel));
      if (this.#applied.get(channel) === next) continue;
      changed.push(channel);
      await this.#stopChannel(channel);
      if (!this.#stopped) await this.#startChannel(channel);
    }
    if (changed.length) this.#opts.onChange?.();
    return changed;
  }

  /** The running adapter of `channel`/`accountId` (`undefined` when not configured). */
  adapter(
    channel: string,
    accountId?: string,
  ): { adapter?: ChannelAdapter; runner?: AccountRunner } {
    const runners = this.#runners.get(channel);
    if (!runners) return {};
    // No account named: `default`, else the first id in sorted order (as the spec's WhatsApp rule).
    const runner = accountId
      ? runners.get(accountId)
      : runners.get("default") ?? runners.get([...runners.keys()].sort()[0]);
    return { adapter: runner?.adapter, runner };
  }

  /** The adapters of `channel` that exist now (started or restarting), by account id. */
  adapters(channel: string): Map<string, ChannelAdapter> {
    return new Map([...(this.#runners.get(channel) ?? new Map<string, AccountRunner>())].map((
      [id, r],
    ) => [id, r.adapter]));
  }

  /** Per-channel status right now (health, `/ready`). */
  statusNow(): Record<string, ChannelStatus> {
    const out: Record<string, ChannelStatus> = {};
    for (const channel of this.configured()) {
      const accounts: AccountStatus[] = [];
      for (const a of this.accounts(channel)) {
        const runner = this.#runners.get(channel)?.get(a.accountId);
        const st = runner?.adapter.status() ?? { running: false, connected: false };
        const rs = runner?.state ?? { state: "stopped" as const, restartAttempts: 0 };
        const row: AccountStatus = {
          accountId: a.accountId,
          enabled: a.enabled,
          // WhatsApp needs no secret in the config: linking is a separate state (`linked`).
          configured: "authDir" in a ? true : !!(a.botToken || a.tokenFile),
          ...st,
          state: rs.state,
          restartAttempts: rs.restartAttempts,
        };
        const lastError = st.lastError ?? rs.lastError;
        if (lastError) row.lastError = lastError;
        accounts.push(row);
      }
      const enabled = accounts.filter((a) => a.enabled);
      const failing = enabled.find((a) => a.lastError);
      out[channel] = {
        configured: accounts.some((a) => a.configured),
        running: enabled.length > 0 && enabled.every((a) => a.running),
        connected: enabled.length > 0 && enabled.every((a) => a.connected),
        ...(failing ? { lastError: failing.lastError } : {}),
        accounts,
      };
    }
    return out;
  }

  /** Per-channel status; with `probe`, a live check of each running account. */
  async status(opts: { probe?: boolean; timeoutMs?: number } = {}): Promise<
    Record<string, ChannelStatus>
  > {
    const out = this.statusNow();
    if (!opts.probe) return out;
    for (const [channel, st] of Object.entries(out)) {
      await Promise.all(st.accounts.map(async (row) => {
        const runner = this.#runners.get(channel)?.get(row.accountId);
        if (runner && row.running) row.probe = await runner.adapter.probe(opts.timeoutMs ?? 8000);
      }));
    }
    return out;
  }

  /** Stops every channel. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#runners.keys()].map((c) => this.#stopChannel(c)));
  }
}

/**
 * The default factory: each channel's module (grammY, Baileys) is imported
 * only here, when an account of that channel starts.
 */
export const lazyAdapterFactory =
  (stateDir: string, log: Logger): AdapterFactory => async (channel, account) => {
    if (channel === "telegram") {
      const { createTelegramAdapter } = await importLazy<typeof import("./telegram/adapter.ts")>(
        "src/channels/telegram/adapter.ts",
      );
      return createTelegramAdapter({
        account: account as TelegramAccountSettings,
        stateDir,
        log: log.child("channels/telegram"),
      });
    }
    if (channel === "whatsapp") {
      const { createWhatsAppAdapter } = await importLazy<typeof import("./whatsapp/adapter.ts")>(
        "src/channels/whatsapp/adapter.ts",
      );
      return createWhatsAppAdapter({
        account: account as WhatsAppResolvedAccount,
        log: log.child("channels/whatsapp"),
      });
    }
    throw new Error(`Unknown channel "${channel}"`);
  };
