/**
 * `openclaw agent`: one turn, through the running gateway (`agent` RPC,
 * waiting for the final answer) or in-process with `--local`; the reply
 * streams to stdout as it arrives. Exit 0 on ok, 1 on error or timeout.
 *
 * @module
 */

import type { Command } from "commander";
import type { AgentParams, AgentResult } from "../../protocol/schemas/agent.ts";
import type { GatewayClient } from "../client/gateway_client.ts";
import { connectCli } from "./device_connect.ts";
import { readConfig } from "../config/load.ts";
import { silentLogger } from "../log/logger.ts";
import { TIMEOUT_TEXT } from "../agent/timeout_text.ts";
import { importLazy } from "../runtime/lazy_import.ts";
import type { RunEvent } from "../agent/types.ts";
import { type CliContext, CliError, resolveTarget } from "./context.ts";
import { describeClientError } from "./rpc.ts";

/** Flags of `openclaw agent`. */
export interface AgentFlags {
  message: string;
  sessionKey?: string;
  sessionId?: string;
  to?: string;
  agent?: string;
  thinking?: string;
  /** Run timeout, seconds. */
  timeout?: string;
  json?: boolean;
  local?: boolean;
  url?: string;
  token?: string;
  password?: string;
}

const THINKING = ["off", "minimal", "low", "medium", "high", "xhigh", "adaptive", "max", "ultra"];

/** The `agent` params of the flags; throws {@link CliError} naming a bad flag. */
function agentParams(flags: AgentFlags, idempotencyKey: string): AgentParams {
  if (!flags.message?.trim()) throw new CliError("Missing --message: pass the text to send");
  if (!flags.sessionKey && !flags.sessionId && !flags.to && !flags.agent) {
    throw new CliError(
      "Pick a session: pass --session-key <key> (e.g. main), --session-id <id>, --to <dest> " +
        "or --agent <id>",
    );
  }
  if (flags.thinking && !THINKING.includes(flags.thinking)) {
    throw new CliError(`Invalid --thinking "${flags.thinking}": use one of ${THINKING.join(", ")}`);
  }
  let timeout: number | undefined;
  if (flags.timeout !== undefined) {
    timeout = Number(flags.timeout);
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > 172_800) {
      throw new CliError(
        `Invalid --timeout "${flags.timeout}": use whole seconds from 0 (no limit) to 172800`,
      );
    }
  }
  // A direct message lands on the agent's main session (session.dmScope "main").
  const sessionKey = flags.sessionKey ??
    (flags.sessionId ? undefined : flags.agent ? `agent:${flags.agent}:main` : "main");
  return {
    message: flags.message,
    idempotencyKey,
    ...(sessionKey ? { sessionKey } : {}),
    ...(flags.sessionId ? { sessionId: flags.sessionId } : {}),
    ...(flags.to ? { to: flags.to } : {}),
    ...(flags.agent ? { agentId: flags.agent } : {}),
    ...(flags.thinking ? { thinking: flags.thinking as AgentParams["thinking"] } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
  };
}

/** Prints the end of a turn; throws (exit 1) unless it ended ok. */
function finish(ctx: CliContext, flags: AgentFlags, payload: AgentResult, streamed: boolean) {
  const write = ctx.io.write ?? ctx.io.out;
  if (flags.json) ctx.io.out(JSON.stringify(payload, null, 2));
  else if (streamed) write("\n");
  else if (payload.status === "ok") {
    ctx.io.out(payload.result?.payloads.map((p) => p.text ?? "").join("\n") ?? "");
  }
  if (payload.status === "timeout") throw new CliError(TIMEOUT_TEXT);
  if (payload.status === "error") throw new CliError(payload.summary ?? "The run failed");
}

/** Streams `assistant` deltas of `runId` to stdout; returns whether anything was written. */
function streamer(ctx: CliContext, flags: AgentFlags, runId: string) {
  const write = ctx.io.write ?? ctx.io.out;
  let any = false;
  return {
    onEvent(event: string, payload: Record<string, unknown>) {
      if (flags.json || event !== "agent" || payload.runId !== runId) return;
      if (payload.stream !== "assistant") return;
      const delta = (payload.data as { delta?: string }).delta;
      if (delta) {
        any = true;
        write(delta);
      }
    },
    get streamed() {
      return any;
    },
  };
}

