/**
 * Which supervisor manages the gateway on this machine.
 *
 * Linux (including WSL2) uses systemd and macOS launchd. Native Windows is
 * not supported: the gateway runs inside WSL2 there. The OS name, file reader
 * and environment are passed in so every branch is testable on any host.
 *
 * @module
 */

/** The supervisor to install for, or why there is none. */
export type SupervisorPlatform = "systemd" | "launchd" | "unsupported-windows" | "unsupported";

/** Shown when `gateway install` and friends run on native Windows. */
export const WINDOWS_SUPERVISION_MESSAGE =
  "Native Windows services are not supported: run the gateway inside WSL2 and follow the " +
  'systemd steps there (enable systemd in /etc/wsl.conf with "[boot] systemd=true", then ' +
  'run "openclaw gateway install" in the WSL2 shell)';

/**
 * Maps an OS name (`Deno.build.os`) to its supervisor. Other Unixes get
 * `"unsupported"`: neither systemd nor launchd can be assumed there.
 */
export function detectSupervisor(os: string): SupervisorPlatform {
  switch (os) {
    case "linux":
      return "systemd";
    case "darwin":
      return "launchd";
    case "windows":
      return "unsupported-windows";
    default:
      return "unsupported";
  }
}

/** Test/packaging knob that forces the supervisor whatever the OS: `systemd` or `launchd`. */
export const SERVICE_PLATFORM_ENV = "OPENCLAW_SERVICE_PLATFORM";

/**
 * The supervisor for this machine: `OPENCLAW_SERVICE_PLATFORM` when set (so
 * the launchd path can be exercised on Linux with a fake `launchctl`), else
 * {@link detectSupervisor}. Throws naming the bad value.
 */
export function resolveSupervisor(
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): SupervisorPlatform {
  const forced = env[SERVICE_PLATFORM_ENV];
  if (forced === undefined || forced === "") return detectSupervisor(os);
  if (forced === "systemd" || forced === "launchd") return forced;
  throw new Error(
    `Invalid ${SERVICE_PLATFORM_ENV} "${forced}": use systemd or launchd, or unset it`,
  );
}

/** Reads a text file, or throws / returns `undefined` when it cannot. */
export type ReadTextFile = (path: string) => string | undefined;

/**
 * True inside WSL: `WSL_DISTRO_NAME` is set, or the kernel in
 * `/proc/version` or `/proc/sys/kernel/osrelease` names Microsoft or WSL.
 * Used to word hints (lingering, `wsl.conf`); the supervisor is still systemd.
 */
export function isWsl(
  readFile: ReadTextFile,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.WSL_DISTRO_NAME) return true;
  for (const path of ["/proc/sys/kernel/osrelease", "/proc/version"]) {
    let text: string | undefined;
    try {
      text = readFile(path);
    } catch {
      continue;
    }
    if (text && /microsoft|wsl/i.test(text)) return true;
  }
  return false;
}
