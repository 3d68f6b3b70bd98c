/**
 * How devices and their tokens are shown to operators (never a token hash
 * or salt), and the token hash itself.
 *
 * @module
 */

import type { PairedDevice, PendingDevice, StoredToken } from "./device_store.ts";

/** A token as operators see it (never the hash or salt). */
export type TokenView = Omit<StoredToken, "hash" | "salt">;

/** Hex SHA-256 of a token string. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A paired device as `device.pair.*` answers show it. */
export function pairedView(d: PairedDevice): Record<string, unknown> {
  const { tokens, ...rest } = d;
  return { ...rest, tokens: tokens.map(({ hash: _h, salt: _s, ...t }) => t) };
}

/** A pending request as `device.pair.requested` and `device.pair.list` show it. */
export function pendingView(p: PendingDevice): Record<string, unknown> {
  const { reason: _r, ...rest } = p;
  return rest;
}
