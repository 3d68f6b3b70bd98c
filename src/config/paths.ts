/**
 * Where an instance keeps its state and config, and which ports it uses.
 *
 * One place resolves profile isolation (`--dev`, `--profile`), the state dir,
 * the config path and the port precedence, so the gateway, the service
 * installer and the CLI clients always agree on them.
 *
 * @module
 */

/** The default gateway port when nothing else says otherwise. */
export const DEFAULT_PORT = 18789;
/** The base port of the `dev` profile. */
export const DEV_PORT = 19001;

/** A bad profile name, port or home: the message names the value and where it came from. */
export class PathsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PathsError";
  }
}

/** The environment variables this module reads. */
export type Env = Readonly<Record<string, string | undefined>>;

/** How the CLI asked to isolate this instance. */
export interface ProfileOptions {
  /** `--dev`: the `dev` profile with base port 19001. */
  dev?: boolean;
  /** `--profile NAME`. */
  profile?: string;
}

/** The resolved locations of one instance. */
export interface InstancePaths {
  /** `undefined` for the default instance, else the profile name (`dev` for `--dev`). */
  profile: string | undefined;
  /** Home folder the defaults hang off. */
  home: string;
  /** State root, `~/.openclaw[-profile]` or `OPENCLAW_STATE_DIR`. */
  stateDir: string;
  /** Config file, `$STATE/openclaw.json` or `OPENCLAW_CONFIG_PATH`. */
  configPath: string;
  /** Folder of the gateway's daily JSON-lines logs. */
  logDir: string;
  /** The default agent workspace. */
  workspaceDir: string;
  /** Whether the state dir / config path came from the environment. */
  stateDirFromEnv: boolean;
  configPathFromEnv: boolean;
}

const PROFILE_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * Checks a profile name; it becomes part of folder and service names.
 * Throws with the bad value and what to do when it does not fit.
 */
export function validateProfileName(name: string): string {
  if (!PROFILE_RE.test(name)) {
    throw new PathsError(
      `Invalid profile name "${name}": use letters, digits, "-" or "_" (at most 64 characters)`,
    );
  }
  return name;
}

/** The profile in force: `--dev` > `--profile` > `OPENCLAW_PROFILE`. */
export function resolveProfile(opts: ProfileOptions, env: Env): string | undefined {
  if (opts.dev && opts.profile !== undefined && opts.profile !== "dev") {
    throw new PathsError(`--dev and --profile "${opts.profile}" both given: pick one`);
  }
  if (opts.dev) return "dev";
  if (opts.profile === "") {
    throw new PathsError('Invalid profile name "": give a name, or leave out --profile');
  }
  const name = opts.profile ?? env.OPENCLAW_PROFILE;
  if (name === undefined || name === "" || name === "default") return undefined;
  return validateProfileName(name);
}

/** The user's home folder, from `OPENCLAW_HOME`, `HOME` or `USERPROFILE`. */
function resolveHome(env: Env): string {
  const home = env.OPENCLAW_HOME ?? env.HOME ?? env.USERPROFILE;
  if (!home) {
    throw new PathsError("Cannot find the home folder: set HOME (or OPENCLAW_STATE_DIR)");
  }
  return home;
}

function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? home + path.slice(1) : path;
}

/** Resolves the state dir, config path and friends of one instance. */
export function resolvePaths(opts: ProfileOptions, env: Env): InstancePaths {
  const profile = resolveProfile(opts, env);
  const home = resolveHome(env);
  const stateDirFromEnv = Boolean(env.OPENCLAW_STATE_DIR);
  const stateDir = stateDirFromEnv
    ? expandHome(env.OPENCLAW_STATE_DIR!, home)
    : `${home}/.openclaw${profile ? `-${profile}` : ""}`;
  const configPathFromEnv = Boolean(env.OPENCLAW_CONFIG_PATH);
  const configPath = configPathFromEnv
    ? expandHome(env.OPENCLAW_CONFIG_PATH!, home)
    : `${stateDir}/openclaw.json`;
  return {
    profile,
    home,
    stateDir,
    configPath,
    logDir: `${stateDir}/logs`,
    workspaceDir: `${stateDir}/workspace`,
    stateDirFromEnv,
    configPathFromEnv,
  };
}

/**
 * The name prefix of an instance's daily log files, `openclaw[-<profile>]`:
 * the gateway writes `<prefix>-YYYY-MM-DD.log` into `logDir`, and `gateway
 * status` looks for the same names.
 */
export function logFilePrefix(profile: string | undefined): string {
  return profile ? `openclaw-${profile}` : "openclaw";
}

/** Where the base port came from, for `status` output. */
export type PortSource = "flag" | "env" | "config" | "profile" | "default";

/** The gateway base port and the ports derived from it. */
export interface PortPlan {
  port: number;
  source: PortSource;
  /** Browser control service: base + 2 (loopback only). */
  browserControlPort: number;
  /** Canvas host: `canvasHost.port`, `OPENCLAW_CANVAS_HOST_PORT`, else base + 4. */
  canvasPort: number;
}

/** Parses a TCP port, naming where the bad value came from. */
export function parsePort(value: unknown, from: string): number {
  // Digits only: Number() would also take "0x61D6", "1e3" or "25014.0".
  const text = String(value).trim();
  const n = typeof value === "number" ? value : /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new PathsError(
      `Invalid port ${JSON.stringify(value)} from ${from}: use a whole number 0-65535`,
    );
  }
  return n;
}

/** Inputs of the port precedence. */
export interface PortInputs {
  flag?: number | string;
  env: Env;
  configPort?: number;
  configCanvasPort?: number;
  profile?: string;
}

/**
 * Port precedence `--port` > `OPENCLAW_GATEWAY_PORT` > `gateway.port` >
 * profile default (dev: 19001) > 18789, plus the derived ports.
 */
export function resolvePorts(inputs: PortInputs): PortPlan {
  let port: number;
  let source: PortSource;
  if (inputs.flag !== undefined) {
    port = parsePort(inputs.flag, "--port");
    source = "flag";
  } else if (inputs.env.OPENCLAW_GATEWAY_PORT) {
    port = parsePort(inputs.env.OPENCLAW_GATEWAY_PORT, "OPENCLAW_GATEWAY_PORT");
    source = "env";
  } else if (inputs.configPort !== undefined) {
    port = inputs.configPort;
    source = "config";
  } else if (inputs.profile === "dev") {
    port = DEV_PORT;
    source = "profile";
  } else {
    port = DEFAULT_PORT;
    source = "default";
  }
  const canvasEnv = inputs.env.OPENCLAW_CANVAS_HOST_PORT;
  const canvasPort = inputs.configCanvasPort ??
    (canvasEnv ? parsePort(canvasEnv, "OPENCLAW_CANVAS_HOST_PORT") : port + 4);
  return { port, source, browserControlPort: port + 2, canvasPort };
}
