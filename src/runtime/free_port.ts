/**
 * `--force`: find the processes listening on a TCP port with `lsof`, end
 * the ones whose address conflicts with the address about to be bound
 * (SIGTERM, SIGKILL after a grace period), and wait for the port. A listener
 * on another address of the same port (`[::1]:P` when binding `127.0.0.1:P`)
 * is left alone, and so are PID 1 and this process.
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

/** One listening socket, per `lsof`. */
export interface PortListener {
  pid: number;
  /** The process's command name. */
  command: string;
  /** The listening address: `127.0.0.1`, `::1`, or `*` (any address). */
  address: string;
  /** `IPv4` or `IPv6`. */
  family: string;
}

/** Options of {@link freePort}. */
export interface FreePortOptions {
  /** The address about to be bound (`127.0.0.1`, `0.0.0.0`, `::1`, a host name...). */
  host: string;
  exec: Exec;
  log: Logger;
  /** Sends a signal; defaults to `Deno.kill`. */
  kill?: (pid: number, signal: Deno.Signal) => void;
  graceMs?: number;
}

/** Parses `lsof -F pctn` output. */
export function parseLsof(stdout: string): PortListener[] {
  const out: PortListener[] = [];
  let pid = 0;
  let command = "";
  let family = "";
  for (const line of stdout.split("\n")) {
    const tag = line[0];
    const value = line.slice(1);
    if (tag === "p") pid = Number(value);
    else if (tag === "c") command = value;
    else if (tag === "t") family = value;
    else if (tag === "n" && Number.isInteger(pid) && pid > 0) {
      const at = value.lastIndexOf(":");
      const address = value.slice(0, at).replace(/^\[(.*)\]$/, "$1");
      out.push({
        pid,
        command,
        address,
        family: family || (address.includes(":") ? "IPv6" : "IPv4"),
      });
    }
  }
  return out;
}

/** Listeners on TCP `port`, per `lsof` (this process left out). Throws when lsof is missing. */
async function listenersOn(port: number, exec: Exec): Promise<PortListener[]> {
  const res = await exec.run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-F", "pctn"]);
  if (res.code === 127) {
    throw new FreePortError(
      `--force needs "lsof" to find the listener on port ${port}: install it ` +
        "(apt-get install lsof, or brew install lsof) and retry",
    );
  }
  // lsof exits 1 when nothing matches.
  return parseLsof(res.stdout).filter((l) => l.pid !== Deno.pid);
}

function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address.toLowerCase();
}

/**
 * Whether a listener keeps `host` from being bound on the same port: the same
 * address, or a wildcard on either side of the same family (an IPv6 wildcard
 * is dual-stack on most systems, so it blocks IPv4 too). A host name other
 * than `localhost` is matched by name only: it is never guessed at.
 */
export function conflicts(host: string, l: PortListener): boolean {
  const h = unmapped(host.replace(/^\[(.*)\]$/, "$1"));
  const hosts = h === "localhost" ? ["127.0.0.1", "::1"] : [h];
  const addr = unmapped(l.address);
  return hosts.some((one) => {
    const v6 = one.includes(":");
    if (one === "::") return true;
    if (addr === "*") return l.family === "IPv6" || !v6;
    if (one === "0.0.0.0") return !addr.includes(":");
    return one === addr;
  });
}

function describe(l: PortListener, port: number): string {
  const addr = l.address.includes(":") ? `[${l.address}]` : l.address;
  return `pid ${l.pid} (${l.command || "unknown command"}) on ${addr}:${port}`;
}

/**
 * Ends the listeners on `port` that conflict with `opts.host`; returns the
 * ones it signalled. Never signals PID 1 or this process.
 */
export async function freePort(port: number, opts: FreePortOptions): Promise<PortListener[]> {
  const kill = opts.kill ?? ((pid, sig) => Deno.kill(pid, sig));
  const all = await listenersOn(port, opts.exec);
  const targets: PortListener[] = [];
  for (const l of all) {
    if (!conflicts(opts.host, l)) {
      opts.log.info(
        `--force: left ${describe(l, port)} running: it does not conflict with ${opts.host}`,
        { pid: l.pid, port },
      );
    } else if (l.pid === 1) {
      opts.log.warn(
        `--force: will not end ${describe(l, port)}: it is the init process ` +
          "(stop that service by hand, or pick another --port)",
        { pid: 1, port },
      );
    } else if (!targets.some((t) => t.pid === l.pid)) targets.push(l);
  }
  if (targets.length === 0) return [];
  for (const t of targets) {
    try {
      kill(t.pid, "SIGTERM");
      opts.log.warn(`--force: sent SIGTERM to ${describe(t, port)}`, { pid: t.pid, port });
    } catch (err) {
      opts.log.warn(`--force: cannot signal pid ${t.pid}: ${(err as Error).message}`, {
        pid: t.pid,
      });
    }
  }
  const ours = new Set(targets.map((t) => t.pid));
  const stillThere = async () =>
    (await listenersOn(port, opts.exec)).filter((l) => ours.has(l.pid));
  const deadline = Date.now() + (opts.graceMs ?? 5000);
  let left = targets;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = await stillThere();
    if (left.length === 0) return targets;
  }
  for (const t of left) {
    try {
      kill(t.pid, "SIGKILL");
      opts.log.warn(`--force: pid ${t.pid} ignored SIGTERM; sent SIGKILL`, { pid: t.pid, port });
    } catch { /* gone already */ }
  }
  const hardDeadline = Date.now() + 2000;
  while (Date.now() < hardDeadline) {
    await new Promise((r) => setTimeout(r, 100));
    if ((await stillThere()).length === 0) return targets;
  }
  const pids = [...new Set(left.map((l) => l.pid))];
  throw new FreePortError(
    `--force: port ${port} is still in use after ending pids ${pids.join(", ")} ` +
      `(end them by hand with "kill -9 ${pids.join(" ")}", or pick another --port)`,
  );
}
