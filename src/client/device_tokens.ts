/**
 * Device tokens the CLI received in `hello-ok.auth.deviceToken`, one per
 * gateway URL and role, kept in `$STATE/identity/device-auth.json` (0600) so
 * later connects can authenticate with the device instead of the shared
 * secret.
 *
 * @module
 */

import { writeFileAtomic } from "../config/write.ts";
import { identityDir } from "./device_identity.ts";
import { ensurePrivateDir } from "../config/write.ts";

/** One stored token. */
export interface StoredDeviceToken {
  token: string;
  role: string;
  issuedAtMs?: number;
}

interface TokenFile {
  version: 1;
  deviceId: string;
  tokens: Record<string, StoredDeviceToken>;
}

/** At most this many gateways are remembered; the oldest is dropped. */
const MAX_ENTRIES = 64;
const MAX_FILE_BYTES = 64 * 1024;

/** The token file inside a state dir. */
function deviceTokensPath(stateDir: string): string {
  return `${identityDir(stateDir)}/device-auth.json`;
}

function keyOf(url: string, role: string): string {
  return `${role} ${url}`;
}

async function readFile(stateDir: string, deviceId: string): Promise<TokenFile> {
  const empty: TokenFile = { version: 1, deviceId, tokens: {} };
  try {
    const path = deviceTokensPath(stateDir);
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > MAX_FILE_BYTES) return empty;
    const data = JSON.parse(await Deno.readTextFile(path)) as Partial<TokenFile>;
    // Tokens of another identity are worthless: the gateway binds them to it.
    if (data?.version !== 1 || data.deviceId !== deviceId || typeof data.tokens !== "object") {
      return empty;
    }
    return { version: 1, deviceId, tokens: data.tokens ?? {} };
  } catch {
    // A missing or damaged token file only costs a pairing round: start over.
    return empty;
  }
}

/** The token stored for `url` and `role` of device `deviceId`, if any. */
export async function loadDeviceToken(
  stateDir: string,
  opts: { deviceId: string; url: string; role: string },
): Promise<string | undefined> {
  const file = await readFile(stateDir, opts.deviceId);
  const entry = file.tokens[keyOf(opts.url, opts.role)];
  return typeof entry?.token === "string" && entry.token.length <= 4096 ? entry.token : undefined;
}

/**
 * Whether a token is stored for `url` and `role` under the current identity
 * file's device (without loading the key): lets `--url` go without a secret.
 */
export async function hasDeviceToken(
  stateDir: string,
  opts: { url: string; role: string },
): Promise<boolean> {
  let deviceId: unknown;
  try {
    const text = await Deno.readTextFile(`${identityDir(stateDir)}/device.json`);
    if (text.length > 16 * 1024) return false;
    deviceId = JSON.parse(text)?.deviceId;
  } catch {
    return false;
  }
  if (typeof deviceId !== "string") return false;
  return (await loadDeviceToken(stateDir, { deviceId, ...opts })) !== undefined;
}

/** Stores (or with `token: undefined`, forgets) the token for `url` and `role`. */
export async function saveDeviceToken(
  stateDir: string,
  opts: { deviceId: string; url: string; role: string; token?: string; issuedAtMs?: number },
): Promise<void> {
  const file = await readFile(stateDir, opts.deviceId);
  const key = keyOf(opts.url, opts.role);
  const current = file.tokens[key];
  if (opts.token === undefined) {
    if (!current) return;
    delete file.tokens[key];
  } else {
    if (current?.token === opts.token) return;
    delete file.tokens[key];
    file.tokens[key] = {
      token: opts.token,
      role: opts.role,
      ...(opts.issuedAtMs ? { issuedAtMs: opts.issuedAtMs } : {}),
    };
    const keys = Object.keys(file.tokens);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) {
      delete file.tokens[old];
    }
  }
  await ensurePrivateDir(identityDir(stateDir));
  await writeFileAtomic(deviceTokensPath(stateDir), JSON.stringify(file, null, 2) + "\n", {
    backup: false,
  });
}
