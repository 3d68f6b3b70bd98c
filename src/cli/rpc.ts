/**
 * Client commands that talk to a running gateway and never start one:
 * `gateway call`, `gateway health`, `health`, `status`.
 *
 * @module
 */

import type { Command } from "commander";
import type { HealthSnapshot, StatusResult } from "../../protocol/schemas/system.ts";
import type { ConfigIssue } from "../../protocol/schemas/config.ts";
import {
  GatewayCallError,
  GatewayClient,
  GatewayConnectionError,
} from "../client/gateway_client.ts";
import { connectCli, pairingHint } from "./device_connect.ts";
import { allFlags, type CliContext, CliError, resolveTarget, type TargetFlags } from "./context.ts";

/** Flags shared by client commands. */
export interface ClientFlags extends TargetFlags {
  timeout?: string;
  json?: boolean;
}

/**
 * Parses `--timeout <ms>`: `fallback` when absent, else a positive whole
 * number of milliseconds, or a {@link CliError} quoting the bad value.
 */
export function parseTimeout(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new CliError(`Invalid --timeout "${value}": use a whole number of milliseconds`);
  }
  return n;
}

/** Maps client failures to messages that say what to do. */
export function describeClientError(err: unknown, url: string): CliError {
  if (err instanceof CliError) return err;
  const hint = pairingHint(err, url);
  if (hint) return new CliError(hint);
  if (err instanceof GatewayCallError) {
    const code = (err.error.details as { code?: string } | undefined)?.code;
    if (err.method === "connect" && code?.startsWith("AUTH_")) {
      return new CliError(
        `Gateway at ${url} refused the credentials (${code}): ${err.error.message}`,
      );
    }
    return new CliError(
      `${err.message}${err.error.details ? ` ${JSON.stringify(err.error.details)}` : ""}`,
    );
  }
  if (err instanceof GatewayConnectionError) {
    // Only a refused connection suggests starting one; a busy or foreign
    // server already says what it is.
    const refused = err.message.startsWith("Gateway not reachable");
    return new CliError(
      refused
        ? `${err.message} (is the gateway running? start it with "openclaw gateway", or check ` +
          "--url or OPENCLAW_GATEWAY_PORT; a gateway restarting in place is back within seconds)"
        : err.message,
    );
  }
  return new CliError(err instanceof Error ? err.message : String(err));
}

/** Connects, runs `fn`, always closes; errors become {@link CliError}. */
export async function withClient<T>(
  ctx: CliContext,
  flags: ClientFlags,
  fn: (client: GatewayClient) => Promise<T>,
): Promise<T> {
  const target = await resolveTarget(ctx, flags);
  const timeoutMs = parseTimeout(flags.timeout, 10_000);
  let client: GatewayClient | undefined;
  try {
    client = await connectCli(ctx, target.url, {
      token: target.token,
      password: target.password,
      timeoutMs,
    });
    return await fn(client);
  } catch (err) {
    throw describeClientError(err, target.url);
  } finally {
    await client?.close();
  }
}

function parseParams(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(
      `Invalid --params: not JSON (${(err as Error).message}); example: --params '{"probe":true}'`,
    );
  }
}

/** One line per config problem (key, line, message) and the last reload error. */
function configIssueLines(
  config: { issues: ConfigIssue[]; lastReloadError?: string },
): string[] {
  const lines = config.issues.map((issue) =>
    `  - ${issue.path || "(file)"}${issue.line ? ` (line ${issue.line})` : ""}: ${issue.message}`
  );
  if (config.lastReloadError) lines.push(`  last reload: ${config.lastReloadError}`);
  return lines;
}

/** A one-screen summary of a health snapshot. */
function formatHealth(h: HealthSnapshot): string {
  const lines = [
    `Gateway: ${h.ok ? "ok" : "degraded"} (v${h.version}, up ${Math.round(h.uptimeMs / 1000)}s)`,
    `Config: ${h.config.valid ? "valid" : "INVALID"} ${h.config.path}`,
  ];
  lines.push(...configIssueLines(h.config));
  const channels = Object.entries(h.channels);
  lines.push(
    `Channels: ${
      channels.length
        ? channels.map(([id, c]) =>
          `${id}=${
            c.running ? "running" : c.linked ? "linked" : c.configured ? "configured" : "off"
          }${!c.running && c.lastError ? ` (${c.lastError})` : ""}`
        ).join(", ")
        : "none configured"
    }`,
  );
  lines.push(`Sessions: ${h.sessions.count}`);
  if (h.model) lines.push(modelLine(h.model));
  return lines.join("\n");
}

