/**
 * Device pairing: which Ed25519 devices may connect, with which role and
 * scopes, and their device tokens (stored as SHA-256 only). Loopback devices
 * are approved silently when `gateway.nodes.pairing.autoApproveLocal` allows;
 * everyone else waits for an operator (`device.pair.approve`), at most 5 min.
 *
 * @module
 */

import { hashToken } from "./device_views.ts";
import type {
  DeviceState,
  DeviceStore,
  PairedDevice,
  PendingDevice,
  StoredToken,
} from "./device_store.ts";
import { pendingView } from "./device_views.ts";
import { DeviceTokenMint } from "./device_tokens.ts";
import { type DeviceAsk, pairedRecord, pendingRecord } from "./device_records.ts";

/** Pending device requests expire after this long. */
export const PENDING_TTL_MS = 5 * 60_000;
/** At most this many pending requests (the oldest is dropped): unknown devices cannot grow the store. */
export const MAX_PENDING = 256;

/** Device pairing events the registry emits. */
export type DeviceEvent =
  | { event: "device.pair.requested"; payload: Record<string, unknown> }
  | {
    event: "device.pair.resolved";
    payload: { requestId: string; deviceId: string; decision: string; ts: number };
  }
  | { event: "device.pair.changed"; payload: Record<string, never> };

/** What a connecting device asks for, and whether it may skip the operator. */
export interface AdmitRequest extends DeviceAsk {
  /** Approve without an operator (a loopback peer with autoApproveLocal on). */
  autoApprove: boolean;
  /**
   * Approve without an operator if this is the device's first pairing, as
   * a node with no scopes (a peer in `autoApproveCidrs`).
   */
  autoApproveFirstNode?: boolean;
}

/** The outcome of {@link DeviceRegistry.admit}. */
export type AdmitResult =
  | { paired: PairedDevice }
  | { pending: PendingDevice };

/** Dependencies of {@link DeviceRegistry}. */
export interface DeviceRegistryDeps {
  store: DeviceStore;
  emit(event: DeviceEvent): void;
  now?: () => number;
}

export { hashToken, pairedView, pendingView } from "./device_views.ts";

/** Device pairing state over a {@link DeviceStore}. */
export class DeviceRegistry {
  #deps: DeviceRegistryDeps;
  #state: DeviceState | undefined;
  #mint: DeviceTokenMint;
  #now: () => number;

  constructor(deps: DeviceRegistryDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#mint = new DeviceTokenMint(() => deps.store.tokenKey());
  }

  /** Loaded state with expired requests dropped; a corrupt store throws every time. */
  async state(): Promise<DeviceState> {
    this.#state ??= await this.#deps.store.load();
    const now = this.#now();
    let changed = false;
    for (const [id, p] of Object.entries(this.#state.pending)) {
      if (now - p.ts <= PENDING_TTL_MS) continue;
      delete this.#state.pending[id];
      changed = true;
      this.#resolved(p, "expired");
    }
    if (changed) await this.#save();
    return this.#state;
  }

  #save(parts?: { paired?: boolean; pending?: boolean }): Promise<void> {
    return this.#deps.store.save(this.#state!, parts);
  }

