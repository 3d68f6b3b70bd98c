/**
 * The one answer to "would the gateway run with this config?": what it
 * refuses at start (an invalid file, `gateway.mode` not "local", settings
 * that cannot resolve, a token or password mode with no secret). Pure, so
 * start-up, reload, the config RPCs and `gateway restart` refuse the same
 * configs with the same message.
 *
 * @module
 */

import type { ConfigIssue } from "../../protocol/schemas/config.ts";
import { Redactor } from "../log/redact.ts";
import { locateKey } from "./_locate.ts";
import { hooksConfigProblem } from "../http/config.ts";
import { ConfigError, type ConfigSnapshot } from "./load.ts";
import type { Env, InstancePaths } from "./paths.ts";
import {
  type GatewayFlags,
  type GatewaySettings,
  resolveSettings,
  SettingsError,
} from "./settings.ts";

/** Shortest gateway token accepted: a short token can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** A refusal to start, with the message the operator sees; exit code 1. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartError";
  }
}

/** What besides the file decides whether a config runs. */
export interface RunnableContext {
  env: Env;
  paths: InstancePaths;
  /** Flags of `openclaw gateway` (`--token`, `--bind`...), which override the file. */
  flags?: GatewayFlags;
  /** `--allow-unconfigured`: run without `gateway.mode: "local"`. */
  allowUnconfigured?: boolean;
}

/** The verdict of {@link checkRunnable}. */
export type Runnable =
  | { ok: true; settings: GatewaySettings }
  | {
    ok: false;
    /** The whole message, naming the file and key and what to do. */
    message: string;
    /** The issues behind it (schema issues, or one issue naming the key). */
    issues: ConfigIssue[];
    /** What the gateway throws at start for this refusal. */
    error: ConfigError | SettingsError | StartError;
  };

function refuse(
  snapshot: ConfigSnapshot,
  key: string,
  error: SettingsError | StartError,
): Runnable {
  // The message goes to logs, stderr, health and RPC answers: name `${VAR}`s, never their values.
  if (snapshot.substituted?.length) {
    const mask = new Redactor();
    mask.setSubstituted(snapshot.substituted);
    error.message = mask.text(error.message);
  }
  const line = key && snapshot.raw ? locateKey(snapshot.raw, key) : undefined;
  const issue: ConfigIssue = { path: key, message: error.message, ...(line ? { line } : {}) };
  return { ok: false, message: error.message, issues: [issue], error };
}

/**
 * Checks `snapshot` exactly as the gateway does at start and returns the
 * settings it would run with, or why it would refuse.
 *
 * @example
 * ```ts
 * const verdict = checkRunnable(await readConfig(paths.configPath, env), { env, paths });
 * if (!verdict.ok) console.error(verdict.message);
 * ```
 */
export function checkRunnable(snapshot: ConfigSnapshot, ctx: RunnableContext): Runnable {
  const { config, path } = snapshot;
  if (!config) {
    const error = new ConfigError(path, snapshot.issues);
    return { ok: false, message: error.message, issues: snapshot.issues, error };
  }
  if (config.gateway?.mode !== "local" && !ctx.allowUnconfigured) {
    return refuse(
      snapshot,
      "gateway.mode",
      new StartError(
        `Gateway start blocked: set gateway.mode to "local" in ${path} ` +
          `(or pass --allow-unconfigured)`,
      ),
    );
  }
  let settings: GatewaySettings;
  try {
    settings = resolveSettings(config, ctx);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    return refuse(snapshot, "", err);
  }
  const { auth } = settings;
  if (auth.mode === "token" && !auth.token) {
    return refuse(
      snapshot,
      "gateway.auth.token",
      new StartError(
        `No gateway token configured: add gateway.auth.token to ${path} ` +
          `(or set OPENCLAW_GATEWAY_TOKEN, or start the gateway with --token)`,
      ),
    );
  }
  if (auth.mode === "token" && auth.token!.length < MIN_TOKEN_LENGTH) {
    return refuse(
      snapshot,
      "gateway.auth.token",
      new StartError(
        `The gateway token is too short (${auth.token!.length} characters, at least ` +
          `${MIN_TOKEN_LENGTH} needed): set a longer gateway.auth.token in ${path} ` +
          `(a fresh one: "openssl rand -base64 32")`,
      ),
    );
  }
  if (auth.mode === "password" && !auth.password) {
    return refuse(
      snapshot,
      "gateway.auth.password",
      new StartError(
        `Auth mode is "password" but no password is set: add gateway.auth.password to ${path} ` +
          `(or set OPENCLAW_GATEWAY_PASSWORD, or start the gateway with --password)`,
      ),
    );
  }
  const hooks = hooksConfigProblem(config, auth);
  if (hooks) return refuse(snapshot, hooks.key, new StartError(`${hooks.message} (${path})`));
  return { ok: true, settings };
}

/**
 * Whether a config that runs now (`running`, judged with this run's flags)
 * would also start the gateway from the file alone, as the service does:
 * without `--token`, `--password`, `--bind` or `--allow-unconfigured`. A
 * config RPC must not save a file the next start refuses.
 */
export function checkSavable(
  snapshot: ConfigSnapshot,
  ctx: RunnableContext,
  running: Runnable,
): Runnable {
  const asService = checkRunnable(snapshot, { env: ctx.env, paths: ctx.paths });
  if (asService.ok) return running;
  const message = `${asService.message} (a saved config must start the gateway on its own, ` +
    "as the service does: without this run's --token, --password, --bind or " +
    "--allow-unconfigured)";
  return { ...asService, message };
}
