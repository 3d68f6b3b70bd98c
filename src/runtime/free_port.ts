/**
 * `--force`: find the processes listening on a TCP port with `lsof`, end
 * them with SIGTERM (SIGKILL after a grace period), and wait for the port.
 *
 * @module
 */

import type { Exec } from "../../service/exec.ts";
import type { Logger } from "../log/logger.ts";

/** `--force` could not free the port; the message says why and what to do. */
export class FreePortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FreePortError";
  }
}

/** Options of {@link freePort}. */
export interface FreePortOptions {
  exec: Exec;
  log: Logger;
  /** Sends a signal; defaults to `Deno.kill`. */
  kill?: (pid: number, signal: Deno.Signal) => void;
  graceMs?: number;
}

/** PIDs listening on TCP `port`, per `lsof`. Throws when lsof is missing. */
export async function listenersOn(port: number, exec: Exec): Promise<number[]> {
  const res = await exec.run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-t"]);
  if (res.code === 127) {
    throw new FreePortError(
      `--force needs "lsof" to find the listener on port ${port}: install it ` +
        "(apt-get install lsof, or brew install lsof) and retry",
    );
  }
  // lsof exits 1 when nothing matches.
  return [...new Set(res.stdout.split(/\s+/).filter(Boolean).map(Number))]
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== Deno.pid);
}

/** Ends the listeners on `port`; returns the PIDs it signalled. */
export async function freePort(port: number, opts: FreePortOptions): Promise<number[]> {
  const kill = opts.kill ?? ((pid, sig) => Deno.kill(pid, sig));
  const pids = await listenersOn(port, opts.exec);
  if (pids.length === 0) return [];
  for (const pid of pids) {
    try {
      kill(pid, "SIGTERM");
      opts.log.warn(`--force: sent SIGTERM to pid ${pid} listening on port ${port}`, { pid, port });
    } catch (err) {
      opts.log.warn(`--force: cannot signal pid ${pid}: ${(err as Error).message}`, { pid });
    }
  }
  const deadline = Date.now() + (opts.graceMs ?? 5000);
  let left = pids;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = await listenersOn(port, opts.exec);
    if (left.length === 0) return pids;
  }
  for (const pid of left) {
    try {
      kill(pid, "SIGKILL");
      opts.log.warn(`--force: pid ${pid} ignored SIGTERM; sent SIGKILL`, { pid, port });
    } catch { /* gone already */ }
  }
  const hardDeadline = Date.now() + 2000;
  while (Date.now() < hardDeadline) {
    await new Promise((r) => setTimeout(r, 100));
    if ((await listenersOn(port, opts.exec)).length === 0) return pids;
  }
  throw new FreePortError(
    `--force: port ${port} is still in use after ending pids ${left.join(", ")} ` +
      `(end them by hand with "kill -9 ${left.join(" ")}", or pick another --port)`,
  );
}
