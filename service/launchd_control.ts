/**
 * The gateway's LaunchAgent driven through `launchctl` in the user's GUI
 * domain (`gui/<uid>`), plus the clean-up of legacy `com.openclaw.*` agents
 * (a legacy LaunchDaemon lives in the `system` domain instead).
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
import { legacyLaunchdLabels, parseLaunchdPlist, renderLaunchdPlist } from "./launchd.ts";

/** What {@link launchdControl} drives. */
export interface LaunchdControlOptions {
  exec: Exec;
  /** The user's id; the agent lives in `gui/<uid>`. */
  uid: number;
  /**
   * `system`: a LaunchDaemon in the `system` domain (root only); only the
   * clean-up of legacy daemons drives one. Default `user`.
   */
  scope?: ServiceScope;
  label: string;
  /** The plist file. */
  path: string;
  /** Pause before retrying a bootstrap that raced a bootout (tests pass 0). */
  retryDelayMs?: number;
}

/** A {@link ServiceControl} for one LaunchAgent. */
export function launchdControl(opts: LaunchdControlOptions): ServiceControl {
  const { exec, label } = opts;
  const scope = opts.scope ?? "user";
  const domain = scope === "system" ? "system" : `gui/${opts.uid}`;
  const target = `${domain}/${label}`;
  const launchctl = async (...args: string[]): Promise<ExecResult> => {
    const result = await exec.run("launchctl", args);
    if (result.code !== 0) throw explainLaunchctlFailure(args, result, { uid: opts.uid, label });
    return result;
  };
  const isLoaded = async () => (await exec.run("launchctl", ["print", target])).code === 0;
  const bootstrap = async () => {
    try {
      await launchctl("bootstrap", domain, opts.path);
    } catch (err) {
      // A bootout finishes asynchronously; one retry covers the usual race.
      if (!(err instanceof SupervisorError) || !/Input\/output error/i.test(err.result.stderr)) {
        throw err;
      }
      await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1000));
      await launchctl("bootstrap", domain, opts.path);
    }
  };
  const bootout = async () => {
    const result = await exec.run("launchctl", ["bootout", target]);
    if (result.code !== 0 && !isNotLoaded(result)) {
      throw explainLaunchctlFailure(["bootout", target], result, { uid: opts.uid, label });
    }
  };
  return {
    supervisor: "launchd",
    scope,
    label,
    path: opts.path,
    render: renderLaunchdPlist,
    parse(text) {
      const plist = parseLaunchdPlist(text);
      return {
        programArguments: plist.programArguments,
        workingDirectory: plist.workingDirectory,
        environment: plist.environment,
        sourcePath: opts.path,
      };
    },
    async activate({ reinstall }) {
      // launchd keeps the plist it loaded; a rewrite only counts after bootout.
      if (reinstall) await bootout();
      // A label disabled earlier (launchctl disable) refuses to bootstrap.
      await launchctl("enable", target);
      await bootstrap();
    },
    deactivate: bootout,
    // launchd reads a plist at bootstrap; there is no cache to refresh.
    reload: async () => {},
    async start() {
      if (await isLoaded()) await launchctl("kickstart", target);
      else await bootstrap();
    },
    stop: bootout,
    async restart() {
      if (await isLoaded()) await launchctl("kickstart", "-k", target);
      else await bootstrap();
    },
    async runtime() {
      const result = await exec.run("launchctl", ["print", target]);
      if (result.code === 0) return launchdRuntime(result.stdout);
      if (result.code === 127) {
        return { loaded: false, status: "unknown", detail: "launchctl is not installed" };
      }
      return { loaded: false, status: "stopped", detail: firstLine(result) || "not loaded" };
    },
  };
}

/** Reads `launchctl print gui/<uid>/<label>` into a {@link ServiceRuntime}. */
export function launchdRuntime(text: string): ServiceRuntime {
  const field = (name: string) => new RegExp(`^\\s*${name} = (.+)$`, "m").exec(text)?.[1]?.trim();
  const state = field("state");
  const runtime: ServiceRuntime = {
    loaded: true,
    status: state === "running"
      ? "running"
      : state === "not running" || state === "waiting"
      ? "stopped"
      : "unknown",
  };
  if (state) runtime.state = state;
  const pid = Number(field("pid"));
  if (Number.isInteger(pid) && pid > 0) runtime.pid = pid;
  const exit = Number(field("last exit code"));
  if (field("last exit code") !== undefined && Number.isInteger(exit)) {
    runtime.lastExitStatus = exit;
  }
  return runtime;
}

/**
 * Boots out and deletes legacy `com.openclaw.*` agents found in
 * `agentsDir`. Returns the labels removed; a label that was not loaded is
 * still removed from disk.
 */
export async function removeLegacyAgents(
  exec: Exec,
  opts: { uid: number; agentsDir: string },
): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(opts.agentsDir)) names.push(entry.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  const removed: string[] = [];
  for (const label of legacyLaunchdLabels(names.filter((n) => n.endsWith(".plist")))) {
    const target = `gui/${opts.uid}/${label}`;
    const result = await exec.run("launchctl", ["bootout", target]);
    if (result.code !== 0 && !isNotLoaded(result)) {
      throw explainLaunchctlFailure(["bootout", target], result, { uid: opts.uid, label });
    }
    await Deno.remove(`${opts.agentsDir}/${label}.plist`).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
    removed.push(label);
  }
  return removed;
}

/** `bootout` of a label launchd does not have: nothing to stop. */
function isNotLoaded(result: ExecResult): boolean {
  return result.code === 3 || result.code === 113 ||
    /Could not find specified service|No such process|not loaded/i.test(result.stderr);
}

/**
 * Turns a failed `launchctl` call into a {@link SupervisorError} whose
 * message names the command, the cause and the next step.
 */
export function explainLaunchctlFailure(
  args: string[],
  result: ExecResult,
  opts: { uid: number; label: string },
): SupervisorError {
  const cmd = commandText("launchctl", args);
  const said = firstLine(result);
  let why: string;
  if (result.code === 127) {
    why = "launchctl is not installed: LaunchAgents need macOS";
  } else if (/Could not find domain|Domain does not support/i.test(said)) {
    why = `no GUI login session for uid ${opts.uid} (${said}): LaunchAgents need a user ` +
      "logged in on the Mac; log in on its desktop (or via Screen Sharing) and retry";
  } else if (/Input\/output error/i.test(said)) {
    why = `${said}: the agent may already be loaded or its plist is invalid; run ` +
      '"openclaw gateway uninstall", then "openclaw gateway install", and check the plist ' +
      "with plutil -lint";
  } else if (isNotLoaded(result)) {
    why = `launchd does not have ${opts.label} loaded (${said}): run "openclaw gateway install"`;
  } else {
    why = `exit ${result.code}${said ? `: ${said}` : ""}`;
  }
  return new SupervisorError(`"${cmd}" failed: ${why}`, ["launchctl", ...args], result);
}
