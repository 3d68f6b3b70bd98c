/**
 * Keeps SIGUSR1 from opening a debugger. Deno 2.9.2 and later start the V8
 * inspector on 127.0.0.1:9229 when the process gets SIGUSR1 (as Node does),
 * with no authentication: any local user could then run code inside the
 * gateway and read its token. SIGUSR1 is the gateway's restart signal, so on
 * those versions the gateway holds that address itself; the inspector then
 * fails to start ("Failed to start inspector server") and nothing else
 * changes. Deno 2.9.1, which this project pins, does not have the feature.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";

/** Where Deno's SIGUSR1 inspector listens. */
export const INSPECTOR_ADDRESS = { hostname: "127.0.0.1", port: 9229 } as const;

/** Whether a Deno version opens the inspector on SIGUSR1 (2.9.2 and later). */
export function opensInspectorOnSigusr1(version: string): boolean {
  const [major, minor, patch] = version.split(/[.-]/).map((n) => Number.parseInt(n, 10));
  if (![major, minor, patch].every(Number.isFinite)) return true; // unknown: assume the worst
  if (major !== 2) return major > 2;
  if (minor !== 9) return minor > 9;
  return patch >= 2;
}

/** A held address; `close()` releases it. */
export interface InspectorGuard {
  /** Whether this process holds the address (false: another process does, or not needed). */
  readonly holding: boolean;
  close(): void;
}

/**
 * Holds the inspector's address on affected Deno versions so SIGUSR1 cannot
 * open a debugger. Connections to it are closed at once.
 */
export function guardSigusr1Inspector(
  log: Logger,
  opts: { version?: string; address?: { hostname: string; port: number } } = {},
): InspectorGuard {
  const version = opts.version ?? Deno.version.deno;
  if (Deno.build.os === "windows" || !opensInspectorOnSigusr1(version)) {
    return { holding: false, close() {} };
  }
  const address = opts.address ?? INSPECTOR_ADDRESS;
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ ...address, transport: "tcp" });
  } catch {
    // Someone else holds it: the inspector cannot bind there either.
    log.warn(
      `Deno ${version} opens a debugger on SIGUSR1; ${address.hostname}:${address.port} is ` +
        "taken, so it cannot start (use Deno 2.9.1 or the compiled binary to avoid the question)",
    );
    return { holding: false, close() {} };
  }
  log.info(
    `holding ${address.hostname}:${address.port} so SIGUSR1 cannot open Deno ${version}'s ` +
      "debugger (Deno 2.9.1 or the compiled binary does not need this)",
  );
  (async () => {
    try {
      for await (const conn of listener) conn.close();
    } catch {
      // Closed.
    }
  })();
  return {
    holding: true,
    close() {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
    },
  };
}
