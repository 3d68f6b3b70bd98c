/**
 * `exec {command, workdir?, env?, yieldMs?, background?, timeoutSeconds?}`:
 * runs a shell command, streams its output as partial results, caps what
 * it keeps, kills the process group on abort or timeout, and moves a
 * long-running command to the background after `yieldMs` so `process`
 * can follow it. `tools.exec.mode` decides whether it may run at all.
 *
 * @module
 */

import type { Tool, ToolContext, ToolResult } from "../types.ts";
import type { ExecSettings } from "./config.ts";
import { TOOL_DEFAULTS } from "./config.ts";
import { analyzeCommand, firstMiss } from "./exec_policy.ts";
import type { ProcessRegistry } from "./process_registry.ts";
import { type ProcessSession, startProcess } from "./process_session.ts";
import { type CommandRunner, createShellRunner } from "./runner.ts";
import { resolveAgainst } from "./_paths.ts";
import {
  clip,
  errorResult,
  guarded,
  optBool,
  optNumber,
  optString,
  reqString,
  ToolFailure,
} from "./_util.ts";
import { describeCommand, finishedResult, runningResult } from "./_exec_result.ts";
import type { NodesPort } from "./nodes.ts";
import { execOnNode } from "./nodes_exec.ts";

/** Options of {@link createExecTool}. */
export interface ExecToolOptions {
  settings: ExecSettings;
  processes: ProcessRegistry;
  runner?: CommandRunner;
  /** Binaries an operator allowed for good (`allow-always`), per agent. */
  approvedBinaries?: (agentId: string) => Promise<readonly string[]>;
  /** Least time between two partial updates (default 200 ms). */
  updateThrottleMs?: number;
  /** The gateway's nodes, for `host:"node"` (absent: that host is unavailable). */
  nodes?: NodesPort;
}

/**
 * Parent env names a command never inherits: every variable the gateway
 * reads credentials from (`OPENCLAW_GATEWAY_TOKEN`/`_PASSWORD`,
 * `TELEGRAM_BOT_TOKEN`, `<P>_API_KEY(S|_n)`, `OPENCLAW_LIVE_<P>_KEY`) and,
 * by name, any other token, secret, password or key, so a prompt-injected
 * `echo $X` cannot hand them to the model. A call may still pass a value
 * explicitly through `env`.
 */
const SECRET_ENV =
  /^OPENCLAW_.*(TOKEN|PASSWORD|SECRET|KEY)|^OPENCLAW_LIVE_|_API_KEYS?$|_API_KEY_|^TELEGRAM_BOT_TOKEN$|(^|_)(TOKENS?|SECRETS?|PASSWORDS?|PASSWD|PASSPHRASE|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY)(_|$)|_KEYS?$/i;

/** The child's environment: the gateway's, minus secrets, plus the call's overrides. */
function childEnv(overrides: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!SECRET_ENV.test(k)) env[k] = v;
  }
  return { ...env, ...overrides };
}

/** Env keys that would let a command escape an allowlist. */
const UNSAFE_ENV = /^(LD_|DYLD_)|^(BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PROMPT_COMMAND|IFS)$/;

function readEnv(args: Record<string, unknown>): Record<string, string> | undefined {
  const raw = args.env;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ToolFailure(`Argument "env" must be an object of string values`);
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 100) {
    throw new ToolFailure(`Argument "env" has ${entries.length} keys, over 100`);
  }
  const env: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
      throw new ToolFailure(`Env name ${JSON.stringify(k)} is not valid`);
    }
    if (typeof v !== "string") throw new ToolFailure(`Env ${k} must be a string`);
    if (v.length > 32_768) throw new ToolFailure(`Env ${k} is over 32768 characters`);
    env[k] = v;
  }
  return env;
}

