/**
 * systemd lingering: without it a user's services stop when their last
 * session ends, so a user-unit gateway would die at logout.
 *
 * @module
 */

import { firstLine } from "./control.ts";
import type { Exec } from "./exec.ts";

/** What we know about lingering for one user. */
export interface LingerState {
  /** `true` / `false`, or `undefined` when loginctl could not tell. */
  enabled: boolean | undefined;
  /** Why it is unknown. */
  detail?: string;
}

/** The outcome of {@link ensureLinger}. */
export interface LingerResult {
  user: string;
  enabled: boolean;
  /** This call turned it on. */
  changed: boolean;
  /** When it is still off: the exact command the operator should run. */
  command?: string;
  /** Why enabling failed. */
  detail?: string;
}

/**
 * Asks `loginctl show-user <user> -p Linger`. A user with no session and no
 * lingering makes loginctl fail ("not logged in or lingering"), which also
 * means off.
 */
export async function lingerState(exec: Exec, user: string): Promise<LingerState> {
  const res = await exec.run("loginctl", ["show-user", user, "-p", "Linger"]);
  if (res.code === 127) return { enabled: undefined, detail: "loginctl is not installed" };
  const value = /^Linger=(\S+)/m.exec(res.stdout)?.[1];
  if (value === "yes") return { enabled: true };
  if (value === "no") return { enabled: false };
  if (/not logged in or lingering/i.test(res.stderr)) return { enabled: false };
  return { enabled: undefined, detail: firstLine(res) || `loginctl exit ${res.code}` };
}

/** The command to print when this process may not enable lingering itself. */
export function enableLingerCommand(user: string): string {
  return `sudo loginctl enable-linger ${user}`;
}

/**
 * Turns lingering on for `user` when it is off. Never throws: when
 * `loginctl enable-linger` is refused (it may need root), the result
 * carries the exact command to run.
 */
export async function ensureLinger(exec: Exec, user: string): Promise<LingerResult> {
  const state = await lingerState(exec, user);
  if (state.enabled === true) return { user, enabled: true, changed: false };
  if (state.detail === "loginctl is not installed") {
    return { user, enabled: false, changed: false, detail: state.detail };
  }
  const res = await exec.run("loginctl", ["enable-linger", user]);
  if (res.code === 0) return { user, enabled: true, changed: true };
  return {
    user,
    enabled: false,
    changed: false,
    command: enableLingerCommand(user),
    detail: firstLine(res) || `loginctl exit ${res.code}`,
  };
}
