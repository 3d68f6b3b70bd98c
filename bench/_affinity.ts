/**
 * CPU pinning through `taskset` (Linux). Latency between two processes that
 * sit on different CPUs swings with cross-CPU wake-ups (2-3x on a VM), so
 * the latency runs put the generator and the server on one CPU, where the
 * round trip is the sum of both sides' work, and the throughput run puts them
 * on different CPUs so neither starves the other.
 *
 * @module
 */

/** Where the generator and the server run during a phase. */
export type Placement = "same" | "split" | "any";

/** Expands a CPU list such as `"0-2,5"` into `[0, 1, 2, 5]`. */
export function parseCpuList(list: string): number[] {
  return list.trim().split(",").filter(Boolean).flatMap((part) => {
    const [lo, hi] = part.split("-").map(Number);
    return Array.from({ length: (hi ?? lo) - lo + 1 }, (_, i) => lo + i);
  });
}

/**
 * The CPUs this process may run on, when `taskset` works here (Linux);
 * `undefined` when pinning is not possible.
 */
export function allowedCpus(): number[] | undefined {
  if (Deno.build.os !== "linux") return undefined;
  try {
    const out = new Deno.Command("taskset", {
      args: ["-p", "-c", String(Deno.pid)],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    if (!out.success) return undefined;
    const list = new TextDecoder().decode(out.stdout).split(":").pop() ?? "";
    const cpus = parseCpuList(list);
    return cpus.length > 0 && cpus.every(Number.isInteger) ? cpus : undefined;
  } catch {
    return undefined;
  }
}

/** Sets the CPU list (e.g. `"0"`, `"0-3"`) of every thread of `pid`; false when it failed. */
export function setAffinity(pid: number, cpus: string): boolean {
  try {
    return new Deno.Command("taskset", {
      args: ["-a", "-p", "-c", cpus, String(pid)],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/** Pins this process and a server subprocess; built once the allowed CPUs are known. */
export class Pinner {
  readonly #cpus: number[];

  private constructor(cpus: number[]) {
    this.#cpus = cpus;
  }

  /** A pinner, or `undefined` when `taskset` is missing or there are fewer than two CPUs. */
  static create(): Pinner | undefined {
    const cpus = allowedCpus();
    return cpus && cpus.length >= 2 ? new Pinner(cpus) : undefined;
  }

  /** Places this process and `serverPid` as `placement` says (`any`: every allowed CPU). */
  place(serverPid: number, placement: Placement): void {
    const [a, b] = this.#cpus;
    const all = this.#cpus.join(",");
    const [self, server] = placement === "same"
      ? [a, a]
      : placement === "split"
      ? [b, a]
      : [all, all];
    setAffinity(Deno.pid, String(self));
    setAffinity(serverPid, String(server));
  }
}
