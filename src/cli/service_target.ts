/**
 * Which service this CLI invocation manages: the supervisor (systemd or
 * launchd), user or system scope, the file, and the spec `install` would
 * write. Shared by the service commands, `gateway status` and `doctor`.
 *
 * Knobs (tests and packaging; README "Supervision", "Environment knobs"):
 * `OPENCLAW_SERVICE_PLATFORM` forces systemd or launchd;
 * `OPENCLAW_SYSTEMD_SYSTEM_DIR` replaces /etc/systemd/system;
 * `OPENCLAW_LAUNCHD_DAEMONS_DIR` replaces /Library/LaunchDaemons (`--deep`).
 *
 * @module
 */

import type { ServiceControl } from "../../service/control.ts";
import type { Exec } from "../../service/exec.ts";
import { launchdLabel, launchdPlistPath } from "../../service/launchd.ts";
import { launchdControl } from "../../service/launchd_control.ts";
import { isWsl, resolveSupervisor, WINDOWS_SUPERVISION_MESSAGE } from "../../service/platform.ts";
import type { ScanDir } from "../../service/scan.ts";
import { buildServiceSpec, type ServiceSpec, type Supervisor } from "../../service/spec.ts";
import {
  SYSTEMD_SYSTEM_DIR,
  systemdSystemUnitPath,
  systemdUnitName,
  systemdUserUnitPath,
} from "../../service/systemd.ts";
import { systemdControl } from "../../service/systemd_control.ts";
import { readConfig } from "../config/load.ts";
import { type Env, type PortPlan, resolvePaths } from "../config/paths.ts";
import { VERSION } from "../version.ts";
import { type CliContext, CliError, instancePort } from "./context.ts";

/** The service of this instance on this machine. */
export interface ServiceTarget {
  supervisor: Supervisor;
  control: ServiceControl;
  /** The home folder the user service files hang off (`HOME`). */
  home: string;
  /** The invoking user's id: the launchd GUI domain, and whether root rights are at hand. */
  uid: number;
  wsl: boolean;
  /** Folders `status` and `doctor` scan for other gateway-like services. */
  scanDirs(deep: boolean): ScanDir[];
}

/** Options of {@link resolveService}. */
export interface ResolveServiceOptions {
  /** `--system`: the systemd system manager and /etc/systemd/system. */
  system?: boolean;
  /**
   * Without `--system`, pick the system unit when only it exists (for
   * uninstall, start, stop, restart, status). Install never guesses.
   */
  detectSystem?: boolean;
}

