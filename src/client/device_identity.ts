/**
 * The CLI's own device identity: an Ed25519 key pair kept in
 * `$STATE/identity/device.json` (0600, folder 0700), created on first use
 * with Web Crypto. A gateway refuses a non-loopback client without one
 * (protocol.md section 4), so every client command can sign its connect.
 *
 * @module
 */

import { base64Url, deviceIdOf, fromBase64 } from "../nodes/identity.ts";
import { ensurePrivateDir } from "../config/write.ts";

/** What a connect needs from a device: its id, public key and a signer. */
export interface DeviceSigner {
  /** Lowercase hex SHA-256 of the raw public key. */
  readonly deviceId: string;
  /** Raw 32-byte Ed25519 public key, base64url. */
  readonly publicKey: string;
  /** Signs UTF-8 `text`; the signature is base64url. */
  sign(text: string): Promise<string>;
}

/** The identity file is unreadable or not an identity; names the path and the fix. */
export class DeviceIdentityError extends Error {
  constructor(readonly path: string, problem: string) {
    super(
      `Device identity file "${path}" ${problem} (move it aside or delete it to create a new ` +
        "identity; the gateway will then ask to approve this device again)",
    );
    this.name = "DeviceIdentityError";
  }
}

/** The identity file is tiny; anything larger is not ours. */
const MAX_FILE_BYTES = 16 * 1024;

interface IdentityFile {
  version: 1;
  deviceId: string;
  publicKey: string;
  /** PKCS#8 private key, base64url. */
  privateKey: string;
  createdAtMs: number;
}

/** The identity folder inside a state dir. */
export function identityDir(stateDir: string): string {
  return `${stateDir}/identity`;
}

/** The identity file inside a state dir. */
export function identityPath(stateDir: string): string {
  return `${identityDir(stateDir)}/device.json`;
}

class KeySigner implements DeviceSigner {
  constructor(
    readonly deviceId: string,
    readonly publicKey: string,
    private readonly key: CryptoKey,
  ) {}

  async sign(text: string): Promise<string> {
    const sig = await crypto.subtle.sign("Ed25519", this.key, new TextEncoder().encode(text));
    return base64Url(new Uint8Array(sig));
  }
}

async function parseIdentity(path: string, text: string): Promise<DeviceSigner> {
  let data: Partial<IdentityFile>;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DeviceIdentityError(path, "is not valid JSON");
  }
  if (
    typeof data !== "object" || data === null || data.version !== 1 ||
    typeof data.publicKey !== "string" || typeof data.privateKey !== "string"
  ) {
    throw new DeviceIdentityError(path, "is not a version 1 device identity");
  }
  const raw = fromBase64(data.publicKey);
  const pkcs8 = fromBase64(data.privateKey);
  if (raw?.length !== 32 || !pkcs8) {
    throw new DeviceIdentityError(path, "holds a key that is not a base64url Ed25519 key");
  }
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      "pkcs8",
      pkcs8 as BufferSource,
      { name: "Ed25519" },
      false,
      ["sign"],
    );
  } catch {
    throw new DeviceIdentityError(path, "holds a private key Web Crypto cannot import");
  }
  const deviceId = await deviceIdOf(raw);
  if (data.deviceId !== deviceId) {
    throw new DeviceIdentityError(path, "has a deviceId that is not the SHA-256 of its key");
  }
  const signer = new KeySigner(deviceId, data.publicKey, key);
  // A private key that does not match the public key would be refused by
  // every gateway with a signature error: say so here instead.
  const probe = new TextEncoder().encode("openclaw-identity-check");
  const pub = await crypto.subtle.importKey("raw", raw as BufferSource, "Ed25519", false, [
    "verify",
  ]);
  const sig = fromBase64(await signer.sign("openclaw-identity-check"))!;
  if (!await crypto.subtle.verify("Ed25519", pub, sig as BufferSource, probe)) {
    throw new DeviceIdentityError(path, "has a private key that does not match its public key");
  }
  return signer;
}

async function createIdentity(stateDir: string): Promise<DeviceSigner> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const file: IdentityFile = {
    version: 1,
    deviceId: await deviceIdOf(raw),
    publicKey: base64Url(raw),
    privateKey: base64Url(pkcs8),
    createdAtMs: Date.now(),
  };
  await ensurePrivateDir(identityDir(stateDir));
  const path = identityPath(stateDir);
  // `createNew` keeps a concurrent first run from replacing the identity the
  // other one may already have shown a gateway: the loser reads the winner's.
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o600);
  try {
    await Deno.link(tmp, path);
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) {
      await Deno.remove(tmp).catch(() => {});
      throw err;
    }
    await Deno.remove(tmp).catch(() => {});
    return await loadDeviceIdentity(stateDir);
  }
  await Deno.remove(tmp).catch(() => {});
  const key = await crypto.subtle.importKey(
    "pkcs8",
    pkcs8 as BufferSource,
    { name: "Ed25519" },
    false,
    ["sign"],
  );
  return new KeySigner(file.deviceId, file.publicKey, key);
}

/**
 * Loads the device identity of `stateDir`, creating it on first use. Throws
 * {@link DeviceIdentityError} (naming the file and what to do) when the file
 * exists but is not a usable identity; never replaces it.
 */
export async function loadDeviceIdentity(stateDir: string): Promise<DeviceSigner> {
  const path = identityPath(stateDir);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return await createIdentity(stateDir);
    throw new DeviceIdentityError(path, `cannot be read (${(err as Error).message})`);
  }
  try {
    const info = await file.stat();
    if (!info.isFile || info.size > MAX_FILE_BYTES) {
      throw new DeviceIdentityError(path, `is not a file of at most ${MAX_FILE_BYTES} bytes`);
    }
    const buf = new Uint8Array(info.size);
    let n = 0;
    while (n < buf.length) {
      const got = await file.read(buf.subarray(n));
      if (got === null) break;
      n += got;
    }
    return await parseIdentity(path, new TextDecoder().decode(buf.subarray(0, n)));
  } finally {
    file.close();
  }
}
