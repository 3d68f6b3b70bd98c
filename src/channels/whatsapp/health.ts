/**
 * WhatsApp's part of `health`, `channels.status` and `/ready`, from the
 * accounts' status snapshots. Pure: the lead's health monitor calls these.
 *
 * @module
 */

import type { WhatsAppStatus } from "./types.ts";

/** The `channels.whatsapp` entry of the health snapshot (protocol `ChannelHealth`). */
export interface WhatsAppChannelHealth {
  configured: boolean;
  linked?: boolean;
  running?: boolean;
  connected?: boolean;
  authAgeMs?: number;
  lastError?: string;
  /** Every account in detail (state, reconnect attempts, self id). */
  probe?: { accounts: WhatsAppStatus[] };
}

/**
 * Sums up the accounts: the channel is linked / connected / running when the
 * default account is (else the first account, sorted); `lastError` names the
 * first account with a problem; `probe.accounts` carries every account.
 */
export function whatsappChannelHealth(
  statuses: WhatsAppStatus[],
  defaultAccountId = "default",
): WhatsAppChannelHealth {
  if (statuses.length === 0) return { configured: false };
  const sorted = [...statuses].sort((a, b) => a.accountId.localeCompare(b.accountId));
  const main = sorted.find((s) => s.accountId === defaultAccountId) ?? sorted[0];
  const failing = sorted.find((s) => s.lastError);
  return {
    configured: true,
    linked: main.linked,
    running: main.running,
    connected: main.connected,
    ...(main.authAgeMs !== null ? { authAgeMs: Math.round(main.authAgeMs) } : {}),
    ...(failing?.lastError
      ? {
        lastError: statuses.length > 1
          ? `${failing.accountId}: ${failing.lastError}`
          : failing.lastError,
      }
      : {}),
    probe: { accounts: sorted },
  };
}

/** The runbook's `linkChannel`: "whatsapp" when a WhatsApp account is linked, else undefined. */
export function whatsappLinkChannel(statuses: WhatsAppStatus[]): "whatsapp" | undefined {
  return statuses.some((s) => s.linked) ? "whatsapp" : undefined;
}

/**
 * Readiness (`/ready`): every linked account that should run is connected.
 * Unlinked accounts do not hold readiness back (they need an operator, not
 * time); an account that gave up or lost a conflict does.
 */
export function whatsappReady(statuses: WhatsAppStatus[]): { ready: boolean; reason?: string } {
  const bad = statuses.find((s) => s.linked && !s.connected && s.state !== "stopped");
  return bad
    ? { ready: false, reason: `WhatsApp account "${bad.accountId}" is ${bad.state}` }
    : { ready: true };
}
