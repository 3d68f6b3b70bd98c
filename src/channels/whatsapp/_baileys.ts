/**
 * The one place that loads Baileys, lazily, and the bridge from Baileys'
 * pino-style logger to the gateway's logger. Only siblings import this file.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import { filterLibsignalConsole } from "./_console_filter.ts";
import { importLazy } from "../../runtime/lazy_import.ts";

/** The Baileys module, as `import("@whiskeysockets/baileys")` gives it. */
export type Baileys = typeof import("@whiskeysockets/baileys");

/** WhatsApp Web version passed on every connect, so Baileys never fetches one. */
export const WA_WEB_VERSION: [number, number, number] = [2, 3000, 1043857760];

let loading: Promise<Baileys> | undefined;

/**
 * Loads Baileys once per process (about 0.2-0.3 s and 50 MB RSS the first
 * time) and, when given a logger, keeps libsignal's key-dumping console
 * lines out of stdout.
 */
export function loadBaileys(log?: Logger): Promise<Baileys> {
  if (log) {
    filterLibsignalConsole(log);
    guardBaileysFailures(log);
  }
  loading ??= importLazy<Baileys>("@whiskeysockets/baileys").catch((err) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** The shape of logger Baileys calls (a subset of pino's). */
export interface BaileysLogger {
  level: string;
  child(bindings: Record<string, unknown>): BaileysLogger;
  trace(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** Keeps only a message and an error message: Baileys' objects can hold key material. */
function describe(obj: unknown, msg?: string): string {
  if (typeof obj === "string") return obj.slice(0, 300);
  const err = (obj as { err?: unknown; error?: unknown } | undefined)?.err ??
    (obj as { error?: unknown } | undefined)?.error ?? (obj instanceof Error ? obj : undefined);
  const errText = err instanceof Error ? `: ${err.message}` : "";
  return `${msg ?? "baileys"}${errText}`.slice(0, 300);
}

/**
 * Adapts the gateway logger for Baileys. Baileys' info is our debug (it is
 * chatty); its warn and error stay warn (they are Baileys' view, the channel
 * logs its own consequences). Trace is dropped.
 */
export function baileysLogger(log: Logger): BaileysLogger {
  const self: BaileysLogger = {
    level: log.debugEnabled ? "debug" : "warn",
    child: () => self,
    trace: () => {},
    debug: (obj, msg) => log.debugEnabled && log.debug(describe(obj, msg)),
    info: (obj, msg) => log.debugEnabled && log.debug(describe(obj, msg)),
    warn: (obj, msg) => {
      const text = describe(obj, msg);
      // Printed on every connect because history sync is off on purpose.
      if (text.includes("DISABLING ALL SYNC")) return log.debugEnabled && log.debug(text);
      log.warn(text);
    },
    error: (obj, msg) => log.warn(describe(obj, msg)),
  };
  return self;
}

/** Whether an uncaught error or rejection came from inside Baileys or libsignal. */
export function isFromBaileys(reason: unknown): boolean {
  const stack = reason instanceof Error ? reason.stack ?? "" : "";
  if (/@whiskeysockets[/+]baileys|[/+]libsignal[/@]|whatsapp-rust-bridge/.test(stack)) return true;
  if ((reason as { isBoom?: unknown } | null)?.isBoom === true) return true;
  // Baileys inflates compressed frames without catching: a bad frame rejects with a zlib
  // error whose stack holds only zlib frames. The gateway itself does not use node:zlib.
  const code = (reason as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("Z_") && /zlib/.test(stack) &&
    !/file:\/\/(?!.*registry\.npmjs\.org)/.test(stack);
}

let guardLog: Logger | undefined;

/**
 * Keeps a background failure inside Baileys (a rejected promise or a throw
 * from one of its timers) from ending the gateway: it becomes a warning on
 * the logger given last. Anything else still reaches Deno's default
 * handling. The listeners are installed once; returns whether this call did.
 */
export function guardBaileysFailures(log: Logger): boolean {
  const first = guardLog === undefined;
  guardLog = log;
  if (!first) return false;
  const note = (reason: unknown) =>
    guardLog?.warn("Baileys failed in the background; the gateway keeps running", {
      error: reason instanceof Error ? reason.message.slice(0, 300) : String(reason).slice(0, 300),
    });
  globalThis.addEventListener("unhandledrejection", (e) => {
    if (!isFromBaileys(e.reason)) return;
    e.preventDefault();
    note(e.reason);
  });
  globalThis.addEventListener("error", (e) => {
    if (!isFromBaileys(e.error)) return;
    e.preventDefault();
    note(e.error);
  });
  return true;
}
