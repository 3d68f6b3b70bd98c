/**
 * Linking a phone: the flow behind WS `web.login.start` / `web.login.wait`
 * (a QR as a data URL, refreshed as Baileys rotates codes) and behind
 * `openclaw channels login` (the QR as terminal text, then wait until linked).
 *
 * @module
 */

import type { WhatsAppConnection } from "./connection.ts";
import type { WhatsAppStatus } from "./types.ts";
import { importLazy } from "../../runtime/lazy_import.ts";

/** Answer of `web.login.start`. */
export interface LoginStartResult {
  /** `data:image/png;base64,...`; absent when the account is already linked. */
  qrDataUrl?: string;
  message: string;
}

/** Answer of `web.login.wait`. */
export interface LoginWaitResult {
  connected: boolean;
  message: string;
}

/** Renders a QR string as a PNG data URL (the `qrcode` package, loaded on first use). */
async function qrToDataUrl(qr: string): Promise<string> {
  const mod = await importLazy("qrcode") as unknown as {
    default: { toDataURL(text: string, opts?: Record<string, unknown>): Promise<string> };
  };
  return await mod.default.toDataURL(qr, { margin: 1, width: 320 });
}

/** Renders a QR string as terminal text (the `qrcode-terminal` package, loaded on first use). */
export async function qrToTerminal(qr: string): Promise<string> {
  const mod = await importLazy("qrcode-terminal") as unknown as {
    default: { generate(text: string, opts: { small: boolean }, cb: (out: string) => void): void };
  };
  return await new Promise<string>((resolve) => mod.default.generate(qr, { small: true }, resolve));
}

function linkedAs(s: WhatsAppStatus): string {
  return s.self?.e164 ?? s.self?.jid ?? "this number";
}

/** One account's QR login, for `web.login.start` then `web.login.wait`. */
export class WhatsAppLoginFlow {
  readonly #conn: WhatsAppConnection;
  #qrDataUrl: string | undefined;
  #off: (() => void) | undefined;

  constructor(conn: WhatsAppConnection) {
    this.#conn = conn;
  }

  /** The current QR as a data URL (changes as Baileys rotates codes). */
  get qrDataUrl(): string | undefined {
    return this.#qrDataUrl;
  }

  /**
   * Starts linking and answers with the first QR. `force` unlinks a linked
   * account first. Times out with a message after `timeoutMs`.
   */
  async start(opts: { force?: boolean; timeoutMs?: number } = {}): Promise<LoginStartResult> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const status = this.#conn.status();
    if (status.linked && !opts.force) {
      return {
        message: `WhatsApp is already linked as ${linkedAs(status)} (use force to link again)`,
      };
    }
    if (status.linked && opts.force) await this.#conn.logout();
    this.#off ??= this.#conn.onQr((qr) => {
      qrToDataUrl(qr).then((url) => (this.#qrDataUrl = url), () => {});
    });
    const first = this.#conn.currentQr;
    if (first) {
      this.#qrDataUrl = await qrToDataUrl(first);
    } else {
      const { qr, timedOut } = await this.#nextQr(timeoutMs);
      if (!qr) {
        const s = this.#conn.status();
        const why = s.lastError ?? s.state;
        return {
          message: s.connected
            ? `WhatsApp is already linked as ${linkedAs(s)}`
            : timedOut
            ? `No WhatsApp QR code within ${timeoutMs} ms (${why}); try again`
            : `WhatsApp stopped before showing a QR code (${why}); try again`,
        };
      }
      this.#qrDataUrl = await qrToDataUrl(qr);
    }
    return {
      qrDataUrl: this.#qrDataUrl,
      message: "Scan this QR code in WhatsApp: Settings, Linked Devices, Link a device",
    };
  }

  /** Waits until the phone linked and the connection is open (the channel then runs). */
  async wait(opts: { timeoutMs?: number } = {}): Promise<LoginWaitResult> {
    try {
      const s = await this.#conn.waitForOpen(opts.timeoutMs ?? 120_000);
      this.dispose();
      return { connected: true, message: `Linked as ${linkedAs(s)}` };
    } catch (err) {
      return { connected: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Stops following QR rotations. */
  dispose(): void {
    this.#off?.();
    this.#off = undefined;
  }

  #nextQr(timeoutMs: number): Promise<{ qr?: string; timedOut?: boolean }> {
    return new Promise((resolve) => {
      let offQr = () => {};
      let offChange = () => {};
      const done = (qr: string | undefined, timedOut = false) => {
        clearTimeout(timer);
        offQr();
        offChange();
        resolve({ ...(qr ? { qr } : {}), ...(timedOut ? { timedOut } : {}) });
      };
      const timer = setTimeout(() => done(undefined, true), timeoutMs);
      offQr = this.#conn.onQr((qr) => done(qr));
      offChange = this.#conn.onChange(() => {
        const s = this.#conn.status();
        if (s.connected || !s.running) done(undefined);
      });
      this.#conn.startLogin().catch(() => done(undefined));
    });
  }
}

/**
 * `openclaw channels login`: prints each QR (terminal text) through `write`
 * and resolves once linked; rejects with the reason when linking fails.
 */
export async function terminalLogin(
  conn: WhatsAppConnection,
  opts: { write: (text: string) => void; timeoutMs?: number },
): Promise<WhatsAppStatus> {
  const status = conn.status();
  if (status.linked && status.connected) return status;
  const off = conn.onQr((qr) => {
    qrToTerminal(qr).then(
      (text) =>
        opts.write(
          `${text}\nScan this QR code in WhatsApp: Settings, Linked Devices, Link a device`,
        ),
      () => opts.write(`QR code (render it with any QR tool): ${qr}`),
    );
  });
  try {
    await conn.startLogin();
    return await conn.waitForOpen(opts.timeoutMs ?? 180_000);
  } finally {
    off();
  }
}
