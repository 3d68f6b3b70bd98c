/**
 * What a supervised gateway service runs, computed once and rendered twice.
 *
 * `buildServiceSpec()` decides the command line, working directory and the
 * environment baked into the service; `service/systemd.ts` and
 * `service/launchd.ts` only turn a {@link ServiceSpec} into text. Keeping the
 * decisions here means a unit and a plist can never disagree about the port,
 * the markers or the profile.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type Env, resolvePaths } from "../src/config/paths.ts";
import { launchdLabel } from "./launchd.ts";
import { systemdUnitName } from "./systemd.ts";
import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";

/** The supervisors a service can be rendered for. */
export type Supervisor = "systemd" | "launchd";

/** The input of both renderers: one gateway service, supervisor-neutral. */
export interface ServiceSpec {
  /** `undefined` for the default instance, else the profile name (`dev` for `--dev`). */
  profile?: string;
  /** The CLI version, shown in the description and the version marker. */
  version: string;
  /** The full argv, starting with an absolute executable path. */
  programArguments: string[];
  /** Absolute folder the service starts in. */
  workingDirectory: string;
  /** Variables baked into the service; never a token or password. */
  environment: Record<string, string>;
  /** The gateway port passed as `--port`. */
  port: number;
  /** The instance's state root; launchd logs go to `<stateDir>/logs/`. */
  stateDir: string;
  /** Set for a systemd system unit (`/etc/systemd/system`) run as this user. */
  system?: { user: string };
}

/**
 * The `deno` arguments before the entry module when running from source. They
 * mirror the `gateway` task in deno.json so a service has exactly the
 * permissions of `deno task gateway` (a test checks they do not drift).
 */
export const DENO_RUN_ARGS: readonly string[] = Object.freeze(["run", ...RUN_PERMISSIONS]);

/** Options of {@link buildServiceSpec}; every runtime fact is passed in. */
export interface BuildServiceSpecOptions {
  /** Which supervisor the spec is for; decides the identity marker and PATH. */
  supervisor: Supervisor;
  /** The CLI version (`VERSION` from src/version.ts). */
  version: string;
  /** The already-resolved gateway port (`resolvePorts().port`). */
  port: number;
  /** `Deno.execPath()`: the deno binary, or the compiled openclaw binary. */
  execPath: string;
  /** `Deno.mainModule`: a `file:` URL or absolute path of main.ts. */
  mainModule: string;
  /** The installing shell's environment; only HOME and OPENCLAW_* paths are read. */
  env: Env;
  /** `--dev`. */
  dev?: boolean;
  /** `--profile NAME`; falls back to `OPENCLAW_PROFILE` like the CLI does. */
  profile?: string;
  /** Where the service starts; defaults to the home folder. */
  workingDirectory?: string;
  /** Render a systemd system unit running as this user. */
  system?: { user: string };
}

/**
 * True when `execPath` is a `deno compile` output rather than deno itself,
 * so the service can run the binary directly without `run` and a module.
 */
export function isCompiledBinary(execPath: string): boolean {
  const base = execPath.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  return base !== "deno" && base !== "deno.exe";
}

/**
 * Computes the service the installer would write for this instance. Pure:
 * the executable, module and environment come in as options, so tests can
 * build specs for any layout. Never copies a token or password from `env`.
 */
export function buildServiceSpec(opts: BuildServiceSpecOptions): ServiceSpec {
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
    throw new Error(`Invalid service port ${opts.port}: use a whole number 1-65535`);
  }
  if (!opts.version) throw new Error("Missing service version: pass VERSION from src/version.ts");
  const paths = resolvePaths({ dev: opts.dev, profile: opts.profile }, opts.env);
  const profile = paths.profile;
  // The service gets HOME and nothing else from the installing shell, so
  // compare against what the gateway would derive from that HOME alone.
  const home = opts.env.HOME || paths.home;
  const defaultStateDir = `${home}/.openclaw${profile ? `-${profile}` : ""}`;
  const identity: Record<string, string> = opts.supervisor === "systemd"
    ? { OPENCLAW_SYSTEMD_UNIT: systemdUnitName(profile) }
    : { OPENCLAW_LAUNCHD_LABEL: launchdLabel(profile) };
  const environment: Record<string, string> = {
    HOME: home,
    PATH: servicePath(home, opts.supervisor),
    OPENCLAW_PROFILE: profile ?? "",
    OPENCLAW_STATE_DIR: paths.stateDir === defaultStateDir ? "" : paths.stateDir,
    OPENCLAW_CONFIG_PATH: paths.configPath === `${paths.stateDir}/openclaw.json`
      ? ""
      : paths.configPath,
    OPENCLAW_GATEWAY_PORT: String(opts.port),
    ...identity,
    OPENCLAW_SERVICE_MARKER: "openclaw",
    OPENCLAW_SERVICE_KIND: "gateway",
    OPENCLAW_SERVICE_VERSION: opts.version,
  };
  for (const [key, value] of Object.entries(environment)) {
    if (value === "") delete environment[key];
  }
  const spec: ServiceSpec = {
    version: opts.version,
    programArguments: programArguments(opts.execPath, opts.mainModule, opts.port),
    workingDirectory: opts.workingDirectory ?? home,
    environment,
    port: opts.port,
    stateDir: paths.stateDir,
  };
  if (profile) spec.profile = profile;
  if (opts.system) spec.system = { user: opts.system.user };
  validateServiceSpec(spec);
  return spec;
}