/** Checks `tools.exec.mode`; returns an error result to send instead of running, or undefined. */
async function gate(
  opts: ExecToolOptions,
  command: string,
  cwd: string,
  env: Record<string, string> | undefined,
  ctx: ToolContext,
): Promise<ToolResult | undefined> {
  const { mode } = opts.settings;
  if (mode === "full") return undefined;
  if (mode === "deny") {
    return errorResult(
      `Exec is disabled (tools.exec.mode is "deny"): nothing ran. Ask the operator to change tools.exec.mode`,
      { status: "denied", mode },
    );
  }
  if (env && Object.keys(env).some((k) => UNSAFE_ENV.test(k))) {
    return errorResult(
      `Exec refused: env ${
        Object.keys(env).filter((k) => UNSAFE_ENV.test(k)).join(", ")
      } is not allowed when tools.exec.mode is "${mode}"`,
    );
  }
  const analysis = await analyzeCommand(command, cwd, env?.PATH ?? Deno.env.get("PATH"));
  const approved = (await opts.approvedBinaries?.(ctx.agentId)) ?? [];
  const miss = firstMiss(analysis, [...opts.settings.allowlist, ...approved]);
  if (!miss) return undefined;
  const what = analysis.opaque
    ? `the command uses ${analysis.opaque}`
    : `"${miss.program}"${
      miss.resolvedPath ? ` (${miss.resolvedPath})` : " (not found on PATH)"
    } is not allowlisted`;
  if (mode === "allowlist") {
    return errorResult(
      `Exec refused: ${what}. Add a pattern to tools.exec.allowlist, or set tools.exec.mode to "ask"`,
      { status: "denied", mode, program: miss.program, resolvedPath: miss.resolvedPath },
    );
  }
  const decision = await ctx.requestApproval({
    command,
    cwd,
    agentId: ctx.agentId,
    sessionKey: ctx.sessionKey,
    runId: ctx.runId,
    toolCallId: ctx.toolCallId,
    ...(miss.resolvedPath && !analysis.opaque ? { resolvedPath: miss.resolvedPath } : {}),
  });
  if (decision === "allow-once" || decision === "allow-always") return undefined;
  return errorResult(
    `Exec denied: an operator denied the command or the approval request expired. Nothing ran: ${
      clip(command, 120)
    }`,
    { status: "denied", mode, decision },
  );
}

