/**
 * What every CLI command starts from: the instance paths (profile-aware),
 * the environment, and output streams a test can capture.
 *
 * @module
 */

import type { Command } from "commander";
import { readConfig } from "../config/load.ts";
import { type Env, type InstancePaths, resolvePaths, resolvePorts } from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema.ts";

/** Where a command writes. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Real stdout/stderr. */
export const processIo: Io = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
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
  try {
    return { paths: resolvePaths(globals, env), env, io };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
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

/**
 * Resolves the gateway URL and credentials: `--url` (then only explicit
 * credentials are sent to it), else loopback on the configured port with the
 * token or password from flags, environment or config.
 */
export async function resolveTarget(ctx: CliContext, flags: TargetFlags): Promise<GatewayTarget> {
  if (flags.url) {
    if (!/^wss?:\/\//.test(flags.url)) {
      throw new CliError(`Invalid --url "${flags.url}": use ws://host:port or wss://host:port`);
    }
    if (flags.token === undefined && flags.password === undefined) {
      // Credentials from config or env are never sent to an explicitly named URL.
      throw new CliError(
        `--url ${flags.url} needs --token or --password (config and environment credentials ` +
          "are only used for the local gateway)",
      );
    }
    return { url: flags.url, token: flags.token, password: flags.password };
  }
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  // Diagnostic commands still work with an invalid config: use what parsed.
  const config = (snap.config ?? snap.parsed ?? {}) as GatewayConfig;
  if (!snap.config && snap.issues.length) {
    ctx.io.err(
      `Warning: config ${snap.path} is invalid (${
        snap.issues[0].message
      }); using defaults where needed`,
    );
  }
  const port = resolvePorts({
    env: ctx.env,
    configPort: typeof config.gateway?.port === "number" ? config.gateway.port : undefined,
    profile: ctx.paths.profile,
  }).port;
  const envUrl = ctx.env.OPENCLAW_GATEWAY_URL;
  return {
    url: envUrl || `ws://127.0.0.1:${port}`,
    token: flags.token ?? ctx.env.OPENCLAW_GATEWAY_TOKEN ?? config.gateway?.auth?.token,
    password: flags.password ?? ctx.env.OPENCLAW_GATEWAY_PASSWORD ?? config.gateway?.auth?.password,
  };
}

/**
 * A subcommand's flags merged with its parents'. Commander gives a flag that
 * `gateway` also defines (`--token`, `--password`) to `gateway`, even when
 * it is typed after the subcommand, so read them all.
 */
export function allFlags<T>(cmd: Command): T {
  return cmd.optsWithGlobals() as T;
}
