/**
 * The port the running gateway actually serves, kept in a small state file
 * so client commands reach it even when the config names another port (a
 * restart onto a port another process holds fell back to the old one): the
 * CLI must never send its token to whoever holds the configured port.
 *
 * @module
 */

import type { Exec } from "../../service/exec.ts";
import { writeFileAtomic } from "./write.ts";

/** What the state file says. */
export interface ServedPort {
  /** The gateway's process id. */
  pid: number;
  /** The port it listens on. */
  port: number;
  /** The port its config in force names (what client commands compute). */
  configuredPort: number;
}

/** Largest state file read: it holds three numbers. */
const MAX_BYTES = 4096;

/** The state file of an instance: `<stateDir>/gateway.served.json`. */
export function servedPath(stateDir: string): string {
  return `${stateDir}/gateway.served.json`;
}

/** Records what this process serves (0600, atomically; overwritten on every listen). */
export async function writeServed(path: string, served: ServedPort): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(served) + "\n", { backup: false });
}

/** Removes the file when it is this process's (another gateway may have taken over). */
export function clearServed(path: string, pid: number): void {
  try {
    const text = Deno.readTextFileSync(path);
    if ((JSON.parse(text) as Partial<ServedPort>).pid === pid) Deno.removeSync(path);
  } catch { /* absent or unreadable: nothing to clear */ }
}

/** Whether `pid` runs, per `ps` (Deno reads `/proc` only with full access); true without `ps`. */
async function pidAlive(pid: number, exec: Exec): Promise<boolean> {
  const res = await exec.run("ps", ["-p", String(pid), "-o", "pid="]);
  if (res.code === 127 || res.code === 126) return true; // the file is removed on stop
  return res.code === 0 && res.stdout.trim() === String(pid);
}

function isPort(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) > 0 && (v as number) <= 65535;
}

/**
 * The port to use instead of `configuredPort`, when a live gateway of this
 * instance serves another port while its config names `configuredPort`.
 */
export async function servedInstead(
  path: string,
  configuredPort: number,
  exec: Exec,
): Promise<ServedPort | undefined> {
  let text: string;
  try {
    const file = await Deno.open(path, { read: true });
    try {
      const buf = new Uint8Array(MAX_BYTES);
      const n = await file.read(buf) ?? 0;
      text = new TextDecoder().decode(buf.subarray(0, n));
    } finally {
      file.close();
    }
  } catch {
    return undefined;
  }
  let s: Partial<ServedPort>;
  try {
    s = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(s.pid) || !isPort(s.port) || !isPort(s.configuredPort)) return undefined;
  if (s.configuredPort !== configuredPort || s.port === configuredPort) return undefined;
  return await pidAlive(s.pid!, exec) ? s as ServedPort : undefined;
}
