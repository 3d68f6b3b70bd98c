/**
 * The device pairing store: `$STATE/devices/paired.json` and `pending.json`,
 * private (0600) and written atomically. A file that does not parse is
 * reported with its path and left alone: resetting it would silently unpair
 * every device.
 *
 * @module
 */

import { writeFileAtomic } from "../config/write.ts";

/** A device token as stored: only its SHA-256. */
export interface StoredToken {
  role: string;
  scopes: string[];
  /** Hex SHA-256 of the token. */
  hash: string;
  /** Random per-token input of the token's HMAC (the key is in `token.key`, not here). */
  salt: string;
  createdAtMs: number;
  rotatedAtMs?: number;
  lastUsedAtMs?: number;
}

/** What a device said about itself when it asked to pair. */
export interface DeviceMeta {
  displayName?: string;
  platform: string;
  deviceFamily?: string;
  clientId: string;
  clientMode: string;
}

/** A paired device. */
export interface PairedDevice extends DeviceMeta {
  deviceId: string;
  publicKey: string;
  role: string;
  roles: string[];
  scopes: string[];
  approvedVia: "silent" | "owner";
  createdAtMs: number;
  approvedAtMs: number;
  lastSeenAtMs?: number;
  lastSeenReason?: string;
  /** The name an operator gave the device (`device.pair.rename`). */
  operatorLabel?: string;
  tokens: StoredToken[];
}

/** A device waiting for an operator's decision (expires after 5 minutes). */
export interface PendingDevice extends DeviceMeta {
  requestId: string;
  deviceId: string;
  publicKey: string;
  role: string;
  roles: string[];
  scopes: string[];
  silent: boolean;
  isRepair: boolean;
  /** Why a request exists: `not-paired`, `role-upgrade`, `scope-upgrade`. */
  reason: string;
  ts: number;
}

/** The store's whole state. */
export interface DeviceState {
  paired: Record<string, PairedDevice>;
  pending: Record<string, PendingDevice>;
}

/** A store file that cannot be read as a device store. */
export class DeviceStoreError extends Error {
  constructor(readonly path: string, detail: string) {
    super(
      `Device store "${path}" is unreadable: ${detail} (fix or move the file aside, then reconnect)`,
    );
    this.name = "DeviceStoreError";
  }
}

/** Largest store file read (a corrupted or hostile file must not fill memory). */
export const MAX_STORE_BYTES = 8 * 1024 * 1024;

/**
 * Reads `{<key>: {...}}` from `path`: missing is empty, unreadable throws
 * {@link DeviceStoreError}, and so does an entry `valid` (when given) refuses,
 * naming it: code reading the store may then trust the shape.
 */
export async function readRecord<T>(
  path: string,
  key: string,
  valid?: (entry: unknown) => boolean,
): Promise<Record<string, T>> {
  let text: string;
  try {
    const stat = await Deno.stat(path);
    if (stat.size > MAX_STORE_BYTES) {
      throw new DeviceStoreError(path, `larger than ${MAX_STORE_BYTES} bytes`);
    }
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DeviceStoreError(path, "not valid JSON");
  }
  const inner = (parsed as Record<string, unknown> | null)?.[key];
  if (typeof inner !== "object" || inner === null || Array.isArray(inner)) {
    throw new DeviceStoreError(path, `no "${key}" object`);
  }
  for (const [id, entry] of Object.entries(inner)) {
    if (valid && !valid(entry)) {
      throw new DeviceStoreError(path, `entry ${JSON.stringify(id.slice(0, 80))} is malformed`);
    }
  }
  return inner as Record<string, T>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

/** The fields the gateway reads from a paired device without checking. */
function validPaired(v: unknown): boolean {
  return isObject(v) && typeof v.deviceId === "string" && typeof v.publicKey === "string" &&
    typeof v.role === "string" && strings(v.roles) && strings(v.scopes) &&
    Array.isArray(v.tokens) &&
    v.tokens.every((t) =>
      isObject(t) && typeof t.role === "string" && strings(t.scopes) &&
      typeof t.hash === "string" && typeof t.salt === "string"
    );
}

/** The fields the gateway reads from a pending request without checking. */
function validPending(v: unknown): boolean {
  return isObject(v) && typeof v.requestId === "string" && typeof v.deviceId === "string" &&
    typeof v.role === "string" && strings(v.scopes) && typeof v.ts === "number";
}

/** Reads and writes the two files under `dir` (`$STATE/devices`). */
export class DeviceStore {
  readonly dir: string;
  #writes: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Loads both files; missing files are empty, unreadable ones throw {@link DeviceStoreError}. */
  async load(): Promise<DeviceState> {
    const paired = await readRecord<PairedDevice>(
      `${this.dir}/paired.json`,
      "devices",
      validPaired,
    );
    const pending = await readRecord<PendingDevice>(
      `${this.dir}/pending.json`,
      "requests",
      validPending,
    );
    return { paired, pending };
  }

  /**
   * The 32-byte key device tokens are derived from (`token.key`, 0600),
   * created on first use. With it the gateway can hand a device its current
   * token again without keeping the token itself in the store.
   */
  async tokenKey(): Promise<Uint8Array> {
    const path = `${this.dir}/token.key`;
    try {
      const text = (await Deno.readTextFile(path)).trim();
      const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
      if (bytes.length !== 32) throw new DeviceStoreError(path, "not a 32-byte key");
      return bytes;
    } catch (err) {
      if (err instanceof DeviceStoreError) throw err;
      if (!(err instanceof Deno.errors.NotFound)) {
        throw new DeviceStoreError(path, "not a base64 key");
      }
    }
    const key = crypto.getRandomValues(new Uint8Array(32));
    await writeFileAtomic(path, btoa(String.fromCharCode(...key)) + "\n", {
      backup: false,
      mode: 0o600,
    });
    return key;
  }

  /**
   * Writes the files named in `parts` (default both); serialized, so a later
   * save never lands before an earlier one.
   */
  save(state: DeviceState, parts: { paired?: boolean; pending?: boolean } = {}): Promise<void> {
    const all = parts.paired === undefined && parts.pending === undefined;
    const paired = all || parts.paired
      ? JSON.stringify({ version: 1, devices: state.paired }, null, 2) + "\n"
      : undefined;
    const pending = all || parts.pending
      ? JSON.stringify({ version: 1, requests: state.pending }, null, 2) + "\n"
      : undefined;
    const opts = { backup: false, mode: 0o600 };
    const run = this.#writes.then(async () => {
      if (paired) await writeFileAtomic(`${this.dir}/paired.json`, paired, opts);
      if (pending) await writeFileAtomic(`${this.dir}/pending.json`, pending, opts);
    });
    this.#writes = run.catch(() => {});
    return run;
  }
}
