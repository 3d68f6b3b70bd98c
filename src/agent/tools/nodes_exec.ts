/**
 * `exec` with `host:"node"`: the shell command runs on a paired node as
 * `system.run` through the gateway's node invoker, so the node command
 * policy applies (`system.run` must be in the node's approved surface,
 * whose approval takes operator.admin, and not in `denyCommands`), and
 * `tools.exec.mode` applies before anything is sent: `deny` refuses, `ask`
 * asks an operator (`exec.approval.requested` with `host:"node"` and the
 * `nodeId`; allow-once or deny, as a node binary cannot be allowlisted from
 * here), `allowlist` refuses (the gateway cannot resolve a node's binaries),
 * `full` runs. Output the node streams with `node.invoke.progress` becomes
 * the call's running updates; the command blocks until it ends (no
 * backgrounding on a node).
 *
 * @module
 */

import type { ToolContext, ToolResult } from "../types.ts";
import type { ExecSettings } from "./config.ts";
import { type NodesPort, type NodeView, pickNode } from "./nodes.ts";
import { clip, errorResult, ToolFailure } from "./_util.ts";

/** Extra time the invoke waits beyond the command's own timeout (the node reports the timeout). */
const INVOKE_GRACE_MS = 10_000;
/** Output kept for running updates. */
const TAIL = 4000;

/** One `exec host=node` call. */
export interface NodeExecCall {
  command: string;
  node?: string;
  workdir?: string;
  env?: Record<string, string>;
  timeoutSeconds: number;
}

/** The argv a node runs for a shell command string. */
export function nodeShellArgv(platform: string | undefined, command: string): string[] {
  return (platform ?? "").toLowerCase().startsWith("win")
    ? ["cmd.exe", "/d", "/s", "/c", command]
    : ["/bin/sh", "-lc", command];
}

async function chooseNode(port: NodesPort, ref: string | undefined): Promise<NodeView> {
  const { nodes } = await port.list();
  if (ref?.trim()) return pickNode(nodes, ref);
  const live = nodes.filter((n) => n.connected);
  if (live.length === 1) return live[0];
  throw new ToolFailure(
    `exec host=node needs node: ${live.length} nodes are connected (use nodes action "status")`,
  );
}

/** Runs `call` on a node; never throws (errors become `isError` results). */
export async function execOnNode(
  call: NodeExecCall,
  ctx: ToolContext,
  deps: { nodes?: NodesPort; settings: ExecSettings },
): Promise<ToolResult> {
  const { nodes, settings } = deps;
  if (!nodes) {
    return errorResult(`exec host=node is not available: this gateway has no node plane`);
  }
  const node = await chooseNode(nodes, call.node);
  const base = { host: "node", nodeId: node.nodeId, mode: settings.mode };
  if (settings.mode === "deny") {
    return errorResult(
      `Exec is disabled (tools.exec.mode is "deny"): nothing ran on node "${node.nodeId}"`,
      { status: "denied", ...base },
    );
  }
  if (settings.mode === "allowlist") {
    return errorResult(
      `Exec refused on node "${node.nodeId}": tools.exec.mode "allowlist" cannot check a node's ` +
        `binaries from the gateway. Set tools.exec.mode to "ask" (operator approval) or "full"`,
      { status: "denied", ...base },
    );
  }
  let decision: string | undefined;
  if (settings.mode === "ask") {
    decision = await ctx.requestApproval({
      command: call.command,
      cwd: call.workdir ?? "",
      agentId: ctx.agentId,
      sessionKey: ctx.sessionKey,
      runId: ctx.runId,
      toolCallId: ctx.toolCallId,
      host: "node",
      nodeId: node.nodeId,
    });
    if (decision !== "allow-once" && decision !== "allow-always") {
      return errorResult(
        `Exec denied: an operator denied the command or the approval request expired. ` +
          `Nothing ran on node "${node.nodeId}": ${clip(call.command, 120)}`,
        { status: "denied", decision, ...base },
      );
    }
  }
  const platform = node.platform;
  const timeoutMs = call.timeoutSeconds > 0 ? call.timeoutSeconds * 1000 : undefined;
  let output = "";
  const startedAt = Date.now();
  let res: { payload: unknown };
  try {
    res = await nodes.invoke({
      nodeId: node.nodeId,
      command: "system.run",
      params: {
        command: nodeShellArgv(platform, call.command),
        rawCommand: call.command,
        ...(call.workdir ? { cwd: call.workdir } : {}),
        ...(call.env ? { env: call.env } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        agentId: ctx.agentId,
        sessionKey: ctx.sessionKey,
        runId: ctx.runId,
        ...(decision ? { approved: true, approvalDecision: decision } : {}),
      },
      // The node enforces the command's timeout; the invoke waits a little longer for its answer.
      timeoutMs: Math.min(
        (timeoutMs ?? 86_400_000) + INVOKE_GRACE_MS,
        86_400_000 + INVOKE_GRACE_MS,
      ),
      idempotencyKey: `${ctx.runId}:${ctx.toolCallId}`,
    }, {
      signal: ctx.signal,
      onProgress: (chunk) => {
        if (!chunk) return;
        output = (output + chunk).slice(-TAIL);
        ctx.onUpdate({
          content: [{ type: "text", text: output }],
          details: { status: "running", ...base },
        });
      },
    });
  } catch (err) {
    const e = err as { message?: string; details?: { code?: string } };
    const code = e.details?.code;
    return errorResult(
      `exec on node "${node.nodeId}" failed: ${e.message ?? String(err)}${
        code ? ` (${code})` : ""
      }`,
      { status: "failed", ...base, ...(code ? { code } : {}), error: e.details ?? null },
    );
  }
  return nodeRunResult(res.payload, { ...base, durationMs: Date.now() - startedAt });
}

/** The node's `system.run` answer as an exec result. */
export function nodeRunResult(payload: unknown, extra: Record<string, unknown>): ToolResult {
  const p = (payload ?? {}) as {
    exitCode?: number | null;
    timedOut?: boolean;
    success?: boolean;
    stdout?: string;
    stderr?: string;
    error?: string | null;
    truncated?: boolean;
  };
  const out = [p.stdout ?? "", p.stderr ?? ""].filter((s) => s.trim()).join("\n")
    .replace(/\s+$/, "");
  const details = {
    status: p.success ? "completed" : "failed",
    exitCode: p.exitCode ?? null,
    exitReason: p.timedOut ? "timeout" : "exit",
    aggregated: out.slice(-TAIL),
    ...(p.truncated ? { truncated: true } : {}),
    ...extra,
  };
  if (p.success) return { content: [{ type: "text", text: out || "(no output)" }], details };
  const why = p.timedOut
    ? "Command timed out on the node"
    : p.error
    ? `Command failed on the node: ${clip(p.error, 300)}`
    : `Command exited with code ${p.exitCode ?? "unknown"}`;
  return {
    content: [{ type: "text", text: out ? `${out}\n\n(${why})` : `(${why})` }],
    details,
    isError: true,
  };
}
