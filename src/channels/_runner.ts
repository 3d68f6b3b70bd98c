/**
 * Keeps one channel account running: starts its adapter, restarts it with
 * backoff when it fails (up to 10 attempts, spec section 6), keeps the last
 * error, and stops for good on a fatal error (a 409 conflict is not fought).
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { ChannelAdapter, InboundSink } from "./types.ts";

/** Restart ladder: 2 s -> 30 s, x1.8, +-25 %, 10 attempts. */
export const RESTART_POLICY = {
  initialMs: 2000,
  maxMs: 30_000,
  factor: 1.8,
  jitter: 0.25,
  maxAttempts: 10,
};

/** Running this long resets the restart count. */
export const STABLE_RUN_MS = 5 * 60_000;

/** The runner's view for status. */
export interface RunnerState {
  state: "starting" | "running" | "backoff" | "failed" | "stopped";
  restartAttempts: number;
  lastError?: string;
  nextRetryAt?: number;
}

/** Runs one adapter. */
export class AccountRunner {
  readonly adapter: ChannelAdapter;
  #deliver: InboundSink;
  #log: Logger;
  #onChange: () => void;
  #policy: typeof RESTART_POLICY;
  #ac = new AbortController();
  #state: RunnerState = { state: "stopped", restartAttempts: 0 };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #starting: Promise<void> | undefined;
  #runningSince = 0;

  constructor(
    adapter: ChannelAdapter,
    opts: {
      deliver: InboundSink;
      log: Logger;
      onChange?: () => void;
      policy?: Partial<typeof RESTART_POLICY>;
    },
  ) {
    this.adapter = adapter;
    this.#deliver = opts.deliver;
    this.#log = opts.log;
    this.#onChange = opts.onChange ?? (() => {});
    this.#policy = { ...RESTART_POLICY, ...opts.policy };
  }

  /** Current state. */
  get state(): RunnerState {
    return { ...this.#state };
  }

  /** Starts the adapter (resolves when started or scheduled for retry). */
  start(): Promise<void> {
    if (this.#ac.signal.aborted) return Promise.resolve();
    this.#state = { ...this.#state, state: "starting" };
    const label = `${this.adapter.channel}/${this.adapter.accountId}`;
    this.#starting = this.adapter.start({
      signal: this.#ac.signal,
      deliver: this.#deliver,
      failed: (err, o) => this.#failed(err, o?.fatal ?? false),
      changed: () => this.#onChange(),
    }).then(() => {
      if (this.#ac.signal.aborted) return;
      this.#state = { state: "running", restartAttempts: this.#state.restartAttempts };
      this.#runningSince = Date.now();
      this.#log.info(`channel ${label} started`);
      this.#onChange();
    }, (err) => this.#failed(err as Error, false));
    return this.#starting;
  }

  #failed(err: Error, fatal: boolean): void {
    if (this.#ac.signal.aborted) return;
    const label = `${this.adapter.channel}/${this.adapter.accountId}`;
    // A failure after a long healthy run starts the ladder afresh.
    const healthy = this.#state.state === "running" &&
      Date.now() - this.#runningSince > STABLE_RUN_MS;
    const attempts = healthy ? 0 : this.#state.restartAttempts;
    if (fatal || attempts >= this.#policy.maxAttempts) {
      this.#state = { state: "failed", restartAttempts: attempts, lastError: err.message };
      this.#log.error(
        `channel ${label} stopped: ${err.message}` +
          (fatal ? "" : ` (gave up after ${attempts} restarts)`),
      );
      void this.adapter.stop().catch(() => {});
      this.#onChange();
      return;
    }
    const base = Math.min(
      this.#policy.maxMs,
      this.#policy.initialMs * this.#policy.factor ** attempts,
    );
    const delay = Math.round(base * (1 + this.#policy.jitter * (Math.random() * 2 - 1)));
    this.#state = {
      state: "backoff",
      restartAttempts: attempts + 1,
      lastError: err.message,
      nextRetryAt: Date.now() + delay,
    };
    this.#log.warn(`channel ${label} failed: ${err.message}; restarting in ${delay} ms`);
    this.#onChange();
    this.#timer = setTimeout(async () => {
      await this.adapter.stop().catch(() => {});
      void this.start();
    }, delay);
  }

  /** Stops the adapter and any pending restart. */
  async stop(): Promise<void> {
    this.#ac.abort();
    clearTimeout(this.#timer);
    await this.#starting?.catch(() => {});
    await this.adapter.stop().catch(() => {});
    this.#state = { ...this.#state, state: "stopped" };
  }
}