/** The `exec` tool. */
export function createExecTool(opts: ExecToolOptions): Tool {
  const runner = opts.runner ?? createShellRunner();
  const throttle = opts.updateThrottleMs ?? 200;
  return {
    name: "exec",
    description:
      "Run shell now; background continuation supported. Completed calls return command output directly. Use process only when exec reports running with a sessionId. Quote arguments containing shell metacharacters.",
    commandBearing: true,
    parameters: {
      type: "object",
      required: ["command"],
      properties: {
        title: {
          type: "string",
          maxLength: 120,
          description: "Every call: short purpose; never claim success. No secrets.",
        },
        command: { type: "string", description: "Shell command." },
        workdir: {
          type: "string",
          description: "Omit/empty string: default; whitespace-only invalid.",
        },
        env: {
          type: "object",
          patternProperties: { "^.*$": { type: "string" } },
          description: "Literal overrides; no expansion. Omit to inherit.",
        },
        yieldMs: {
          type: "number",
          description: "Milliseconds before backgrounding; default 10000.",
        },
        background: { type: "boolean", description: "Background now; timeoutSeconds applies." },
        timeoutSeconds: { type: "number", description: "Process lifetime in seconds; 0 disables." },
        host: {
          type: "string",
          enum: ["auto", "gateway", "node"],
          description: "Where to run: gateway (default) or a paired node (system.run).",
        },
        node: { type: "string", description: "host=node: node id, name or IP." },
      },
    },
    title: (args) => `Exec ${describeCommand(args)}`,
    execute: guarded(async (args, ctx) => {
      const command = reqString(args, "command", { max: TOOL_DEFAULTS.execMaxCommandChars });
      if (!command.trim()) {
        throw new ToolFailure(`Argument "command" is blank: give a shell command`);
      }
      const workdir = optString(args, "workdir", { max: 4096 });
      if (workdir !== undefined && workdir !== "" && !workdir.trim()) {
        throw new ToolFailure(`Argument "workdir" is whitespace only: omit it or give a folder`);
      }
      const env = readEnv(args);
      const host = optString(args, "host", { max: 16 }) ?? "auto";
      if (!["auto", "gateway", "node"].includes(host)) {
        throw new ToolFailure(`Argument "host" must be auto, gateway or node, got "${host}"`);
      }
      const timeoutOf = () =>
        optNumber(args, "timeoutSeconds", { min: 0, max: 172_800 }) ?? opts.settings.timeoutSeconds;
      if (host === "node") {
        // The workdir is the node's, not resolved against this host's workspace.
        return await execOnNode(
          {
            command,
            node: optString(args, "node", { max: 256 }),
            ...(workdir ? { workdir } : {}),
            ...(env ? { env } : {}),
            timeoutSeconds: timeoutOf(),
          },
          ctx,
          { nodes: opts.nodes, settings: opts.settings },
        );
      }
      const background = optBool(args, "background") ?? false;
      const yieldMs = optNumber(args, "yieldMs", { min: 0, max: 600_000 }) ?? opts.settings.yieldMs;
      const timeoutSeconds = timeoutOf();
      const cwd = workdir ? resolveAgainst(ctx.workspace, workdir) : ctx.workspace;
      const st = await Deno.stat(cwd).catch(() => undefined);
      if (!st?.isDirectory) {
        throw new ToolFailure(
          `Working directory ${cwd} does not exist: create it or pass another workdir`,
        );
      }

      const refused = await gate(opts, command, cwd, env, ctx);
      if (refused) return refused;
      if (ctx.signal.aborted) return errorResult("Aborted before the command started: nothing ran");

      const session = startProcess(runner, {
        id: opts.processes.newId(),
        command,
        cwd,
        env: childEnv(env),
        timeoutMs: timeoutSeconds * 1000,
        maxOutputChars: opts.settings.maxOutputChars,
        scopeKey: ctx.sessionKey,
      });
      if (background) {
        try {
          opts.processes.add(session);
        } catch (err) {
          session.kill();
          throw new ToolFailure((err as Error).message);
        }
        return runningResult(session, true);
      }
      return await foreground(session, yieldMs, throttle, opts.processes, ctx);
    }),
  };
}

async function foreground(
  session: ProcessSession,
  yieldMs: number,
  throttleMs: number,
  processes: ProcessRegistry,
  ctx: ToolContext,
): Promise<ToolResult> {
  let last = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    pending = undefined;
    last = Date.now();
    ctx.onUpdate(runningResult(session, false));
  };
  const unsubscribe = session.onOutput(() => {
    if (pending) return;
    const wait = Math.max(0, throttleMs - (Date.now() - last));
    if (wait === 0) flush();
    else pending = setTimeout(flush, wait);
  });
  const onAbort = () => session.kill("killed");
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let yieldTimer: ReturnType<typeof setTimeout> | undefined;
  const yielded = new Promise<"yield">((r) => yieldTimer = setTimeout(() => r("yield"), yieldMs));
  try {
    const outcome = await Promise.race([session.done.then(() => "done" as const), yielded]);
    if (outcome === "yield" && session.status === "running") {
      try {
        processes.add(session);
      } catch (err) {
        session.kill();
        throw new ToolFailure((err as Error).message);
      }
      return runningResult(session, true);
    }
    return finishedResult(session, ctx.signal.aborted);
  } finally {
    clearTimeout(yieldTimer);
    if (pending) clearTimeout(pending);
    unsubscribe();
    ctx.signal.removeEventListener("abort", onAbort);
  }
}
