/**
 * Device identity: an Ed25519 public key whose SHA-256 is the device id, and
 * a signature over the connect fields and the challenge nonce. Web Crypto
 * only; every failure carries the `details.code` clients branch on.
 *
 * @module
 */

/** A device's claim in `connect.params.device`. */
export interface DeviceClaim {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce: string;
}

/** The connect fields the signature covers besides the device. */
export interface SignedFields {
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  /** `auth.token` of the same connect ("" when none). */
  token: string;
  platform?: string;
  deviceFamily?: string;
}

/** Why a device claim was refused: `code`/`reason` go to `error.details`. */
export interface IdentityFailure {
  ok: false;
  code: string;
  reason: string;
  message: string;
}

/** A verified device: its id and raw public key (base64url). */
export interface VerifiedDevice {
  ok: true;
  deviceId: string;
  publicKey: string;
}

/** Accepted clock difference between `signedAt` and the gateway's clock. */
export const SIGNATURE_SKEW_MS = 10 * 60_000;

const SPKI_ED25519_PREFIX = "302a300506032b6570032100";

/** Encodes bytes as base64url without padding. */
export function base64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes base64 or base64url (padding optional); `undefined` when not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  const std = text.trim().replaceAll("-", "+").replaceAll("_", "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std)) return undefined;
  try {
    const bin = atob(std.padEnd(std.length + ((4 - (std.length % 4)) % 4), "="));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The raw 32-byte Ed25519 key from base64url/base64 raw or a PEM/DER SPKI
 * export; `undefined` when it is none of those.
 */
export function rawPublicKey(publicKey: string): Uint8Array | undefined {
  const text = publicKey.trim();
  if (text.startsWith("-----BEGIN")) {
    const body = text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
    const der = fromBase64(body);
    if (!der || der.length !== 44 || !hex(der.subarray(0, 12)).startsWith(SPKI_ED25519_PREFIX)) {
      return undefined;
    }
    return der.subarray(12);
  }
  const raw = fromBase64(text);
  if (raw?.length === 32) return raw;
  if (raw?.length === 44 && hex(raw.subarray(0, 12)) === SPKI_ED25519_PREFIX) {
    return raw.subarray(12);
  }
  return undefined;
}

/** `hex(SHA-256(raw public key))`: the device id. */
export async function deviceIdOf(raw: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", raw as BufferSource)));
}

/** ASCII-only lowercase, trimmed (what the v3 payload uses for platform/family). */
function asciiLower(text: string | undefined): string {
  return (text ?? "").trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The UTF-8 string a device signs (`v3`, or the older `v2` without platform/family). */
export function signaturePayload(
  version: "v2" | "v3",
  device: { id: string; signedAt: number; nonce: string },
  fields: SignedFields,
): string {
  const base = [
    version,
    device.id,
    fields.clientId,
    fields.clientMode,
    fields.role,
    fields.scopes.join(","),
    String(device.signedAt),
    fields.token,
    device.nonce,
  ];
  if (version === "v3") base.push(asciiLower(fields.platform), asciiLower(fields.deviceFamily));
  return base.join("|");
}

function fail(code: string, reason: string, message: string): IdentityFailure {
  return { ok: false, code: `DEVICE_AUTH_${code}`, reason, message };
}

/** What verification needs besides the claim. */
export interface VerifyContext {
  /** The nonce of this socket's `connect.challenge`. */
  nonce: string;
  now: number;
  fields: SignedFields;
}

/**
 * Verifies a device claim: key, id, clock, nonce, then the v3 (or v2)
 * signature. Never throws.
 */
export async function verifyDevice(
  claim: DeviceClaim,
  ctx: VerifyContext,
): Promise<VerifiedDevice | IdentityFailure> {
  const raw = rawPublicKey(claim.publicKey);
  if (!raw) {
    return fail(
      "PUBLIC_KEY_INVALID",
      "device-public-key",
      "device public key invalid: send the raw Ed25519 key as base64url (or PEM)",
    );
  }
  const deviceId = await deviceIdOf(raw);
  if (claim.id !== deviceId) {
    return fail(
      "DEVICE_ID_MISMATCH",
      "device-id-mismatch",
      "device identity mismatch: device.id must be the hex SHA-256 of the public key",
    );
  }
  if (Math.abs(ctx.now - claim.signedAt) > SIGNATURE_SKEW_MS) {
    return fail(
      "SIGNATURE_EXPIRED",
      "device-signature-stale",
      `device signature expired: signedAt ${claim.signedAt} is more than 10 min from the gateway clock (sign with the challenge ts)`,
    );
  }
  if (!claim.nonce) {
    return fail(
      "NONCE_REQUIRED",
      "device-nonce-missing",
      "device nonce required: sign with the nonce of connect.challenge",
    );
  }
  if (claim.nonce !== ctx.nonce) {
    return fail(
      "NONCE_MISMATCH",
      "device-nonce-mismatch",
      "device nonce mismatch: sign with the nonce of this socket's connect.challenge",
    );
  }
  const signature = fromBase64(claim.signature);
  if (signature?.length === 64) {
    try {
      const key = await crypto.subtle.importKey(
        "raw",
        raw as BufferSource,
        { name: "Ed25519" },
        false,
        ["verify"],
      );
      for (const version of ["v3", "v2"] as const) {
        const data = new TextEncoder().encode(signaturePayload(version, claim, ctx.fields));
        if (await crypto.subtle.verify("Ed25519", key, signature as BufferSource, data)) {
          return { ok: true, deviceId, publicKey: base64Url(raw) };
        }
      }
    } catch {
      // An unusable key is a bad signature from the client's point of view.
    }
  }
  return fail(
    "SIGNATURE_INVALID",
    "device-signature",
    "device signature invalid: sign the v3 payload with the device key",
  );
}
