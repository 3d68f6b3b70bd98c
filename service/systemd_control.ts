/**
 * The gateway's systemd unit driven through `systemctl` (user or system
 * manager), with failures turned into messages that say why and what to run.
 *
 * @module
 */

import {
  commandText,
  firstLine,
  type ServiceControl,
  type ServiceRuntime,
  type ServiceScope,
  SupervisorError,
} from "./control.ts";
import type { Exec, ExecResult } from "./exec.ts";
import { parseSystemdUnit, renderSystemdUnit } from "./systemd.ts";

/** What {@link systemdControl} drives. */
export interface SystemdControlOptions {
  exec: Exec;
  scope: ServiceScope;
  /** `openclaw-gateway[-<profile>].service`. */
  unit: string;
  /** The unit file. */
  path: string;
  /** Inside WSL: word the "systemd is not running" hint for wsl.conf. */
  wsl?: boolean;
}

/** The properties `gateway status` asks `systemctl show` for. */
export const SHOW_PROPERTIES =
  "ActiveState,SubState,MainPID,ExecMainStatus,LoadState,UnitFileState";

/** A {@link ServiceControl} for one systemd unit. */
export function systemdControl(opts: SystemdControlOptions): ServiceControl {
  const { exec, scope, unit } = opts;
  const systemctl = async (...args: string[]): Promise<ExecResult> => {
    const argv = scope === "user" ? ["--user", ...args] : args;
    const result = await exec.run("systemctl", argv);
    if (result.code !== 0) throw explainSystemctlFailure(argv, result, opts);
    return result;
  };
  const reload = async () => void await systemctl("daemon-reload");
  return {
    supervisor: "systemd",
    scope,
    label: unit,
    path: opts.path,
    render: renderSystemdUnit,
    parse(text) {
      const parsed = parseSystemdUnit(text);
      return {
        programArguments: parsed.execStart,
        workingDirectory: parsed.workingDirectory,
        environment: parsed.environment,
        sourcePath: opts.path,
      };
    },
    async activate({ reinstall }) {
      await reload();
      if (reinstall) {
        // enable --now leaves a running service on its old command line.
        await systemctl("enable", unit);
        await systemctl("restart", unit);
      } else {
        await systemctl("enable", "--now", unit);
      }
    },
    async deactivate() {
      try {
        await systemctl("disable", "--now", unit);
      } catch (err) {
        // A unit systemd never loaded can still be removed; anything else must stop us.
        if (!(err instanceof SupervisorError) || !isUnknownUnit(err.result)) throw err;
      }
    },
    reload,
    start: async () => void await systemctl("start", unit),
    stop: async () => void await systemctl("stop", unit),
    restart: async () => void await systemctl("restart", unit),
    async runtime() {
      try {
        const res = await systemctl("show", unit, "-p", SHOW_PROPERTIES);
        return systemdRuntime(parseShow(res.stdout));
      } catch (err) {
        return { loaded: false, status: "unknown", detail: (err as Error).message };
      }
    },
  };
}

/** Parses `systemctl show` output (`Key=value` lines). */
export function parseShow(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) props[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return props;
}

/** Maps `systemctl show` properties to a {@link ServiceRuntime}. */
export function systemdRuntime(props: Record<string, string>): ServiceRuntime {
  const state = props.ActiveState;
  const runtime: ServiceRuntime = {
    loaded: props.LoadState === "loaded",
    status: state === "active" || state === "reloading"
      ? "running"
      : state === "inactive" || state === "failed" || state === "deactivating"
      ? "stopped"
      : "unknown",
  };
  if (state) runtime.state = state;
  if (props.SubState) runtime.subState = props.SubState;
  if (props.UnitFileState) runtime.unitFileState = props.UnitFileState;
  const pid = Number(props.MainPID);
  if (Number.isInteger(pid) && pid > 0) runtime.pid = pid;
  const exit = Number(props.ExecMainStatus);
  if (props.ExecMainStatus !== undefined && Number.isInteger(exit)) runtime.lastExitStatus = exit;
  if (props.LoadState === "not-found") runtime.missingUnit = true;
  return runtime;
}

function isUnknownUnit(result: ExecResult): boolean {
  return /not loaded|not found|does not exist|No such file/i.test(result.stderr);
}

/**
 * Turns a failed `systemctl` call into a {@link SupervisorError} whose
 * message names the command, the cause and the next step.
 */
export function explainSystemctlFailure(
  argv: string[],
  result: ExecResult,
  opts: { scope: ServiceScope; unit: string; wsl?: boolean },
): SupervisorError {
  const cmd = commandText("systemctl", argv);
  const said = firstLine(result);
  let why: string;
  if (result.code === 127) {
    why = "systemctl is not installed: services need systemd (run " +
      '"openclaw gateway" under your own supervisor instead)';
  } else if (/System has not been booted with systemd|Host is down/i.test(result.stderr)) {
    why = `systemd is not running here (${said}): ` +
      (opts.wsl
        ? 'enable it in /etc/wsl.conf ("[boot]" then "systemd=true"), run "wsl --shutdown" ' +
          "in Windows, and open the WSL shell again"
        : 'this looks like a container; run "openclaw gateway" under its own supervisor');
  } else if (
    opts.scope === "user" &&
    /Failed to connect to (the )?bus|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR/i.test(
      result.stderr,
    )
  ) {
    why = `there is no systemd user bus in this shell (${said}); this happens after su/sudo, ` +
      "in containers and over ssh without a login session. Run " +
      '"export XDG_RUNTIME_DIR=/run/user/$(id -u)" and retry, or log in as the user directly; ' +
      'for a server without login sessions enable lingering ("sudo loginctl enable-linger ' +
      '$USER") or install a system unit with "sudo openclaw gateway install --system"';
  } else if (/Access denied|Interactive authentication required|Permission denied/i.test(said)) {
    why = `${said}: the system manager needs root; rerun the command with sudo`;
  } else if (isUnknownUnit(result)) {
    why = `systemd does not know ${opts.unit} (${said}): run "openclaw gateway install"`;
  } else {
    why = `exit ${result.code}${said ? `: ${said}` : ""}`;
  }
  return new SupervisorError(`"${cmd}" failed: ${why}`, ["systemctl", ...argv], result);
}
