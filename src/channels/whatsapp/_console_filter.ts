/**
 * libsignal (Baileys' Signal implementation) prints whole session records,
 * private ratchet keys included, with `console.info/warn/error` ("Closing
 * session: SessionEntry {...}"). The gateway's stdout goes to journald or a
 * terminal, so those calls are caught here and replaced by one redacted
 * debug line. Everything else reaches the console unchanged.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";

const LIBSIGNAL_LINES =
  /^(Closing session|Opening session|Removing old closed session|Session already (closed|open)|Migrating session|Closing open session in favor|Decrypted message with closed session|Failed to decrypt message with any known session|Session error:|V1 session storage migration error)/;

type ConsoleLike = Pick<Console, "info" | "warn" | "error" | "log">;

/** Whether a console call comes from libsignal's session bookkeeping. */
export function isLibsignalNoise(args: unknown[]): boolean {
  if (typeof args[0] === "string" && LIBSIGNAL_LINES.test(args[0])) return true;
  return args.some((a) =>
    (a as { constructor?: { name?: string } } | null)?.constructor?.name === "SessionEntry"
  );
}

const installed = new WeakSet<ConsoleLike>();

/** Filters libsignal's console output on `target` (once per target); returns whether it installed. */
export function filterLibsignalConsole(log: Logger, target: ConsoleLike = console): boolean {
  if (installed.has(target)) return false;
  installed.add(target);
  for (const level of ["info", "warn", "error", "log"] as const) {
    const orig = target[level].bind(target);
    target[level] = (...args: unknown[]) => {
      if (!isLibsignalNoise(args)) return orig(...args);
      if (log.debugEnabled) {
        const head = typeof args[0] === "string" ? args[0].slice(0, 60) : "session record";
        log.debug(`libsignal: ${head.replace(/[:\s]+$/, "")} (details withheld: key material)`);
      }
    };
  }
  return true;
}