  #resolved(p: { requestId: string; deviceId: string }, decision: string): void {
    this.#deps.emit({
      event: "device.pair.resolved",
      payload: { requestId: p.requestId, deviceId: p.deviceId, decision, ts: this.#now() },
    });
  }

  /** The paired device with `deviceId`, if any. */
  async get(deviceId: string): Promise<PairedDevice | undefined> {
    return (await this.state()).paired[deviceId];
  }

  /**
   * Admits a verified device: paired with the role and scopes it asks for,
   * or silently approved, or a pending request (created once per device and
   * role; a repeat connect refreshes it, one asking for more replaces it
   * with a new request id).
   */
  async admit(req: AdmitRequest): Promise<AdmitResult> {
    const state = await this.state();
    const now = this.#now();
    const known = state.paired[req.deviceId];
    const reason = !known
      ? "not-paired"
      : !known.roles.includes(req.role)
      ? "role-upgrade"
      : req.scopes.some((s) => !known.scopes.includes(s))
      ? "scope-upgrade"
      : undefined;
    if (known && !reason) {
      // In memory only: written with the next pairing change, so a
      // reconnect costs no disk write.
      known.lastSeenAtMs = now;
      known.lastSeenReason = "connect";
      return { paired: known };
    }
    const firstNode = req.autoApproveFirstNode === true && !known && req.role === "node" &&
      req.scopes.length === 0;
    if (req.autoApprove || firstNode) {
      const pending = this.#request(req, reason!, true);
      const device = this.#approve(pending, "silent");
      await this.#save();
      this.#resolved(pending, "approved");
      return { paired: device };
    }
    const existing = Object.values(state.pending).find((p) =>
      p.deviceId === req.deviceId && p.role === req.role
    );
    if (existing && req.scopes.every((s) => existing.scopes.includes(s))) {
      // Scopes stay as the operator saw them: approving this id grants no
      // more than was on screen.
      Object.assign(existing, req.meta, { ts: now });
      await this.#save();
      return { pending: existing };
    }
    // A wider ask is a new request; the old id dies, so approving what the
    // operator saw never grants what the device added since (bait and switch).
    if (existing) {
      delete state.pending[existing.requestId];
      this.#resolved(existing, "expired");
    }
    const pending = this.#request(req, reason!, false);
    const ids = Object.keys(state.pending);
    if (ids.length >= MAX_PENDING) delete state.pending[ids[0]];
    state.pending[pending.requestId] = pending;
    await this.#save();
    this.#deps.emit({ event: "device.pair.requested", payload: pendingView(pending) });
    return { pending };
  }

  #request(req: AdmitRequest, reason: string, silent: boolean): PendingDevice {
    const known = this.#state!.paired[req.deviceId];
    return pendingRecord(req, { known, reason, silent, now: this.#now() });
  }

  #approve(p: PendingDevice, via: "silent" | "owner"): PairedDevice {
    const known = this.#state!.paired[p.deviceId];
    const device = pairedRecord(p, { known, via, now: this.#now() });
    this.#state!.paired[p.deviceId] = device;
    return device;
  }

  /** `device.pair.approve`: the device may connect; `undefined` for an unknown request. */
  async approve(requestId: string): Promise<PairedDevice | undefined> {
    const state = await this.state();
    const p = state.pending[requestId];
    if (!p) return undefined;
    delete state.pending[requestId];
    const device = this.#approve(p, "owner");
    await this.#save();
    this.#resolved(p, "approved");
    return device;
  }

  /** `device.pair.reject`: drops the request; `undefined` for an unknown request. */
  async reject(requestId: string): Promise<PendingDevice | undefined> {
    const state = await this.state();
    const p = state.pending[requestId];
    if (!p) return undefined;
    delete state.pending[requestId];
    await this.#save();
    this.#resolved(p, "rejected");
    return p;
  }

  /** `device.pair.remove`: unpairs a device and voids its tokens. */
  async remove(deviceId: string): Promise<PairedDevice | undefined> {
    const state = await this.state();
    const d = state.paired[deviceId];
    if (!d) return undefined;
    delete state.paired[deviceId];
    await this.#save({ paired: true });
    return d;
  }

  /**
   * The token of (device, role) for `hello-ok`: the current one when it
   * grants exactly `scopes`, else a new one replacing it. `rotate` always
   * makes a new one (the old one stops working).
   */
  async issueToken(
    deviceId: string,
    role: string,
    scopes: string[],
    opts: { rotate?: boolean } = {},
  ): Promise<{ token: string; issuedAtMs: number; record: StoredToken } | undefined> {
    const device = (await this.state()).paired[deviceId];
    if (!device) return undefined;
    const old = device.tokens.find((t) => t.role === role);
    const same = old && old.scopes.length === scopes.length &&
      scopes.every((s) => old.scopes.includes(s));
    if (old && same && !opts.rotate) {
      const token = await this.#mint.derive(deviceId, role, old.salt);
      if (old.hash === await hashToken(token)) {
        return { token, issuedAtMs: old.rotatedAtMs ?? old.createdAtMs, record: old };
      }
    }
    const now = this.#now();
    const { token, record } = await this.#mint.mint(deviceId, { role, scopes }, { old, now });
    device.tokens = [...device.tokens.filter((t) => t.role !== role), record];
    await this.#save({ paired: true });
    return { token, issuedAtMs: now, record };
  }

  /** The stored token of (device, role) when `token` is it; marks it used. */
  async checkToken(
    deviceId: string,
    role: string,
    token: string,
  ): Promise<StoredToken | undefined> {
    const device = (await this.state()).paired[deviceId];
    const record = device?.tokens.find((t) => t.role === role);
    if (!device || !record || record.hash !== await hashToken(token)) return undefined;
    // In memory only, like lastSeen on connect: no disk write per connect.
    const now = this.#now();
    record.lastUsedAtMs = now;
    device.lastSeenAtMs = now;
    device.lastSeenReason = "device-token-auth";
    return record;
  }

  /** `node.rename`: the display name operators see. */
  async rename(deviceId: string, displayName: string): Promise<void> {
    const device = (await this.state()).paired[deviceId];
    if (!device) return;
    device.displayName = displayName;
    await this.#save({ paired: true });
  }

  /** `device.pair.rename`: the operator's label; false when the device is not paired. */
  async label(deviceId: string, label: string): Promise<boolean> {
    const device = (await this.state()).paired[deviceId];
    if (!device) return false;
    device.operatorLabel = label;
    await this.#save({ paired: true });
    this.#deps.emit({ event: "device.pair.changed", payload: {} });
    return true;
  }

  /** `device.token.revoke`: voids the token of (device, role). */
  async revoke(deviceId: string, role: string): Promise<boolean> {
    const device = (await this.state()).paired[deviceId];
    const before = device?.tokens.length ?? 0;
    if (!device) return false;
    device.tokens = device.tokens.filter((t) => t.role !== role);
    if (device.tokens.length === before) return false;
    await this.#save({ paired: true });
    return true;
  }
}
