/**
 * `openclaw gateway` / `openclaw gateway run`: the foreground gateway.
 *
 * @module
 */

import type { Command } from "commander";
import { startGatewayProcess } from "../gateway_process.ts";
import { createLogSink, type Logger } from "../log/logger.ts";
import { freePort } from "../runtime/free_port.ts";
import { guardSigusr1Inspector } from "../runtime/inspector_guard.ts";
import { logFilePrefix } from "../config/paths.ts";
import { readConfig } from "../config/load.ts";
import type { BindMode } from "../config/schema.ts";
import { bindHostFor } from "../config/settings.ts";
import { denoExec } from "../../service/exec.ts";
import { type CliContext, instancePort } from "./context.ts";
import { processMethods } from "./process_methods.ts";

/** Flags of the run command. */
export interface RunFlags {
  port?: string;
  bind?: string;
  token?: string;
  password?: string;
  verbose?: boolean;
  force?: boolean;
  allowUnconfigured?: boolean;
}

/** Runs the gateway until it stops; resolves with the exit code. */
export async function runGateway(ctx: CliContext, flags: RunFlags): Promise<number> {
  const sink = createLogSink({
    dir: ctx.paths.logDir,
    prefix: logFilePrefix(ctx.paths.profile),
    fileLevel: flags.verbose ? "debug" : "info",
    consoleLevel: flags.verbose ? "debug" : "info",
  });
  const log = sink.logger("gateway");
  const guard = guardSigusr1Inspector(log);
  try {
    if (flags.force) await forceFreePort(ctx, flags, log);
    const proc = await startGatewayProcess({
      paths: ctx.paths,
      env: ctx.env,
      flags: {
        port: flags.port,
        bind: flags.bind,
        token: flags.token,
        password: flags.password,
        verbose: flags.verbose,
        allowUnconfigured: flags.allowUnconfigured,
      },
      sink,
      processMethods,
    });
    const s = proc.instance.settings;
    const secretFrom = s.auth.mode === "none"
      ? "auth off"
      : flags.token || flags.password
      ? `${s.auth.mode} from the command line`
      : ctx.env.OPENCLAW_GATEWAY_TOKEN || ctx.env.OPENCLAW_GATEWAY_PASSWORD
      ? `${s.auth.mode} from the environment`
      : `${s.auth.mode} from ${ctx.paths.configPath}`;
    log.info(
      `gateway ready on ${proc.instance.url} (${secretFrom}); check it with ` +
        `"${healthHint(ctx, flags, proc.instance.port, s.ports.source)}"`,
    );
    const code = await proc.done;
    guard.close();
    return code;
  } catch (err) {
    guard.close();
    // Into the file log too: under a supervisor, `gateway status` shows it as the last error.
    // Masked for stderr too: a substituted value (say a customBindHost from the
    // environment) may be a secret, and runCli prints this message as is.
    if (err instanceof Error) err.message = sink.redactor.text(err.message);
    log.error(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}`);
    sink.close();
    throw err;
  }
}

/**
 * The client command that reaches this gateway: client commands find the port
 * in the config or OPENCLAW_GATEWAY_PORT, and the secret in the config or the
 * environment, so say so when this run took them from flags.
 */
function healthHint(ctx: CliContext, flags: RunFlags, port: number, source: string): string {
  const env = source === "flag" ? `OPENCLAW_GATEWAY_PORT=${port} ` : "";
  const profile = ctx.paths.profile === "dev"
    ? " --dev"
    : ctx.paths.profile
    ? ` --profile ${ctx.paths.profile}`
    : "";
  const secret = flags.token ? " --token <token>" : flags.password ? " --password <password>" : "";
  return `${env}openclaw${profile} health${secret}`;
}

/** `--force`: ends the listeners on the port the gateway is about to use. */
async function forceFreePort(ctx: CliContext, flags: RunFlags, log: Logger): Promise<void> {
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  const port = instancePort(ctx, snap, flags.port).port;
  const gw = (snap.config ?? {}).gateway ?? {};
  const bind = (flags.bind ?? gw.bind ?? "loopback") as BindMode;
  // An unknown bind or a custom bind without a host fails later, at start, with its own message.
  let host = "127.0.0.1";
  try {
    host = bindHostFor(bind, gw.customBindHost);
  } catch { /* the start names the problem */ }
  const ended = await freePort(port, { host, exec: denoExec, log });
  if (ended.length) {
    const list = ended.map((l) => `${l.pid} (${l.command || "unknown command"})`).join(", ");
    log.info(`--force: ended ${list}; port ${port} is free on ${host}`);
  }
}

/** Adds the run flags to `cmd`. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option("--port <port>", "port for WebSocket + HTTP (default: config, then 18789)")
    .option("--bind <mode>", "loopback | lan | custom (default: loopback)")
    .option("--token <token>", "shared token clients must send (sets it for this run)")
    .option("--password <password>", "shared password clients must send")
    .option("--verbose", "mirror debug logs (handshakes, req/res, events) to stdout")
    .option("--force", "end whatever listens on the port first (needs lsof)")
    .option("--allow-unconfigured", 'start even if gateway.mode is not "local"')
    .option("--dev", "use the dev profile (~/.openclaw-dev, port 19001)")
    .option("--profile <name>", "use profile NAME (~/.openclaw-NAME)");
}
