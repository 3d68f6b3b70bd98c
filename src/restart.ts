/**
 * The in-process restart coordinator: one rebuild at a time (stop the
 * instance, re-read the config, listen again), requests coalesced, delayed
 * restarts merged, and a clean end when the process stops meanwhile: a stop
 * cancels a pending restart, and a rebuild it interrupts never listens again.
 *
 * @module
 */

import type { GatewayInstance } from "./app.ts";
import type { GatewaySettings } from "./config/settings.ts";
import type { Logger } from "./log/logger.ts";
import { ListenError } from "./server/serve.ts";

/** How long clients are told to wait for an in-process restart. */
export const RESTART_EXPECTED_MS = 1500;

/** What the coordinator acts on. */
export interface RestartDeps {
  log: Logger;
  /** The instance running now. */
  current(): GatewayInstance;
  /**
   * Re-reads the config file and swaps it in when it can run (otherwise keeps
   * the last good one and records why); returns the settings to listen with.
   */
  refresh(): Promise<GatewaySettings>;
  /** Builds an instance and listens (throws `ListenError` when it cannot bind). */
  build(settings: GatewaySettings): GatewayInstance;
  /** Makes `instance` the current one. */
  install(instance: GatewayInstance): void;
  /**
   * The new address could not be bound; the previous one is used instead.
   * The failure must stay visible until {@link RestartDeps.restarted}.
   */
  fellBack(message: string): void;
  /** A rebuild listens on the address its config names: a past failure is over. */
  restarted?(instance: GatewayInstance): void;
  /** A rebuild failed beyond recovery (nothing listens): the process must stop. */
  failed(err: Error): void;
}

/** A running coordinator. */
export interface RestartCoordinator {
  /**
   * Restarts in place: `shutdown` to clients, rebuild from the file's config,
   * listen again. Requests made while a rebuild has not read the config yet
   * are covered by it; later ones cause one more rebuild.
   */
  restart(reason: string): Promise<void>;
  /** Restarts after `delayMs`; an earlier pending restart covers a later one. */
  schedule(reason: string, delayMs: number): void;
  /**
   * Refuses new restarts, cancels a pending one and waits for a rebuild in
   * progress, which then does not listen again.
   */
  stop(): Promise<void>;
}

/** Rebinding right after closing can race the OS: retries `retries` times, 100 ms apart. */
async function listenWithRetry(
  build: () => GatewayInstance,
  retries: number,
  signal: AbortSignal,
): Promise<GatewayInstance> {
  for (let attempt = 0;; attempt++) {
    signal.throwIfAborted();
    try {
      return build();
    } catch (err) {
      if (!(err instanceof ListenError) || !err.inUse || attempt >= retries) throw err;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const t = setTimeout(done, 100);
        signal.addEventListener("abort", done);
      });
    }
  }
}

/** Creates the restart coordinator of one gateway process. */
export function createRestartCoordinator(deps: RestartDeps): RestartCoordinator {
  const { log } = deps;
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  let configRead = false;
  let again: string | undefined;
  let timer: { handle: ReturnType<typeof setTimeout>; at: number } | undefined;

  /** One rebuild; returns early, listening nowhere, once the process stops. */
  const rebuild = async (reason: string) => {
    configRead = false;
    log.info(`restarting in process: ${reason}`);
    const previous = deps.current();
    const before = previous.settings;
    await previous.stop({ reason, restartExpectedMs: RESTART_EXPECTED_MS });
    configRead = true;
    if (stopping.signal.aborted) return;
    const settings = await deps.refresh();
    if (stopping.signal.aborted) return;
    let instance: GatewayInstance;
    try {
      // Only the address just closed can still be held by us (briefly); retry that one only.
      const same = settings.ports.port === before.ports.port &&
        settings.bindHost === before.bindHost;
      instance = await listenWithRetry(() => deps.build(settings), same ? 20 : 0, stopping.signal);
      deps.install(instance);
      deps.restarted?.(instance);
      log.info("restart complete", { url: instance.url });
      return;
    } catch (err) {
      if (stopping.signal.aborted) return;
      if (!(err instanceof ListenError)) throw err;
      log.error(`restart: ${err.message}; listening on the previous address instead`);
      deps.fellBack(`restart failed: ${err.message}`);
      try {
        instance = await listenWithRetry(() => deps.build(before), 20, stopping.signal);
      } catch (err) {
        if (stopping.signal.aborted) return;
        throw err;
      }
    }
    deps.install(instance);
    log.info("restart complete", { url: instance.url });
  };

  const restart = (reason: string): Promise<void> => {
    if (stopping.signal.aborted) return Promise.resolve();
    if (running) {
      if (configRead) again = reason;
      else log.info(`restart already in progress; covers: ${reason}`);
      return running;
    }
    running = (async () => {
      try {
        let next: string | undefined = reason;
        while (next !== undefined && !stopping.signal.aborted) {
          again = undefined;
          await rebuild(next);
          next = again;
        }
      } catch (err) {
        log.error(`restart failed, stopping: ${(err as Error).message}`);
        deps.failed(err as Error);
      }
    })().finally(() => (running = undefined));
    return running;
  };

  return {
    restart,
    schedule(reason, delayMs) {
      if (stopping.signal.aborted) return;
      const at = Date.now() + delayMs;
      if (timer && timer.at <= at) return;
      if (timer) clearTimeout(timer.handle);
      const handle = setTimeout(() => {
        timer = undefined;
        void restart(reason);
      }, delayMs);
      timer = { handle, at };
    },
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer.handle);
      timer = undefined;
      await running;
    },
  };
}
