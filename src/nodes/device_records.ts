/**
 * The records device pairing writes, built as pure functions of what a
 * device asked for and what was already known about it: a pending request
 * (roles and scopes widen, never narrow) and the paired device an approval
 * makes of it (creation time, last seen and tokens carried over).
 *
 * @module
 */

import type { DeviceMeta, PairedDevice, PendingDevice } from "./device_store.ts";

/** What a connecting device asks for (the fields a request records). */
export interface DeviceAsk {
  deviceId: string;
  publicKey: string;
  meta: DeviceMeta;
  role: string;
  scopes: string[];
}

/** A new pending request for `ask`, merged with the device's current pairing `known`. */
export function pendingRecord(
  ask: DeviceAsk,
  opts: { known?: PairedDevice; reason: string; silent: boolean; now: number },
): PendingDevice {
  const { known } = opts;
  return {
    requestId: crypto.randomUUID(),
    deviceId: ask.deviceId,
    publicKey: ask.publicKey,
    ...ask.meta,
    role: ask.role,
    roles: [...new Set([...(known?.roles ?? []), ask.role])],
    scopes: [...new Set([...(known?.scopes ?? []), ...ask.scopes])],
    silent: opts.silent,
    isRepair: known !== undefined,
    reason: opts.reason,
    ts: opts.now,
  };
}

/** The paired device approving `p` makes (`via` silent or by an operator). */
export function pairedRecord(
  p: PendingDevice,
  opts: { known?: PairedDevice; via: "silent" | "owner"; now: number },
): PairedDevice {
  const { known, now } = opts;
  return {
    deviceId: p.deviceId,
    publicKey: p.publicKey,
    ...(p.displayName ? { displayName: p.displayName } : {}),
    platform: p.platform,
    ...(p.deviceFamily ? { deviceFamily: p.deviceFamily } : {}),
    clientId: p.clientId,
    clientMode: p.clientMode,
    role: p.role,
    roles: p.roles,
    scopes: p.scopes,
    approvedVia: opts.via,
    createdAtMs: known?.createdAtMs ?? now,
    approvedAtMs: now,
    lastSeenAtMs: known?.lastSeenAtMs,
    lastSeenReason: known?.lastSeenReason,
    tokens: known?.tokens ?? [],
  };
}
