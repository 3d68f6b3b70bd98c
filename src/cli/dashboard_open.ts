/**
 * Opening a URL in the user's browser for `openclaw dashboard`: which
 * platform opener to run (`xdg-open`, `open`, `rundll32`), whether there is a
 * display to open it on, and the one runtime edge that starts the opener so
 * tests can replace it.
 *
 * @module
 */

import type { Env } from "../config/paths.ts";

/** How starting the opener went; `reason` never contains the URL (it may hold a secret). */
export interface OpenResult {
  opened: boolean;
  /** Why not (no display, opener missing, its exit code). */
  reason?: string;
}

/** Opens a URL in the browser. */
export interface Opener {
  open(url: string): Promise<OpenResult>;
}

/** How a started opener ended: its exit code, or `undefined` while it still runs. */
export interface SpawnOutcome {
  code?: number;
  /** The program was not found. */
  missing?: boolean;
}

/** Starts a program and reports how it ended within a short wait; never a shell. */
export type Spawner = (cmd: string, args: string[]) => Promise<SpawnOutcome>;

/** How long an opener may run before it counts as launched (some stay with the browser). */
const OPENER_WAIT_MS = 5_000;

/**
 * {@link Spawner} backed by `Deno.Command`. No stdio is shared, so a
 * terminal browser cannot take over the CLI's terminal; an opener still
 * running after {@link OPENER_WAIT_MS} is left running and unref'd, so the
 * CLI exits.
 */
export const denoSpawner: Spawner = async (cmd, args) => {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "null" })
      .spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { missing: true };
    if (err instanceof Deno.errors.PermissionDenied) return { code: 126 };
    throw err;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), OPENER_WAIT_MS);
  });
  const status = await Promise.race([child.status, waited]);
  clearTimeout(timer);
  if (status) return { code: status.code };
  child.unref();
  return {};
};

/** The opener command for `os`, with the URL as its last argument. */
export function openerCommand(os: typeof Deno.build.os, url: string): [string, string[]] {
  if (os === "darwin") return ["open", [url]];
  // Not `cmd /c start`: cmd re-parses the line, and `%` or `&` in a URL would be
  // read as variables or command separators. rundll32 takes the URL as is.
  if (os === "windows") return ["rundll32", ["url.dll,FileProtocolHandler", url]];
  return ["xdg-open", [url]];
}

/** Why no browser can be opened here, or `undefined` when one can (Linux/BSD need a display). */
export function noDisplayReason(os: typeof Deno.build.os, env: Env): string | undefined {
  if (os === "darwin" || os === "windows") return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return "no display (DISPLAY and WAYLAND_DISPLAY are unset)";
}

/** Options of {@link platformOpener}. */
export interface PlatformOpenerOptions {
  env: Env;
  os?: typeof Deno.build.os;
  spawn?: Spawner;
}

/** The opener of this platform; it declines without a display instead of failing. */
export function platformOpener(opts: PlatformOpenerOptions): Opener {
  const os = opts.os ?? Deno.build.os;
  const spawn = opts.spawn ?? denoSpawner;
  return {
    async open(url) {
      const noDisplay = noDisplayReason(os, opts.env);
      if (noDisplay) return { opened: false, reason: noDisplay };
      const [cmd, args] = openerCommand(os, url);
      const out = await spawn(cmd, args);
      if (out.missing) return { opened: false, reason: `"${cmd}" was not found` };
      if (out.code !== undefined && out.code !== 0) {
        return { opened: false, reason: `"${cmd}" exited with code ${out.code}` };
      }
      return { opened: true };
    },
  };
}
