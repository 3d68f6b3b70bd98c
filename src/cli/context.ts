/**
 * What every CLI command starts from: the instance paths (profile-aware),
 * the environment, and output streams a test can capture.
 *
 * @module
 */

import type { Command } from "commander";
import { type ConfigSnapshot, configuredPort, formatIssues, readConfig } from "../config/load.ts";
import {
  type Env,
  type InstancePaths,
  type PortPlan,
  resolvePaths,
  resolvePorts,
} from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { servedInstead, servedPath } from "../config/served.ts";
import { denoExec } from "../../service/exec.ts";
import { hasDeviceToken } from "../client/device_tokens.ts";

/** Where a command writes. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Writes `text` to stdout as is, no newline (streamed replies); default: `out`. */
  write?(text: string): void;
}

const stdoutEncoder = new TextEncoder();

/** Real stdout/stderr. */
export const processIo: Io = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  write: (text) => {
    const bytes = stdoutEncoder.encode(text);
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  },
};

/** A command failed; the message is what the user reads, `exitCode` what the shell sees. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "CliError";
  }
}

/** Global options of `openclaw`. */
export interface GlobalOptions {
  dev?: boolean;
  profile?: string;
}

/** The context commands share. */
export interface CliContext {
  paths: InstancePaths;
  env: Env;
  io: Io;
}

/** Builds the context from global options and the environment. */
export function cliContext(globals: GlobalOptions, env: Env, io: Io): CliContext {
  // A bad profile name throws PathsError, which runCli shows as one line.
  return { paths: resolvePaths(globals, env), env, io };
}

/**
 * The port of this instance as every command resolves it: `--port` (when the
 * command has one) > `OPENCLAW_GATEWAY_PORT` > the config's `gateway.port`
 * (read even from an invalid file) > the profile default.
 */
export function instancePort(ctx: CliContext, snap: ConfigSnapshot, flag?: string): PortPlan {
  return resolvePorts({
    flag,
    env: ctx.env,
    configPort: configuredPort(snap),
    profile: ctx.paths.profile,
  });
}

/** Where and how a client command reaches the gateway. */
export interface GatewayTarget {
  url: string;
  token?: string;
  password?: string;
}

/** Target flags of client commands. */
export interface TargetFlags {
  url?: string;
  token?: string;
  password?: string;
}

function checkUrl(url: string, from: string): void {
  if (!/^wss?:\/\/[^/]/.test(url)) {
    throw new CliError(`Invalid ${from} "${url}": use ws://host:port or wss://host:port`);
  }
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || host.startsWith("127.");
  } catch {
    return false;
  }
}

/**
 * Why the gateway's port cannot be told from this config (unreadable file, or
 * a bad `gateway.port`) with nothing in the environment to say otherwise; the
 * gateway itself keeps running on its last good config, so guessing the
 * default port would reach the wrong gateway or none.
 */
export function unknownPortReason(snap: ConfigSnapshot, env: Env): string | undefined {
  if (snap.config || env.OPENCLAW_GATEWAY_PORT) return undefined;
  if (!snap.issues.some((i) => i.path === "" || i.path.startsWith("gateway.port"))) {
    return undefined;
  }
  return `Cannot tell which port the gateway listens on: ${
    formatIssues(snap.path, snap.issues)
  }; ` +
    "or set OPENCLAW_GATEWAY_PORT for this command";
}

/**
 * Resolves the gateway URL and credentials. `--url` gets only the
 * credentials given with it; `OPENCLAW_GATEWAY_URL` gets the local ones only
 * when it is a loopback address; otherwise loopback on the configured port.
 * Credentials given as flags replace the configured ones (never mixed).
 */
export async function resolveTarget(ctx: CliContext, flags: TargetFlags): Promise<GatewayTarget> {
  const explicit = flags.token !== undefined || flags.password !== undefined;
  const explicitCreds = { token: flags.token, password: flags.password };
  if (flags.url) {
    checkUrl(flags.url, "--url");
    // A device token from an earlier approved connect to this URL is a credential too.
    const paired = !explicit &&
      await hasDeviceToken(ctx.paths.stateDir, { url: flags.url, role: "operator" });
    if (!explicit && !paired) {
      throw new CliError(
        `--url ${flags.url} needs --token or --password (config and environment credentials ` +
          "are only used for the local gateway; a device this gateway approved uses its stored " +
          "device token)",
      );
    }
    return { url: flags.url, ...explicitCreds };
  }
  const envUrl = ctx.env.OPENCLAW_GATEWAY_URL;
  if (envUrl) {
    checkUrl(envUrl, "OPENCLAW_GATEWAY_URL");
    if (!explicit && !isLoopbackUrl(envUrl)) {
      throw new CliError(
        `OPENCLAW_GATEWAY_URL ${envUrl} is not a loopback address: pass --token or --password ` +
          "(local credentials are not sent to other hosts)",
      );
    }
  }
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  // Diagnostic commands still work with an invalid config: use what parsed.
  const config = (snap.config ?? snap.parsed ?? {}) as GatewayConfig;
  if (!snap.config && snap.issues.length) {
    const unknown = envUrl ? undefined : unknownPortReason(snap, ctx.env);
    if (unknown) throw new CliError(unknown);
    ctx.io.err(`Warning: ${formatIssues(snap.path, snap.issues)}; using what could be read`);
  }
  let port = instancePort(ctx, snap).port;
  // A restart onto a port another process holds leaves the gateway on its old
  // port: follow it there, never sending the secret to the configured port's holder.
  const instead = envUrl
    ? undefined
    : await servedInstead(servedPath(ctx.paths.stateDir), port, denoExec);
  if (instead) {
    ctx.io.err(
      `Warning: the gateway (pid ${instead.pid}) serves port ${instead.port}, not the ` +
        `configured ${port} (its restart onto ${port} failed; see "openclaw health"); ` +
        `using ${instead.port}`,
    );
    port = instead.port;
  }
  const creds = explicit ? explicitCreds : {
    token: ctx.env.OPENCLAW_GATEWAY_TOKEN ?? config.gateway?.auth?.token,
    password: ctx.env.OPENCLAW_GATEWAY_PASSWORD ?? config.gateway?.auth?.password,
  };
  return { url: envUrl || `ws://127.0.0.1:${port}`, ...creds };
}

/**
 * A subcommand's flags merged with its parents'. Commander gives a flag that
 * `gateway` also defines (`--token`, `--password`) to `gateway`, even when
 * it is typed after the subcommand, so read them all.
 */
export function allFlags<T>(cmd: Command): T {
  return cmd.optsWithGlobals() as T;
}
