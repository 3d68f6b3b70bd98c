/**
 * The long-polling loop of one bot account. Not grammY's `bot.start()` or
 * the runner's fetcher: both confirm an update to Telegram (next offset)
 * before it is handled, so a crash would lose it. Here the caller journals
 * each batch before the next poll confirms it.
 *
 * - 409 (another poller on this token): stops with a clear, fatal error; no fight.
 * - 401: fatal (token rejected).
 * - 429: waits `retry_after`.
 * - Other failures: back off 1 s -> 30 s with jitter.
 * - Each request has a guard (`timeout` + 15 s); a watchdog aborts a poll
 *   when nothing completed for `stallMs`, and the loop polls again.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import type { TgUpdate } from "./_normalize.ts";

/** The API call the loop makes (grammY's `api.getUpdates`). */
export type GetUpdates = (
  params: { offset: number; timeout: number; limit: number; allowed_updates: string[] },
  signal: AbortSignal,
) => Promise<TgUpdate[]>;

/** A failure no retry fixes. */
export class FatalPollError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FatalPollError";
  }
}

/** Options of {@link pollLoop}. */
export interface PollOptions {
  getUpdates: GetUpdates;
  /** The first offset (the journal's next offset). */
  offset: number;
  /** Journals and dispatches a batch; resolves once journaled (handling goes on). */
  receive(updates: TgUpdate[]): Promise<void>;
  signal: AbortSignal;
  log: Logger;
  /** Long-poll timeout in seconds (default 30). */
  timeoutSec?: number;
  stallMs: number;
  /** Turns a failed poll into the status text (default: the error's message). */
  describe?(err: Error): string;
  /** Connection state changes and transient errors, for status. */
  onState(state: { connected: boolean; error?: string }): void;
}

/** A sleep that ends early (resolving) when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

interface ApiErrorLike {
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** Polls until `signal` aborts (resolves) or a fatal error (rejects with {@link FatalPollError}). */
export async function pollLoop(opts: PollOptions): Promise<void> {
  const { signal, log } = opts;
  const timeoutSec = opts.timeoutSec ?? 30;
  let offset = opts.offset;
  let backoff = 1000;
  let lastProgress = Date.now();
  let current: AbortController | undefined;
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress < opts.stallMs) return;
    log.warn(`polling stalled for ${opts.stallMs} ms (pollingStallThresholdMs): polling again`);
    lastProgress = Date.now();
    current?.abort(new Error("polling stall watchdog"));
  }, Math.min(opts.stallMs / 4, 30_000));
  try {
    while (!signal.aborted) {
      current = new AbortController();
      const guard = AbortSignal.any([
        signal,
        current.signal,
        AbortSignal.timeout((timeoutSec + 15) * 1000),
      ]);
      try {
        const updates = await opts.getUpdates(
          { offset, timeout: timeoutSec, limit: 100, allowed_updates: ["message"] },
          guard,
        );
        lastProgress = Date.now();
        backoff = 1000;
        opts.onState({ connected: true });
        if (updates.length) {
          await opts.receive(updates);
          offset = updates[updates.length - 1].update_id + 1;
        }
      } catch (err) {
        if (signal.aborted) break;
        const e = err as ApiErrorLike & Error;
        if (e.error_code === 409) {
          throw new FatalPollError(
            "Telegram getUpdates answered 409 Conflict: another process polls this bot token " +
              "(or a webhook is set); stop the other instance, then restart this channel",
          );
        }
        if (e.error_code === 401 || e.error_code === 404) {
          throw new FatalPollError(
            `Telegram rejected the bot token (${e.error_code}): check channels.telegram.botToken`,
          );
        }
        if (e.error_code === 429) {
          const wait = Math.min(Math.max(e.parameters?.retry_after ?? 1, 1), 3600) * 1000;
          log.warn(
            `Telegram getUpdates rate limited (429): waiting ${wait / 1000} s (retry_after)`,
          );
          opts.onState({
            connected: true,
            error: `429 Too Many Requests, retry after ${wait / 1000} s`,
          });
          lastProgress = Date.now() + wait;
          await abortableSleep(wait, signal);
          continue;
        }
        const wait = backoff * (0.75 + Math.random() * 0.5);
        backoff = Math.min(backoff * 2, 30_000);
        const text = opts.describe?.(e) ?? e.message;
        opts.onState({ connected: false, error: text });
        log.warn(`Telegram getUpdates failed: ${text}; retrying in ${Math.round(wait)} ms`);
        await abortableSleep(wait, signal);
      }
    }
  } finally {
    clearInterval(watchdog);
  }
}
