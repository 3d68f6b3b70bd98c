/**
 * Baileys multi-file auth state in `$STATE/credentials/whatsapp/<accountId>/`,
 * file-compatible with Baileys' `useMultiFileAuthState` but private (folders
 * 0700, files 0600), written atomically, with `creds.json.bak` a copy of the
 * last successful save, restored when `creds.json` is corrupt.
 *
 * @module
 */

import type { AuthenticationCreds, AuthenticationState } from "@whiskeysockets/baileys";
import type { Baileys } from "./_baileys.ts";
import { ensurePrivateDir, writeFileAtomic } from "../../config/write.ts";

const CREDS = "creds.json";
const BACKUP = "creds.json.bak";
/** A key or creds file larger than this is treated as corrupt (inputs have limits). */
export const MAX_AUTH_FILE_BYTES = 4 * 1024 * 1024;

/** The auth folder of an account under the state dir. */
export function authDirFor(stateDir: string, accountId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(accountId)) {
    throw new Error(
      `Invalid WhatsApp account id "${accountId}" (use 1-64 letters, digits, "_" or "-")`,
    );
  }
  return `${stateDir}/credentials/whatsapp/${accountId}`;
}

/** What {@link openAuthState} returns: the state to hand to Baileys and how to save it. */
export interface OpenedAuthState {
  state: AuthenticationState;
  saveCreds(): Promise<void>;
  /** Resolves once every write started so far has finished. */
  flush(): Promise<void>;
  /** `creds.json` was corrupt and `creds.json.bak` replaced it. */
  restoredFromBackup: boolean;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (info.size > MAX_AUTH_FILE_BYTES) return undefined;
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

function parse(text: string | undefined, reviver: (k: string, v: unknown) => unknown): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text, reviver);
  } catch {
    return undefined;
  }
}

/** Whether parsed creds look like Baileys creds (not just any JSON). */
function isCreds(value: unknown): value is AuthenticationCreds {
  const v = value as Partial<AuthenticationCreds> | undefined;
  return !!v && typeof v === "object" && !!v.noiseKey && !!v.signedIdentityKey;
}

async function ensureAuthDir(dir: string): Promise<void> {
  await ensurePrivateDir(dir);
  const parent = dir.slice(0, dir.lastIndexOf("/"));
  if (parent.endsWith("/credentials/whatsapp")) await Deno.chmod(parent, 0o700).catch(() => {});
}

/** Writes `text` to `path` atomically with mode 0600 (its own `.bak` is kept by hand). */
function writePrivate(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, text, { backup: false });
}

function fileName(name: string): string {
  return name.replace(/\//g, "__").replace(/:/g, "-");
}

/**
 * Whether `dir` holds linked credentials (a readable `creds.json` or backup
 * with `me` set). Never loads Baileys.
 */
export async function readLinkedIdentity(
  dir: string,
): Promise<{ jid: string; lid?: string; mtimeMs: number } | undefined> {
  for (const name of [CREDS, BACKUP]) {
    const text = await readText(`${dir}/${name}`).catch(() => undefined);
    const creds = parse(text, (_k, v) => v) as
      | { me?: { id?: string; lid?: string }; noiseKey?: unknown }
      | undefined;
    if (creds?.noiseKey && typeof creds.me?.id === "string") {
      const info = await Deno.stat(`${dir}/${name}`);
      return { jid: creds.me.id, lid: creds.me.lid, mtimeMs: info.mtime?.getTime() ?? Date.now() };
    }
  }
  return undefined;
}

/**
 * Opens (or creates) the auth state in `dir`. A corrupt `creds.json` is
 * replaced by a valid `creds.json.bak`; with neither, fresh creds are made
 * (the account then needs a QR link).
 */
export async function openAuthState(dir: string, baileys: Baileys): Promise<OpenedAuthState> {
  const { BufferJSON, initAuthCreds, proto } = baileys;
  await ensureAuthDir(dir);
  const locks = new Map<string, Promise<void>>();
  const serial = (path: string, job: () => Promise<void>): Promise<void> => {
    const next = (locks.get(path) ?? Promise.resolve()).then(job, job);
    const settled = next.catch(() => {});
    locks.set(path, settled);
    settled.then(() => locks.get(path) === settled && locks.delete(path));
    return next;
  };
  const readJson = async (name: string) =>
    parse(await readText(`${dir}/${fileName(name)}`), BufferJSON.reviver);
  const writeJson = (name: string, value: unknown) =>
    serial(
      `${dir}/${fileName(name)}`,
      () => writePrivate(`${dir}/${fileName(name)}`, JSON.stringify(value, BufferJSON.replacer)),
    );
  const removeJson = (name: string) =>
    serial(
      `${dir}/${fileName(name)}`,
      () => Deno.remove(`${dir}/${fileName(name)}`).catch(() => {}),
    );

  let restoredFromBackup = false;
  let creds = await readJson(CREDS);
  const credsText = await readText(`${dir}/${CREDS}`);
  if (!isCreds(creds)) {
    const backupText = await readText(`${dir}/${BACKUP}`);
    const backup = parse(backupText, BufferJSON.reviver);
    if (isCreds(backup) && backupText !== undefined) {
      await writePrivate(`${dir}/${CREDS}`, backupText);
      creds = backup;
      restoredFromBackup = credsText !== undefined;
    }
  }
  const live: AuthenticationCreds = isCreds(creds) ? creds : initAuthCreds();

  const state: AuthenticationState = {
    creds: live,
    keys: {
      // deno-lint-ignore no-explicit-any
      get: async (type: string, ids: string[]): Promise<any> => {
        const out: Record<string, unknown> = {};
        await Promise.all(ids.map(async (id) => {
          let value = await readJson(`${type}-${id}.json`);
          if (type === "app-state-sync-key" && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
          }
          out[id] = value ?? undefined;
        }));
        return out;
      },
      set: async (data: Record<string, Record<string, unknown>>) => {
        const tasks: Promise<void>[] = [];
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            const name = `${type}-${id}.json`;
            tasks.push(value ? writeJson(name, value) : removeJson(name));
          }
        }
        await Promise.all(tasks);
      },
    },
  } as AuthenticationState;

  // Writes are atomic (temp file + rename), so a crash never leaves a torn
  // creds.json; the backup is a second copy of the last successful save, for
  // damage from outside (disk errors, hand edits, partial restores).
  const saveCreds = () =>
    serial(`${dir}/${CREDS}`, async () => {
      const text = JSON.stringify(live, BufferJSON.replacer);
      await writePrivate(`${dir}/${CREDS}`, text);
      await writePrivate(`${dir}/${BACKUP}`, text);
    });

  const flush = async () => {
    while (locks.size > 0) await Promise.all([...locks.values()]);
  };

  return { state, saveCreds, flush, restoredFromBackup };
}

/** Deletes an account's auth state (logout, device removed). Missing is fine. */
export async function deleteAuthState(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
}
