// The browser's device identity (spec control-ui.md §2.2, protocol.md §4): an
// Ed25519 key pair kept in localStorage, the v3 connect signature the gateway
// verifies (src/nodes/identity.ts), and the device token hello-ok hands back.
// Everything degrades to "no identity" where Web Crypto lacks Ed25519 or the
// page is not a secure context; the gateway then sees a device-less client.

/** localStorage key of the key pair, as the real UI names it. */
export const IDENTITY_KEY = "openclaw-device-identity-v1";
/** localStorage key prefix of device tokens, one entry per gateway URL. */
export const DEVICE_AUTH_PREFIX = "openclaw.device.auth.v1:";

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = "302e020100300506032b657004220420";
const MAX_STORED = 16_384;

function b64url(bytes) {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromB64url(text) {
  const std = text.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(std.padEnd(std.length + ((4 - (std.length % 4)) % 4), "="));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function readJson(key) {
  try {
    const text = localStorage.getItem(key);
    return text && text.length <= MAX_STORED ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function importPrivate(seed) {
  const prefix = PKCS8_ED25519_PREFIX.match(/../g).map((h) => parseInt(h, 16));
  const pkcs8 = new Uint8Array([...prefix, ...seed]);
  return await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
}

/** A stored identity that is complete and self-consistent, with its signing key. */
async function loadStored() {
  const s = readJson(IDENTITY_KEY);
  if (s?.version !== 1 || typeof s.publicKey !== "string" || typeof s.privateKey !== "string") {
    return undefined;
  }
  const pub = fromB64url(s.publicKey);
  const seed = fromB64url(s.privateKey);
  if (pub.length !== 32 || seed.length !== 32) return undefined;
  const deviceId = await sha256Hex(pub);
  if (deviceId !== s.deviceId) return undefined;
  return { deviceId, publicKey: s.publicKey, key: await importPrivate(seed) };
}

async function create() {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const pub = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const stored = {
    version: 1,
    deviceId: await sha256Hex(pub),
    publicKey: b64url(pub),
    privateKey: b64url(pkcs8.slice(-32)),
    createdAtMs: Date.now(),
  };
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(stored));
  return { deviceId: stored.deviceId, publicKey: stored.publicKey, key: pair.privateKey };
}

let cached;

/**
 * This browser's identity `{deviceId, publicKey, key}`, created on first use;
 * `undefined` when the context is insecure or Ed25519 is unavailable.
 */
export function deviceIdentity() {
  cached ??= (async () => {
    if (!globalThis.isSecureContext || !crypto?.subtle) return undefined;
    try {
      return (await loadStored()) ?? (await create());
    } catch {
      return undefined; // No Ed25519 in this browser: connect device-less.
    }
  })();
  return cached;
}

function asciiLower(text) {
  return (text ?? "").trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The `connect.params.device` claim: a v3 signature over the connect fields
 * and the challenge (`signedAt` is the challenge's `ts`, as the real UI does).
 */
export async function signConnect(identity, challenge, fields) {
  const payload = [
    "v3",
    identity.deviceId,
    fields.clientId,
    fields.clientMode,
    fields.role,
    fields.scopes.join(","),
    String(challenge.ts),
    fields.token ?? "",
    challenge.nonce,
    asciiLower(fields.platform),
    asciiLower(fields.deviceFamily),
  ].join("|");
  const sig = await crypto.subtle.sign("Ed25519", identity.key, new TextEncoder().encode(payload));
  return {
    id: identity.deviceId,
    publicKey: identity.publicKey,
    signature: b64url(new Uint8Array(sig)),
    signedAt: challenge.ts,
    nonce: challenge.nonce,
  };
}

/** The device token stored for `wsUrl` and this device, if any. */
export function storedDeviceToken(wsUrl, deviceId, role = "operator") {
  const s = readJson(DEVICE_AUTH_PREFIX + wsUrl);
  if (s?.version !== 1 || s.deviceId !== deviceId) return undefined;
  const t = s.tokens?.[role]?.token;
  return typeof t === "string" && t.length <= 1024 ? t : undefined;
}

/** Whether some device token is stored for `wsUrl` (worth trying a connect without the secret). */
export function hasDeviceToken(wsUrl) {
  return readJson(DEVICE_AUTH_PREFIX + wsUrl) !== undefined;
}

/** Keeps the device token of a hello-ok (`auth.deviceToken`) for the next connect. */
export function storeDeviceToken(wsUrl, deviceId, auth) {
  if (typeof auth?.deviceToken !== "string") return;
  const prev = readJson(DEVICE_AUTH_PREFIX + wsUrl);
  const tokens = prev?.deviceId === deviceId ? { ...prev.tokens } : {};
  tokens[auth.role ?? "operator"] = {
    token: auth.deviceToken,
    role: auth.role ?? "operator",
    scopes: auth.scopes ?? [],
    updatedAtMs: Date.now(),
  };
  try {
    localStorage.setItem(
      DEVICE_AUTH_PREFIX + wsUrl,
      JSON.stringify({ version: 1, deviceId, tokens }),
    );
  } catch { /* storage full or blocked: the next visit asks for the secret */ }
}

/** Forgets the device token for `wsUrl` (sign-out, or the gateway refused it). */
export function clearDeviceToken(wsUrl) {
  try {
    localStorage.removeItem(DEVICE_AUTH_PREFIX + wsUrl);
  } catch { /* storage blocked: nothing was kept */ }
}