/** Resolves the service for `ctx`; throws {@link CliError} where none can exist. */
export async function resolveService(
  ctx: CliContext,
  exec: Exec,
  opts: ResolveServiceOptions = {},
): Promise<ServiceTarget> {
  let platform;
  try {
    platform = resolveSupervisor(Deno.build.os, ctx.env);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (platform === "unsupported-windows") throw new CliError(WINDOWS_SUPERVISION_MESSAGE);
  if (platform === "unsupported") {
    throw new CliError(
      `No supported service manager on ${Deno.build.os} (systemd or launchd): run ` +
        '"openclaw gateway" under your own supervisor',
    );
  }
  const home = ctx.env.HOME || ctx.paths.home;
  const profile = ctx.paths.profile;
  const uid = Deno.uid() ?? 0;
  if (platform === "launchd") {
    if (opts.system) {
      throw new CliError(
        "--system is for systemd only: on macOS the gateway runs as a per-user LaunchAgent " +
          "(a LaunchDaemon for headless Macs is not shipped)",
      );
    }
    const path = launchdPlistPath(home, profile);
    const control = launchdControl({ exec, uid, label: launchdLabel(profile), path });
    const daemons = ctx.env.OPENCLAW_LAUNCHD_DAEMONS_DIR || "/Library/LaunchDaemons";
    return {
      supervisor: "launchd",
      control,
      home,
      uid,
      wsl: false,
      scanDirs: (deep) => [
        { dir: `${home}/Library/LaunchAgents`, scope: "user" },
        ...(deep ? [{ dir: daemons, scope: "system" as const }] : []),
      ],
    };
  }
  const systemDir = ctx.env.OPENCLAW_SYSTEMD_SYSTEM_DIR || SYSTEMD_SYSTEM_DIR;
  const userPath = systemdUserUnitPath(home, profile);
  const systemPath = systemdSystemUnitPath(profile, systemDir);
  const system = opts.system ||
    (opts.detectSystem === true && !(await exists(userPath)) && await exists(systemPath));
  const wsl = isWsl((path) => Deno.readTextFileSync(path), ctx.env);
  const control = systemdControl({
    exec,
    scope: system ? "system" : "user",
    unit: systemdUnitName(profile),
    path: system ? systemPath : userPath,
    wsl,
  });
  return {
    supervisor: "systemd",
    control,
    home,
    uid,
    wsl,
    scanDirs: (deep) => [
      { dir: `${home}/.config/systemd/user`, scope: "user" },
      ...(deep ? [{ dir: systemDir, scope: "system" as const }] : []),
    ],
  };
}

/**
 * The port install bakes in: `--port` > `OPENCLAW_GATEWAY_PORT` >
 * `gateway.port` in the config > the profile default.
 */
export async function installPort(ctx: CliContext, flag?: string): Promise<PortPlan> {
  return instancePort(ctx, await readConfig(ctx.paths.configPath, ctx.env), flag);
}

/** The port after `--port` in a service's command line, if any. */
export function servicePort(programArguments: string[]): number | undefined {
  const i = programArguments.indexOf("--port");
  const port = i >= 0 ? Number(programArguments[i + 1]) : NaN;
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** The user a system unit runs as: the sudo caller, else the current user. */
export async function serviceUser(ctx: CliContext, exec: Exec): Promise<string> {
  const fromEnv = ctx.env.SUDO_USER || ctx.env.USER || ctx.env.LOGNAME;
  if (fromEnv) return fromEnv;
  const res = await exec.run("id", ["-un"]);
  const name = res.stdout.trim();
  if (res.code !== 0 || !name) {
    throw new CliError("Cannot tell the current user: set USER and retry");
  }
  return name;
}

/**
 * The instance a service runs: the CLI context as the service will see it,
 * and for a system unit the account in `User=`.
 */
export interface ServiceInstance {
  target: ServiceTarget;
  /**
   * `ctx` itself for a user service. For a system unit: HOME is the service
   * user's home and the paths (state dir, config, logs) are resolved from it,
   * so `sudo openclaw gateway install --system` does not build the unit from
   * root's home.
   */
  ctx: CliContext;
  /** The system unit's `User=`. */
  user?: string;
}

/**
 * Resolves who and where `target` runs. For a system unit that means the
 * service user (see {@link serviceUser}) and their home from `getent passwd`;
 * throws {@link CliError} when the home cannot be found.
 */
export async function serviceInstance(
  ctx: CliContext,
  opts: { target: ServiceTarget; exec: Exec },
): Promise<ServiceInstance> {
  const { target, exec } = opts;
  if (target.control.scope !== "system") return { target, ctx };
  const user = await serviceUser(ctx, exec);
  const home = await userHome(user, exec);
  // The unit gets HOME and no OPENCLAW_HOME, so resolve as the service will;
  // explicit OPENCLAW_STATE_DIR / _CONFIG_PATH / _PROFILE still count.
  const { OPENCLAW_HOME: _callerHome, ...rest } = ctx.env;
  const env: Env = { ...rest, HOME: home };
  try {
    const paths = resolvePaths({ profile: ctx.paths.profile }, env);
    return { target, ctx: { ...ctx, env, paths }, user };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** The home folder of `user` from the passwd database (`getent passwd <user>`). */
async function userHome(user: string, exec: Exec): Promise<string> {
  const res = await exec.run("getent", ["passwd", user]);
  const home = res.code === 0 ? res.stdout.split("\n")[0]?.split(":")[5]?.trim() : undefined;
  if (home?.startsWith("/")) return home;
  const cmd = `"getent passwd ${user}"`;
  const why = res.code === 127
    ? "getent is not installed"
    : res.code === 0
    ? `${cmd} gave no home folder`
    : res.code === 2 // getent's "key not found"
    ? `${cmd} found no such user`
    : `${cmd} failed with exit ${res.code}`;
  throw new CliError(
    `Cannot find the home folder of service user "${user}" (${why}): create the user, or ` +
      "run the install with sudo from the account the gateway should run as",
  );
}

/** The spec `gateway install` writes for `instance` on `port`, running the current program. */
export function expectedSpec(instance: ServiceInstance, port: number): ServiceSpec {
  const { ctx, target, user } = instance;
  try {
    return buildServiceSpec({
      supervisor: target.supervisor,
      version: VERSION,
      port,
      execPath: Deno.execPath(),
      mainModule: Deno.mainModule,
      env: ctx.env,
      profile: ctx.paths.profile,
      workingDirectory: user ? ctx.paths.home : target.home,
      system: user ? { user } : undefined,
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Reads a file, or `null` when it does not exist. */
export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
