/**
 * The process-signal edge. The run loop subscribes through this interface,
 * so tests can raise signals without touching the real process.
 *
 * @module
 */

/** Signals the gateway reacts to. */
export type GatewaySignal = "SIGTERM" | "SIGINT" | "SIGUSR1";

/** Subscribes to process signals. */
export interface SignalSource {
  /** Calls `fn` on `signal`; returns the unsubscribe function. */
  on(signal: GatewaySignal, fn: () => void): () => void;
}

/** Real process signals via `Deno.addSignalListener` (SIGUSR1 is ignored on Windows). */
export const processSignals: SignalSource = {
  on(signal, fn) {
    if (Deno.build.os === "windows" && signal !== "SIGINT") return () => {};
    Deno.addSignalListener(signal, fn);
    return () => Deno.removeSignalListener(signal, fn);
  },
};
