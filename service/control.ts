/**
 * What the CLI can ask of a supervisor, whichever it is: activate a written
 * service file, take it down, start, stop, restart, and report the runtime.
 * `service/systemd_control.ts` and `service/launchd_control.ts` implement it
 * through {@link Exec}, so tests swap the binaries and assert the commands.
 *
 * @module
 */

import type { ExecResult } from "./exec.ts";
import { isSecretKey, type ServiceSpec, type Supervisor } from "./spec.ts";

/** User services live in the user's session; system ones need root. */
export type ServiceScope = "user" | "system";

/** The command line, folder and environment a service file holds. */
export interface ServiceCommand {
  programArguments: string[];
  workingDirectory?: string;
  environment?: Record<string, string>;
  /** The file it was read from. */
  sourcePath?: string;
}

/** What the supervisor says about the service right now. */
export interface ServiceRuntime {
  /** systemd: LoadState is `loaded`; launchd: `launchctl print` knows the label. */
  loaded: boolean;
  status: "running" | "stopped" | "unknown";
  /** systemd ActiveState / launchd `state`. */
  state?: string;
  /** systemd SubState. */
  subState?: string;
  /** systemd UnitFileState (`enabled`, `disabled`, ...). */
  unitFileState?: string;
  pid?: number;
  lastExitStatus?: number;
  /** Why the runtime is unknown (the supervisor could not be asked). */
  detail?: string;
  /** The supervisor does not know the unit although the file may exist. */
  missingUnit?: boolean;
}

/** A supervisor command failed; the message says why and what to run instead. */
export class SupervisorError extends Error {
  constructor(
    message: string,
    readonly command: string[],
    readonly result: ExecResult,
  ) {
    super(message);
    this.name = "SupervisorError";
  }
}

/** One installed (or installable) gateway service and the supervisor behind it. */
export interface ServiceControl {
  readonly supervisor: Supervisor;
  readonly scope: ServiceScope;
  /** Unit name (`openclaw-gateway.service`) or launchd label (`bot.molt.gateway`). */
  readonly label: string;
  /** The unit or plist file. */
  readonly path: string;
  /** The file text install writes for `spec`. */
  render(spec: ServiceSpec): string;
  /** Reads a service file back; throws when it cannot be parsed. */
  parse(text: string): ServiceCommand;
  /** Makes the supervisor pick up the freshly written file and run it. */
  activate(opts: { reinstall: boolean }): Promise<void>;
  /** Stops the service and unregisters it, before its file is removed. */
  deactivate(): Promise<void>;
  /**
   * Makes the supervisor reread service files after one was rewritten or
   * removed (`systemctl [--user] daemon-reload`; launchd needs nothing).
   */
  reload(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Never throws: an unreachable supervisor gives `status: "unknown"` and `detail`. */
  runtime(): Promise<ServiceRuntime>;
}

/** The printable form of a command, for messages: `systemctl --user start x`. */
export function commandText(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => /[\s"'$\\]/.test(a) ? JSON.stringify(a) : a).join(" ");
}

/** The first non-empty line of a program's stderr (or stdout), for messages. */
export function firstLine(result: ExecResult): string {
  const text = result.stderr.trim() || result.stdout.trim();
  return text.split("\n")[0]?.trim() ?? "";
}

/** What output shows instead of a secret. */
export const MASKED = "***";

const SECRET_FLAG_RE = /^--(token|password)(=|$)/;

/**
 * A copy of `cmd` safe to print: the values of secret environment variables
 * (see {@link isSecretKey}) and of `--token` / `--password` arguments, which
 * install never writes but a hand-edited file may hold, become `***`.
 */
export function maskServiceCommand(cmd: ServiceCommand): ServiceCommand {
  const args = cmd.programArguments.map((arg, i, all) => {
    const flag = SECRET_FLAG_RE.exec(arg);
    if (flag?.[2] === "=") return `${arg.slice(0, arg.indexOf("=") + 1)}${MASKED}`;
    return SECRET_FLAG_RE.exec(all[i - 1] ?? "")?.[2] === "" ? MASKED : arg;
  });
  const masked: ServiceCommand = { ...cmd, programArguments: args };
  if (cmd.environment) {
    masked.environment = Object.fromEntries(
      Object.entries(cmd.environment).map(([k, v]) => [k, isSecretKey(k) ? MASKED : v]),
    );
  }
  return masked;
}
