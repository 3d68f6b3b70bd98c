/**
 * Device tokens: HMAC-SHA256 of (device, role, salt) under the store's
 * token key, so a token can be re-derived for `hello-ok` without storing
 * it; only its SHA-256 hash is kept.
 *
 * @module
 */

import { hashToken } from "./device_views.ts";
import type { StoredToken } from "./device_store.ts";
import { base64Url } from "./identity.ts";

/** Derives and mints device tokens under one key (read once, on first use). */
export class DeviceTokenMint {
  #rawKey: () => Promise<Uint8Array>;
  #key: CryptoKey | undefined;

  constructor(rawKey: () => Promise<Uint8Array>) {
    this.#rawKey = rawKey;
  }

  /** The token of (device, role, salt). */
  async derive(deviceId: string, role: string, salt: string): Promise<string> {
    this.#key ??= await crypto.subtle.importKey(
      "raw",
      (await this.#rawKey()) as BufferSource,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = await crypto.subtle.sign(
      "HMAC",
      this.#key,
      new TextEncoder().encode(`${deviceId}|${role}|${salt}`),
    );
    return base64Url(new Uint8Array(mac));
  }

  /** A new token under a fresh salt, with its record (replacing `old`, if any). */
  async mint(
    deviceId: string,
    grant: { role: string; scopes: string[] },
    opts: { old?: StoredToken; now: number },
  ): Promise<{ token: string; record: StoredToken }> {
    const { old, now } = opts;
    const salt = base64Url(crypto.getRandomValues(new Uint8Array(16)));
    const token = await this.derive(deviceId, grant.role, salt);
    const record: StoredToken = {
      role: grant.role,
      scopes: grant.scopes,
      hash: await hashToken(token),
      salt,
      createdAtMs: old?.createdAtMs ?? now,
      ...(old ? { rotatedAtMs: now } : {}),
    };
    return { token, record };
  }
}
