/**
 * Everything the gateway needs to run, resolved from config, environment and
 * flags in one place, with the precedence rules and the start-up refusals.
 *
 * @module
 */

import type { Policy } from "../../protocol/schemas/connect.ts";
import { DEFAULT_RATE_LIMIT, type RateLimitSettings } from "../server/auth.ts";
import { type AgentRoster, agentRoster } from "./agents.ts";
import { isLiteralLoopback } from "./loopback.ts";
import { type Env, type InstancePaths, type PortPlan, resolvePorts } from "./paths.ts";
import {
  channelSecrets,
  type ChannelsSettings,
  resolveChannelSettings,
} from "../channels/settings.ts";
import type { AuthMode, BindMode, GatewayConfig, LogLevel, ReloadMode } from "./schema.ts";
import { parseCidr } from "../nodes/cidr.ts";

/** Spec defaults: 25 MiB frames, 50 MiB send buffer, 30 s ticks. */
export const DEFAULT_POLICY: Policy = {
  maxPayload: 25 * 1024 * 1024,
  maxBufferedBytes: 50 * 1024 * 1024,
  tickIntervalMs: 30_000,
};
/** Time a socket has to complete `connect`. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Debounce of config file changes. */
export const DEFAULT_RELOAD_DEBOUNCE_MS = 300;

/** Flags of `openclaw gateway` that feed settings. */
export interface GatewayFlags {
  port?: number | string;
  bind?: string;
  token?: string;
  password?: string;
  verbose?: boolean;
}

/** The resolved run settings. */
export interface GatewaySettings {
  paths: InstancePaths;
  ports: PortPlan;
  bind: BindMode;
  bindHost: string;
  auth: { mode: AuthMode; token?: string; password?: string; rateLimit: RateLimitSettings };
  reload: { mode: ReloadMode; debounceMs: number };
  /** `commands.restart`: whether an external SIGUSR1 may restart the gateway. */
  allowExternalRestart: boolean;
  logLevel: LogLevel;
  /**
   * The canvas host. `port` is its own listener's (absent: served on the
   * gateway port only, as for a gateway on port 0 without `canvasHost.port`).
   */
  canvas: {
    enabled: boolean;
    root: string;
    port?: number;
    liveReload: boolean;
    /** Tests only: capability lifetime instead of the 10 min default. */
    capabilityTtlMs?: number;
  };
  policy: Policy;
  handshakeTimeoutMs: number;
  /** Channel accounts, reply shaping, session main key (absent in hand-built test settings). */
  channels?: ChannelsSettings;
  /** `agents.list` and the default agent (absent in hand-built test settings: `main` only). */
  agents?: AgentRoster;
  /** `gateway.controlUi.allowedOrigins`: browser origins admitted besides the gateway's own. */
  allowedOrigins?: string[];
  /** `gateway.nodes`: device pairing and the node command policy (absent: defaults). */
  nodes?: {
    autoApproveLocal: boolean;
    /** `gateway.nodes.pairing.autoApproveCidrs` (validated CIDRs; absent: off). */
    autoApproveCidrs?: string[];
    allowCommands?: string[];
    denyCommands?: string[];
  };
  /**
   * Tests only: rewrites the peer address the transport saw, so a test on
   * 127.0.0.1 can act as a remote device.
   */
  peerAddress?: (remoteIp: string) => string;
}

