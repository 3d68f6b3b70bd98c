/**
 * Sampling of records an unauthenticated peer can cause at will (refused
 * connects, malformed frames): the first few of each window are written as
 * they come, the rest are counted and summarised once per window, so a loop
 * of bad connects cannot fill the disk or stdout.
 *
 * @module
 */

/** Messages sampled by default: each can be caused without a credential. */
export const SAMPLED_MESSAGES: readonly string[] = Object.freeze([
  "connect refused",
  "malformed JSON frame",
  "handshake timeout",
]);
/** Records of one message written as they come per window... */
export const SAMPLE_BURST = 5;
/** ...and the window (ms). */
export const SAMPLE_WINDOW_MS = 60_000;
/** Addresses named in a summary, most frequent first. */
const TOP_PEERS = 5;
/** Addresses counted per window; later ones count toward the total only. */
const MAX_PEERS = 1024;

/** Options of {@link Sampler}. */
export interface SamplerOptions {
  messages?: readonly string[];
  burst?: number;
  windowMs?: number;
  now?: () => number;
  /** Writes a summary record (`level` of the suppressed records). */
  summary(level: string, subsystem: string, msg: string, fields: Record<string, unknown>): void;
}

interface Window {
  start: number;
  level: string;
  subsystem: string;
  written: number;
  suppressed: number;
  peers: Map<string, number>;
  timer?: ReturnType<typeof setTimeout>;
}

/** Decides, per message, whether a record is written or only counted. */
export class Sampler {
  #messages: Set<string>;
  #burst: number;
  #windowMs: number;
  #now: () => number;
  #summary: SamplerOptions["summary"];
  #windows = new Map<string, Window>();

  constructor(opts: SamplerOptions) {
    this.#messages = new Set(opts.messages ?? SAMPLED_MESSAGES);
    this.#burst = opts.burst ?? SAMPLE_BURST;
    this.#windowMs = opts.windowMs ?? SAMPLE_WINDOW_MS;
    this.#now = opts.now ?? Date.now;
    this.#summary = opts.summary;
  }

  /** Whether to write this record now (`false`: it was counted for the summary). */
  admit(level: string, subsystem: string, msg: string, fields?: Record<string, unknown>): boolean {
    if (!this.#messages.has(msg)) return true;
    const now = this.#now();
    let w = this.#windows.get(msg);
    if (w && now - w.start >= this.#windowMs) {
      this.#flush(msg);
      w = undefined;
    }
    if (!w) {
      w = { start: now, level, subsystem, written: 0, suppressed: 0, peers: new Map() };
      this.#windows.set(msg, w);
    }
    if (w.written < this.#burst) {
      w.written++;
      return true;
    }
    w.suppressed++;
    const ip = typeof fields?.ip === "string" ? fields.ip : undefined;
    if (ip && (w.peers.has(ip) || w.peers.size < MAX_PEERS)) {
      w.peers.set(ip, (w.peers.get(ip) ?? 0) + 1);
    }
    if (!w.timer) {
      // The summary goes out at the end of the window even if the flood stops.
      w.timer = setTimeout(() => this.#flush(msg), Math.max(0, w.start + this.#windowMs - now));
      Deno.unrefTimer(w.timer as unknown as number);
    }
    return false;
  }

  #flush(msg: string): void {
    const w = this.#windows.get(msg);
    if (!w) return;
    this.#windows.delete(msg);
    clearTimeout(w.timer);
    if (w.suppressed === 0) return;
    const top = [...w.peers].sort((a, b) => b[1] - a[1]).slice(0, TOP_PEERS);
    this.#summary(
      w.level,
      w.subsystem,
      `${msg}: ${w.suppressed} more in the last ${Math.round(this.#windowMs / 1000)} s ` +
        `(sampled: the first ${this.#burst} of each window are logged one by one)`,
      { suppressed: w.suppressed, windowMs: this.#windowMs, topPeers: Object.fromEntries(top) },
    );
  }

  /** Writes every pending summary and stops the timers. */
  flushAll(): void {
    for (const msg of [...this.#windows.keys()]) this.#flush(msg);
  }
}
