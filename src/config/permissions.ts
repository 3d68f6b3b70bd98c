/**
 * Start-up permission check: the state folder and the config file hold the
 * gateway's secret, so a folder others can enter or a file others can read
 * is tightened (0700 / 0600) and the log says so; when it cannot be
 * tightened, the gateway refuses to start, naming the fix.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { InstancePaths } from "./paths.ts";
import { StartError } from "./runnable.ts";

/** What one path should be. */
interface Want {
  path: string;
  mode: number;
  what: string;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

/**
 * Tightens the state folder to 0700 and the config file to 0600 when others
 * (group or world) have any access; returns what was changed. Throws
 * {@link StartError} when a loose one cannot be changed. Does nothing on
 * Windows, where modes do not apply.
 */
export async function tightenPermissions(
  paths: Pick<InstancePaths, "stateDir" | "configPath">,
  log: Logger,
): Promise<string[]> {
  if (Deno.build.os === "windows") return [];
  const wants: Want[] = [
    { path: paths.stateDir, mode: 0o700, what: "state folder" },
    { path: paths.configPath, mode: 0o600, what: "config file (it holds the gateway token)" },
  ];
  const changed: string[] = [];
  for (const want of wants) {
    let mode: number;
    try {
      mode = (await Deno.stat(want.path)).mode! & 0o777;
    } catch {
      continue; // created later, private from the start
    }
    if ((mode & 0o077) === 0) continue;
    try {
      await Deno.chmod(want.path, want.mode);
    } catch (err) {
      throw new StartError(
        `The ${want.what} ${want.path} is open to other users (mode ${octal(mode)}) and cannot ` +
          `be tightened (${(err as Error).message}): run "chmod ${want.mode.toString(8)} ` +
          `${want.path}" as its owner, then start again`,
      );
    }
    log.warn(
      `the ${want.what} ${want.path} was open to other users (mode ${octal(mode)}); ` +
        `tightened it to ${octal(want.mode)}`,
      { path: want.path, was: octal(mode), now: octal(want.mode) },
    );
    changed.push(want.path);
  }
  return changed;
}