/** A start-up refusal: names the setting and what to do. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SettingsError";
  }
}

const BIND_VALUES = ["loopback", "lan", "custom", "auto"];

/** The address a bind mode listens on. */
export function bindHostFor(bind: BindMode, customHost: string | undefined): string {
  switch (bind) {
    case "lan":
      return "0.0.0.0";
    case "custom":
      if (!customHost) {
        throw new SettingsError(
          'Bind mode "custom" needs gateway.customBindHost (set it, or use --bind loopback)',
        );
      }
      return customHost;
    default:
      return "127.0.0.1";
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

/** Resolves settings; throws {@link SettingsError} for combinations that must not start. */
export function resolveSettings(
  config: GatewayConfig,
  ctx: { env: Env; paths: InstancePaths; flags?: GatewayFlags },
): GatewaySettings {
  const { env, paths } = ctx;
  const flags = ctx.flags ?? {};
  const gw = config.gateway ?? {};
  let ports: PortPlan;
  try {
    ports = resolvePorts({
      flag: flags.port,
      env,
      configPort: gw.port,
      configCanvasPort: config.canvasHost?.port,
      profile: paths.profile,
    });
  } catch (err) {
    throw new SettingsError((err as Error).message);
  }
  if (flags.bind !== undefined && !BIND_VALUES.includes(flags.bind)) {
    throw new SettingsError(
      `Invalid --bind "${flags.bind}": use loopback, lan, custom (reads gateway.customBindHost) ` +
        "or auto (loopback)",
    );
  }
  // Accepted by the schema for compatibility, not implemented: refuse rather
  // than serve plain ws:// or misjudge proxied peers while the config says otherwise.
  if (gw.tls?.enabled) {
    throw new SettingsError(
      "gateway.tls.enabled is true but this build has no TLS: remove it and put a TLS proxy " +
        "(or an SSH tunnel / Tailscale) in front of a loopback gateway",
    );
  }
  if (gw.trustedProxies?.length) {
    throw new SettingsError(
      "gateway.trustedProxies is set but this build does not read X-Forwarded-For: remove it " +
        "(every peer is judged by its socket address, so proxied clients share the proxy's)",
    );
  }
  const bind = (flags.bind ?? gw.bind ?? "loopback") as BindMode;
  const bindHost = bindHostFor(bind, gw.customBindHost);

  if (flags.token !== undefined && flags.password !== undefined) {
    throw new SettingsError(
      "Both --token and --password were given: pass one (it selects the auth mode for this run)",
    );
  }
  // An empty string is "not set": `{token: "", password: S}` means password auth.
  const token = nonEmpty(flags.token) ?? nonEmpty(env.OPENCLAW_GATEWAY_TOKEN) ??
    nonEmpty(gw.auth?.token);
  const password = nonEmpty(flags.password) ?? nonEmpty(env.OPENCLAW_GATEWAY_PASSWORD) ??
    nonEmpty(gw.auth?.password);
  // A secret flag selects its mode for this run: `--password` on a token-mode
  // config must not be silently ignored (the printed hint would then fail).
  const mode: AuthMode = flags.password !== undefined
    ? "password"
    : flags.token !== undefined
    ? "token"
    : gw.auth?.mode ?? (password && !token ? "password" : "token");
  if (mode === "none" && !isLiteralLoopback(bindHost)) {
    throw new SettingsError(
      `Refusing to bind "${bindHost}" without auth (gateway.auth.mode is "none"): only a ` +
        "literal loopback address (127.0.0.1, ::1) may go without auth; set " +
        "gateway.auth.token or gateway.auth.password, or bind loopback",
    );
  }
  const cidrs = gw.nodes?.pairing?.autoApproveCidrs;
  const badCidr = cidrs?.find((c) => !parseCidr(c));
  if (badCidr !== undefined) {
    throw new SettingsError(
      `gateway.nodes.pairing.autoApproveCidrs has "${badCidr}", which is not a CIDR range: ` +
        'write it like "192.168.1.0/24" or "fd7a:115c:a1e0::/48" (or remove it)',
    );
  }
  const channels = resolveChannelSettings(config, env, paths);
  if (channels.issues.length) throw new SettingsError(channels.issues.join("; "));
  const rl = gw.auth?.rateLimit ?? {};
  const handshakeEnv = env.OPENCLAW_HANDSHAKE_TIMEOUT_MS;
  const handshakeTimeoutMs = handshakeEnv
    ? Math.min(60_000, Math.max(250, Number(handshakeEnv) || DEFAULT_HANDSHAKE_TIMEOUT_MS))
    : DEFAULT_HANDSHAKE_TIMEOUT_MS;
  return {
    paths,
    ports,
    bind,
    bindHost,
    auth: {
      mode,
      token,
      password,
      rateLimit: {
        maxAttempts: rl.maxAttempts ?? DEFAULT_RATE_LIMIT.maxAttempts,
        windowMs: rl.windowMs ?? DEFAULT_RATE_LIMIT.windowMs,
        lockoutMs: rl.lockoutMs ?? DEFAULT_RATE_LIMIT.lockoutMs,
        exemptLoopback: rl.exemptLoopback ?? DEFAULT_RATE_LIMIT.exemptLoopback,
      },
    },
    reload: {
      mode: gw.reload?.mode ?? "hybrid",
      debounceMs: gw.reload?.debounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS,
    },
    allowExternalRestart: config.commands?.restart === true,
    logLevel: config.logging?.level ?? "info",
    canvas: {
      enabled: config.canvasHost?.enabled !== false && env.OPENCLAW_SKIP_CANVAS_HOST !== "1",
      root: config.canvasHost?.root ?? `${paths.workspaceDir}/canvas`,
      // A gateway on port 0 (tests) would derive port 4: only an explicit port opens one.
      ...(ports.port !== 0 || config.canvasHost?.port !== undefined ||
          env.OPENCLAW_CANVAS_HOST_PORT
        ? { port: ports.canvasPort }
        : {}),
      liveReload: config.canvasHost?.liveReload !== false,
    },
    policy: { ...DEFAULT_POLICY },
    handshakeTimeoutMs,
    channels: channels.settings,
    agents: agentRoster(config.agents),
    allowedOrigins: gw.controlUi?.allowedOrigins ?? [],
    nodes: {
      autoApproveLocal: gw.nodes?.pairing?.autoApproveLocal !== false,
      ...(cidrs?.length ? { autoApproveCidrs: cidrs } : {}),
      ...(gw.nodes?.allowCommands ? { allowCommands: gw.nodes.allowCommands } : {}),
      ...(gw.nodes?.denyCommands ? { denyCommands: gw.nodes.denyCommands } : {}),
    },
  };
}

/**
 * The settings an instance runs with after a hot reload: `next`, except the
 * listener and auth settings, which take a restart (the running ones stay).
 */
export function withHotSettings(running: GatewaySettings, next: GatewaySettings): GatewaySettings {
  return {
    ...next,
    ports: running.ports,
    bind: running.bind,
    bindHost: running.bindHost,
    auth: running.auth,
  };
}

/** The secrets in `settings` the log redactor must mask (auth and channel tokens). */
export function settingsSecrets(settings: GatewaySettings): (string | undefined)[] {
  return [
    settings.auth.token,
    settings.auth.password,
    ...(settings.channels ? channelSecrets(settings.channels) : []),
  ];
}
