/**
 * The Telegram adapter for one bot account, on grammY (loaded with a dynamic
 * `import()` only when an account starts). Long polling through
 * {@link pollLoop} or a webhook listener; inbound updates journaled, then
 * normalised and delivered per chat in order; sends with 429 honoured.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import type { AdapterStartContext, AdapterStatus, ChannelAdapter } from "../types.ts";
import type { TelegramAccountSettings } from "./config.ts";
import { type BotIdentity, parseTelegramTarget, type TgUpdate } from "./_normalize.ts";
import { FatalPollError, pollLoop } from "./_poll.ts";
import { createOutbound } from "./_outbound.ts";
import { UpdateState } from "./_state.ts";
import { downloadImage } from "./_media.ts";
import { createInbound, type Inbound } from "./_inbound.ts";
import { startWebhook } from "./_webhook.ts";
import { importLazy } from "../../runtime/lazy_import.ts";

type Grammy = typeof import("grammy");
type Api = InstanceType<Grammy["Api"]>;
/** grammY's Node typings use the `abort-controller` polyfill's AbortSignal type: same object. */
type GrammySignal = Parameters<Api["getMe"]>[0];
const sig = (s: AbortSignal) => s as unknown as GrammySignal;

/** Options of {@link createTelegramAdapter}. */
export interface TelegramAdapterOptions {
  account: TelegramAccountSettings;
  /** `$STATE` (journal in `$STATE/telegram/`). */
  stateDir: string;
  log: Logger;
  /** Reads `tokenFile` (default `Deno.readTextFile`). */
  readFile?: (path: string) => Promise<string>;
}

/** How long `stop()` lets replies in flight finish. */
const STOP_DRAIN_MS = 3000;

