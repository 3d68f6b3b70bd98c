/**
 * Waiting for an account's connection to open, bounded, failing as soon as
 * the account stops for good (logged out, conflict, QR expired, gave up).
 *
 * @module
 */

import { GatewayError, unavailable } from "../../errors.ts";
import { ErrorCodes } from "../../../protocol/errors.ts";
import { notLinkedMessage } from "./_close_reason.ts";
import type { WhatsAppConnectionState, WhatsAppStatus } from "./types.ts";

/** States in which no socket runs and none will without an operator. */
export const TERMINAL_STATES: readonly WhatsAppConnectionState[] = [
  "stopped",
  "not_linked",
  "logged_out",
  "conflict",
  "gave_up",
];

/** What {@link waitForOpen} watches. */
export interface StatusSource {
  status(): WhatsAppStatus;
  onChange(fn: () => void): () => void;
}

/** Resolves with the status once open; rejects (`UNAVAILABLE`, with the reason) on a terminal state or timeout. */
export function waitForOpen(source: StatusSource, timeoutMs: number): Promise<WhatsAppStatus> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = source.status();
      if (s.state === "open") return done(() => resolve(s));
      if (TERMINAL_STATES.includes(s.state)) {
        const msg = s.lastError ?? `WhatsApp account "${s.accountId}" is ${s.state}`;
        return done(() => reject(unavailable(msg)));
      }
    };
    const timer = setTimeout(() => {
      const id = source.status().accountId;
      done(() =>
        reject(unavailable(`WhatsApp account "${id}" did not connect within ${timeoutMs} ms`))
      );
    }, timeoutMs);
    const off = source.onChange(check);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      off();
      fn();
    };
    check();
  });
}

/** `NOT_LINKED`: the account has no auth state; the message says how to link it. */
export function notLinkedError(accountId: string): GatewayError {
  return new GatewayError(ErrorCodes.NOT_LINKED, notLinkedMessage(accountId), {
    details: { channel: "whatsapp", accountId },
  });
}

/** `UNAVAILABLE`: linked but not connected now (retryable while it is connecting). */
export function notConnectedError(s: WhatsAppStatus): GatewayError {
  return unavailable(
    `WhatsApp account "${s.accountId}" is not connected (${s.state}${
      s.lastError ? `: ${s.lastError}` : ""
    })`,
    { retryable: s.state === "connecting" || s.state === "reconnecting" },
  );
}

/** Waits for `work`, at most `ms`; a late or failed `work` is ignored. */
export async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: number | undefined;
  const timeout = new Promise<void>((r) => (timer = setTimeout(r, ms) as unknown as number));
  await Promise.race([work.catch(() => {}), timeout]);
  clearTimeout(timer);
}