/** The human description: `OpenClaw Gateway (profile: p, v1.2.3)`. */
export function serviceDescription(spec: Pick<ServiceSpec, "profile" | "version">): string {
  return spec.profile
    ? `OpenClaw Gateway (profile: ${spec.profile}, v${spec.version})`
    : `OpenClaw Gateway (v${spec.version})`;
}

const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_KEY_RE = /TOKEN|PASSWORD|SECRET/i;

/**
 * True for an environment name that holds a secret (`*TOKEN*`,
 * `*PASSWORD*`, `*SECRET*`): never written into a service file, and masked
 * wherever a hand-edited one is shown.
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_RE.test(key);
}
// deno-lint-ignore no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
const USER_RE = /^[a-z_][a-z0-9_.-]*\$?$/i;

/**
 * Rejects a spec that cannot be written safely: a secret in the environment,
 * control characters (neither a unit line nor a plist string keeps them
 * intact), relative paths or a bad user name. Both renderers call it, so a
 * hand-built spec is held to the same rules as a built one.
 */
export function validateServiceSpec(spec: ServiceSpec): void {
  const texts: [string, string][] = [
    ["version", spec.version],
    ["workingDirectory", spec.workingDirectory],
    ["stateDir", spec.stateDir],
    ["profile", spec.profile ?? ""],
    ...spec.programArguments.map((a, i): [string, string] => [`programArguments[${i}]`, a]),
    ...Object.entries(spec.environment).map(([k, v]): [string, string] => [`environment.${k}`, v]),
  ];
  for (const [where, text] of texts) {
    if (CONTROL_RE.test(text)) {
      throw new Error(
        `Invalid service ${where} ${JSON.stringify(text)}: remove control characters`,
      );
    }
  }
  for (const key of Object.keys(spec.environment)) {
    if (!ENV_KEY_RE.test(key)) {
      throw new Error(`Invalid service environment name "${key}": use letters, digits and "_"`);
    }
    if (isSecretKey(key)) {
      throw new Error(
        `Refusing to write secret "${key}" into a service definition: keep it in the config file`,
      );
    }
  }
  const executable = spec.programArguments[0] ?? "";
  const paths = { executable, workingDirectory: spec.workingDirectory, stateDir: spec.stateDir };
  for (const [where, path] of Object.entries(paths)) {
    if (!isAbsolute(path) || path.trim() !== path) {
      throw new Error(`Invalid service ${where} "${path}": use an absolute path`);
    }
  }
  if (spec.system && !USER_RE.test(spec.system.user)) {
    throw new Error(`Invalid service user "${spec.system.user}": use a plain user name`);
  }
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

function programArguments(execPath: string, mainModule: string, port: number): string[] {
  const tail = ["gateway", "--port", String(port)];
  if (isCompiledBinary(execPath)) return [execPath, ...tail];
  return [execPath, ...DENO_RUN_ARGS, modulePath(mainModule), ...tail];
}

function modulePath(mainModule: string): string {
  if (mainModule.startsWith("file:")) return fileURLToPath(mainModule);
  if (isAbsolute(mainModule)) return mainModule;
  throw new Error(
    `Cannot run "${mainModule}" as a service: use a local main.ts or "deno task compile"`,
  );
}

/** A short, predictable PATH: user bin folders first, then the system ones. */
function servicePath(home: string, supervisor: Supervisor): string {
  return [
    `${home}/.local/bin`,
    `${home}/.npm-global/bin`,
    `${home}/bin`,
    `${home}/.deno/bin`,
    ...(supervisor === "launchd" ? ["/opt/homebrew/bin"] : []),
    "/usr/local/bin",
    "/usr/bin",
    "/bin",
  ].join(":");
}
