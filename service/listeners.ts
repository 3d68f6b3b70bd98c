/**
 * Who listens on a TCP port, per `lsof`, for `gateway status` and `doctor`.
 *
 * @module
 */

import type { Exec } from "./exec.ts";

/** One listening process. */
export interface PortListener {
  pid: number;
  command?: string;
  /** `127.0.0.1:18789`, `*:18789`, ... */
  address?: string;
}

/** The state of one port. */
export interface PortReport {
  port: number;
  /** `unknown` when lsof is missing or failed. */
  status: "free" | "busy" | "unknown";
  listeners: PortListener[];
  /** Why the status is unknown. */
  detail?: string;
}

/**
 * Runs `lsof -nP -iTCP:<port> -sTCP:LISTEN -Fpcn` and parses its field
 * output. lsof exits 1 when nothing matches, which means free.
 */
export async function portListeners(exec: Exec, port: number): Promise<PortReport> {
  const res = await exec.run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpcn"]);
  if (res.code === 127) {
    return {
      port,
      status: "unknown",
      listeners: [],
      detail: 'lsof is not installed (install it: "apt-get install lsof" or "brew install lsof")',
    };
  }
  const listeners = parseLsofFields(res.stdout);
  if (listeners.length > 0) return { port, status: "busy", listeners };
  if (res.code === 1 || res.code === 0) return { port, status: "free", listeners: [] };
  return {
    port,
    status: "unknown",
    listeners: [],
    detail: `lsof exit ${res.code}: ${res.stderr.trim().split("\n")[0] ?? ""}`,
  };
}

/** Parses `lsof -F pcn` output: `p<pid>`, `c<command>`, `f<fd>`, `n<address>` lines. */
export function parseLsofFields(text: string): PortListener[] {
  const byPid = new Map<number, PortListener>();
  let current: PortListener | undefined;
  for (const line of text.split("\n")) {
    const tag = line[0];
    const value = line.slice(1);
    if (tag === "p") {
      const pid = Number(value);
      if (!Number.isInteger(pid) || pid <= 0) {
        current = undefined;
        continue;
      }
      current = byPid.get(pid) ?? { pid };
      byPid.set(pid, current);
    } else if (tag === "c" && current) {
      current.command = value;
    } else if (tag === "n" && current && !current.address) {
      current.address = value;
    }
  }
  return [...byPid.values()];
}