/** Builds the adapter (nothing is loaded or connected until `start`). */
export function createTelegramAdapter(opts: TelegramAdapterOptions): ChannelAdapter {
  const { account, log } = opts;
  let api: Api | undefined;
  let grammy: Grammy | undefined;
  let token = "";
  let me: BotIdentity | undefined;
  let running = false;
  let connected = false;
  let lastError: string | undefined;
  let fatal = false;
  let lastInboundAt: number | undefined;
  let lastOutboundAt: number | undefined;
  let stopCtl: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let closeWebhook: (() => Promise<void>) | undefined;
  let current: Inbound | undefined;
  // Sends work until the drain after stop() ends (in-flight replies finish).
  let open = false;
  let generation = 0;

  const needApi = (): Api => {
    if (!api || !open) {
      throw new Error(`Telegram account "${account.accountId}" is not running`);
    }
    return api;
  };

  const readToken = async (): Promise<string> => {
    if (account.botToken) return account.botToken.trim();
    if (account.tokenFile) {
      const text = await (opts.readFile ?? Deno.readTextFile)(account.tokenFile).catch((err) => {
        throw new Error(
          `Cannot read Telegram tokenFile "${account.tokenFile}": ${(err as Error).message}`,
        );
      });
      return text.trim();
    }
    throw new Error(
      `Telegram account "${account.accountId}" has no bot token: set channels.telegram.botToken, ` +
        "tokenFile or TELEGRAM_BOT_TOKEN",
    );
  };

  const adapter: ChannelAdapter = {
    channel: "telegram",
    accountId: account.accountId,

    async start(ctx: AdapterStartContext) {
      fatal = false;
      lastError = undefined;
      token = await readToken();
      grammy ??= await importLazy<Grammy>("grammy");
      api = new grammy.Api(token, {
        apiRoot: account.apiRoot,
        timeoutSeconds: account.timeoutSeconds,
      });
      const info = await api.getMe(sig(AbortSignal.any([ctx.signal, AbortSignal.timeout(15_000)])))
        .catch((err) => {
          throw new Error(describeFailure(err, account.apiRoot, token));
        });
      me = { id: info.id, username: info.username };
      stopCtl = new AbortController();
      const signal = AbortSignal.any([ctx.signal, stopCtl.signal]);
      const state = new UpdateState(
        `${opts.stateDir}/telegram/${
          account.accountId.replace(/[^A-Za-z0-9_-]/g, "_")
        }-updates.json`,
      );
      const replay = await state.load();
      running = true;
      open = true;
      const gen = ++generation;

      const inbound = createInbound({
        bot: me,
        accountId: account.accountId,
        flushMs: account.mediaGroupFlushMs,
        deliver: (env) => {
          lastInboundAt = Date.now();
          return ctx.deliver(env);
        },
        download: (media) =>
          downloadImage({ getFile: (id, s) => needApi().getFile(id, s && sig(s)) }, {
            apiRoot: account.apiRoot,
            token,
            media,
            maxBytes: account.mediaMaxBytes,
            signal,
          }).catch((err) => {
            log.warn(`Telegram media not downloaded: ${(err as Error).message}`);
            return undefined;
          }),
        // Cut off by a stop: stays journaled and is handled again after the restart.
        done: async (id) => {
          if (!open || gen !== generation) return;
          await state.done(id).catch((err) =>
            log.error(`Telegram update journal not written: ${(err as Error).message}`)
          );
        },
      });
      current = inbound;
      const dispatch = inbound.dispatch;
      const receive = async (updates: TgUpdate[]) => {
        const { fresh, journaled } = state.accept(updates);
        for (const u of fresh) dispatch(u);
        await journaled;
      };
      for (const u of replay) if (state.claim(u.update_id)) dispatch(u);

      const onFatal = (err: Error) => {
        running = false;
        connected = false;
        fatal = err instanceof FatalPollError;
        lastError = err.message;
        ctx.failed(err, { fatal });
      };
      if (account.webhook) {
        const bot = new grammy.Bot(token, {
          client: { apiRoot: account.apiRoot },
          botInfo: info,
        });
        // Journaled before the 200 (a failed write answers 500, so Telegram retries);
        // handled after it.
        bot.use((c) => receive([c.update as TgUpdate]));
        closeWebhook = await startWebhook({
          grammy,
          bot,
          webhook: account.webhook,
          signal,
          log,
        });
        await api.setWebhook(account.webhook.url, { secret_token: account.webhook.secret });
        connected = true;
        return;
      }
      await api.deleteWebhook().catch(() => {});
      // getMe answered: connected until a poll fails.
      connected = true;
      loop = pollLoop({
        getUpdates: (p, s) =>
          needApi().getUpdates(p as Parameters<Api["getUpdates"]>[0], sig(s)) as Promise<
            TgUpdate[]
          >,
        offset: state.nextOffset,
        receive,
        signal,
        log,
        stallMs: account.pollingStallThresholdMs,
        describe: (err) => describeFailure(err, account.apiRoot, token),
        // grammY's request timeout covers getUpdates too: the long poll must end first.
        timeoutSec: Math.max(1, Math.min(30, account.timeoutSeconds - 5)),
        onState: (s) => {
          connected = s.connected;
          if (s.error) lastError = s.error;
        },
      }).catch((err) => onFatal(err as Error));
    },

    async stop() {
      running = false;
      connected = false;
      stopCtl?.abort();
      await loop;
      await closeWebhook?.();
      closeWebhook = undefined;
      // Let replies in flight finish (bounded); what does not finish is replayed on restart.
      await current?.drain(STOP_DRAIN_MS);
      open = false;
    },

    status(): AdapterStatus {
      return {
        running,
        connected,
        mode: account.webhook ? "webhook" : "polling",
        ...(lastError ? { lastError } : {}),
        ...(fatal ? { fatal } : {}),
        ...(lastInboundAt ? { lastInboundAt } : {}),
        ...(lastOutboundAt ? { lastOutboundAt } : {}),
        ...(me
          ? { bot: { id: String(me.id), ...(me.username ? { username: me.username } : {}) } }
          : {}),
      };
    },

    async probe(timeoutMs) {
      try {
        const info = await needApi().getMe(sig(AbortSignal.timeout(timeoutMs)));
        return { ok: true, bot: { id: String(info.id), username: info.username } };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    },

    resolveTarget: parseTelegramTarget,

    ...createOutbound({
      api: needApi,
      grammy: () => grammy!,
      signal: () => stopCtl?.signal ?? new AbortController().signal,
      log,
      sent: () => void (lastOutboundAt = Date.now()),
    }),
  };
  return adapter;
}

/**
 * A Bot API failure as the operator should read it in `channels.status`:
 * grammY's "Network request for 'getMe' failed!" says neither where nor
 * what to check. The cause is kept, without the request URL (it holds the
 * token).
 */
export function describeFailure(err: unknown, apiRoot: string, token: string): string {
  const e = err as { name?: string; message?: string; error?: unknown; error_code?: number };
  const scrub = (text: string) =>
    (token ? text.replaceAll(token, "<token>") : text)
      .replace(/ for url \([^)]*\)/g, "")
      .replace(/request to \S+ failed, reason: /g, "")
      .replace(/\/bot[^/\s]+/g, "/bot<token>")
      .slice(0, 300);
  if (e.error_code === 401 || e.error_code === 404) {
    return `Telegram at ${apiRoot} rejected the bot token (${e.error_code}): check ` +
      "channels.telegram.botToken (or tokenFile / TELEGRAM_BOT_TOKEN)";
  }
  if (e.name === "HttpError" || e.name === "TimeoutError" || e.name === "AbortError") {
    const cause = e.error as { name?: string; message?: string } | undefined;
    const why = cause?.name === "TimeoutError" || e.name === "TimeoutError"
      ? "no answer in time"
      : scrub(cause?.message || e.message || "network error");
    return `Cannot reach Telegram at ${apiRoot}: ${why} (check channels.telegram.apiRoot and ` +
      "the network)";
  }
  return scrub(e.message ?? String(err));
}