/** `Model: stub/stub-model (key from config)`, or what is missing. */
function modelLine(m: NonNullable<HealthSnapshot["model"]>): string {
  if (!m.model) return "Model: none configured";
  return `Model: ${m.model} (${
    m.credential === "none"
      ? `NOT CALLABLE: ${m.problem ?? "no credential"}`
      : `key from ${m.credential}`
  })`;
}

function formatStatus(s: StatusResult, url: string): string {
  const lines = [
    `Gateway: reachable at ${url} (v${s.version}, pid ${s.pid}, up ${
      Math.round(s.uptimeMs / 1000)
    }s)`,
    `Auth: ${s.authMode}; connections: ${s.connections}; presence: ${s.presenceCount}`,
    `Config: ${s.config.valid ? "valid" : `INVALID (${s.config.issueCount} issue(s))`}`,
    ...configIssueLines(s.config),
  ];
  if (s.gateway) {
    lines.push(`Bind: ${s.gateway.bind} (${s.gateway.bindHost}:${s.gateway.port})`);
    lines.push(`Config path: ${s.gateway.configPath}`);
    lines.push(`Log file: ${s.gateway.logFile}`);
  }
  lines.push(`Sessions: ${s.sessions.count}`);
  if (s.model) lines.push(modelLine(s.model));
  return lines.join("\n");
}

/** Help texts of {@link addTargetOptions}, for commands that use a flag in their own way. */
export interface TargetOptionHelp {
  url?: string;
  token?: string;
  password?: string;
  timeout?: string;
  json?: string;
}

/**
 * Declares the client target flags `--url`, `--token`, `--password`,
 * `--timeout <ms>` (default 10000) and `--json` on `cmd`, so every client
 * command spells them the same way; `help` rewords them where a command
 * means something narrower (the probe of `gateway status`).
 */
export function addTargetOptions(cmd: Command, help: TargetOptionHelp = {}): Command {
  return cmd
    .option(
      "--url <url>",
      help.url ?? "gateway WebSocket URL (default: loopback on the configured port)",
    )
    .option(
      "--token <token>",
      help.token ?? "gateway token (default: config or OPENCLAW_GATEWAY_TOKEN)",
    )
    .option("--password <password>", help.password ?? "gateway password")
    .option("--timeout <ms>", help.timeout ?? "connect and call timeout in ms", "10000")
    .option("--json", help.json ?? "print JSON");
}

/** Registers `gateway call` and `gateway health` under `gateway`. */
export function registerGatewayRpcCommands(
  gateway: Command,
  context: (cmd: Command) => CliContext,
): void {
  addTargetOptions(
    gateway.command("call <method>").description("Call a gateway method and print the JSON result"),
  )
    .option("--params <json>", "method params as JSON")
    .option("--expect-final", "for two-phase methods (agent): wait for the final answer")
    .action(
      async (method: string, _flags: unknown, cmd: Command) => {
        const flags = allFlags<ClientFlags & { params?: string; expectFinal?: boolean }>(cmd);
        const ctx = context(cmd);
        const params = parseParams(flags.params);
        const result = await withClient(ctx, flags, (c) =>
          c.request(method, params, {
            timeoutMs: parseTimeout(flags.timeout, 10_000),
            expectFinal: flags.expectFinal,
          }));
        ctx.io.out(JSON.stringify(result, null, 2));
      },
    );

  addTargetOptions(gateway.command("health").description("Show the gateway's health snapshot"))
    .action(async (_flags: unknown, cmd: Command) =>
      await healthAction(context(cmd), allFlags<ClientFlags>(cmd))
    );
}

async function healthAction(ctx: CliContext, flags: ClientFlags): Promise<void> {
  const h = await withClient(ctx, flags, (c) => c.request<HealthSnapshot>("health", {}));
  ctx.io.out(flags.json ? JSON.stringify(h, null, 2) : formatHealth(h));
  if (!h.ok) throw new CliError("Gateway is degraded (see above)", 1);
}

/** The RPC half of `gateway status`: reachability plus the `status` summary. */
async function statusAction(ctx: CliContext, flags: ClientFlags): Promise<void> {
  const target = await resolveTarget(ctx, flags);
  const s = await withClient(ctx, flags, (c) => c.request<StatusResult>("status", {}));
  ctx.io.out(
    flags.json ? JSON.stringify({ url: target.url, ...s }, null, 2) : formatStatus(s, target.url),
  );
}

/** Registers top-level `health` and `status`. */
export function registerTopLevelRpcCommands(
  program: Command,
  context: (cmd: Command) => CliContext,
): void {
  addTargetOptions(program.command("health").description("Show the running gateway's health"))
    .action(async (flags: ClientFlags, cmd: Command) => await healthAction(context(cmd), flags));
  addTargetOptions(program.command("status").description("Summarize the running gateway"))
    .action(async (flags: ClientFlags, cmd: Command) => await statusAction(context(cmd), flags));
}