async function viaGateway(ctx: CliContext, flags: AgentFlags, params: AgentParams) {
  const target = await resolveTarget(ctx, flags);
  let client: GatewayClient | undefined;
  const out = streamer(ctx, flags, params.idempotencyKey);
  let payload: AgentResult;
  try {
    client = await connectCli(ctx, target.url, {
      token: target.token,
      password: target.password,
      timeoutMs: 10_000,
    });
    client.onEvent((e) => out.onEvent(e.event, (e.payload ?? {}) as Record<string, unknown>));
    const runSeconds = params.timeout || 600;
    payload = await client.request<AgentResult>("agent", params, {
      expectFinal: true,
      timeoutMs: (runSeconds + 30) * 1000,
    });
  } catch (err) {
    if (out.streamed) (ctx.io.write ?? ctx.io.out)("\n");
    throw describeClientError(err, target.url);
  } finally {
    await client?.close();
  }
  finish(ctx, flags, payload, out.streamed);
}

/** Whether something listens on the gateway's port (a running gateway shares our files). */
async function gatewayListening(ctx: CliContext, flags: AgentFlags): Promise<string | undefined> {
  try {
    const { url } = await resolveTarget(ctx, { ...flags, url: undefined });
    const port = Number(new URL(url.replace(/^ws/, "http")).port);
    const connecting = Deno.connect({ hostname: "127.0.0.1", port });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const conn = await Promise.race([
      connecting,
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 300))),
    ]);
    clearTimeout(timer);
    // A connect that lost the race is closed whenever it completes.
    if (!conn) connecting.then((c) => c.close(), () => {});
    conn?.close();
    return conn ? url : undefined;
  } catch {
    return undefined;
  }
}

async function local(ctx: CliContext, flags: AgentFlags, params: AgentParams) {
  const running = await gatewayListening(ctx, flags);
  if (running) {
    ctx.io.err(
      `Warning: a gateway is running at ${running} on the same state folder; its session index ` +
        "may overwrite this run's row (the transcript is kept). Run without --local to go through it.",
    );
  }
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  if (!snap.config) {
    throw new CliError(
      `Config ${snap.path} is invalid (${
        snap.issues.map((i) => i.path || i.message).join(", ")
      }): ` +
        'fix it (see "openclaw doctor")',
    );
  }
  const config = snap.config;
  // Loaded here only: the CLI (and the gateway it starts) never loads the engine otherwise.
  const [{ createAgentEngine }, { finalReply }] = await Promise.all([
    importLazy<typeof import("../agent/mod.ts")>("src/agent/mod.ts"),
    importLazy<typeof import("../methods/agent_group.ts")>("src/methods/agent_group.ts"),
  ]);
  const agent = createAgentEngine({
    config: () => config,
    env: ctx.env,
    stateDir: ctx.paths.stateDir,
    log: silentLogger(),
  });
  await agent.engine.start();
  const out = streamer(ctx, flags, params.idempotencyKey);
  agent.engine.subscribe((ev: RunEvent) => out.onEvent(ev.event, ev.payload));
  try {
    const handle = await agent.engine.run({
      idempotencyKey: params.idempotencyKey,
      message: params.message,
      agentId: params.agentId,
      sessionKey: params.sessionKey,
      sessionId: params.sessionId,
      thinking: params.thinking,
      timeoutMs: params.timeout === undefined ? undefined : params.timeout * 1000,
      channel: "cli",
      client: { id: "cli", mode: "cli" },
    });
    const reply = finalReply(await handle.done);
    finish(ctx, flags, reply.payload as AgentResult, out.streamed);
  } finally {
    await agent.stop();
  }
}

/** Registers `openclaw agent`. */
export function registerAgentCommand(program: Command, context: (cmd: Command) => CliContext) {
  program.command("agent")
    .description("Run one agent turn and stream the reply (exit 1 on error or timeout)")
    .requiredOption("-m, --message <text>", "the message to send")
    .option("--session-key <key>", "session key (e.g. main, agent:main:main)")
    .option("--session-id <id>", "session id of an explicit session")
    .option("--to <dest>", "a direct-message destination (lands on the main session)")
    .option("--agent <id>", "agent id (default: the default agent)")
    .option("--thinking <level>", `thinking level: ${THINKING.join(", ")}`)
    .option("--timeout <seconds>", "run timeout in seconds (0 = no limit)")
    .option("--json", "print the final result as JSON instead of streaming text")
    .option("--local", "run the turn in this process, without a gateway")
    .option("--url <url>", "gateway WebSocket URL (default: loopback on the configured port)")
    .option("--token <token>", "gateway token (default: config or OPENCLAW_GATEWAY_TOKEN)")
    .option("--password <password>", "gateway password")
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as AgentFlags;
      const ctx = context(cmd);
      const params = agentParams(flags, crypto.randomUUID());
      if (flags.local) await local(ctx, flags, params);
      else await viaGateway(ctx, flags, params);
    });
}
