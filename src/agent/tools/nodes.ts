/**
 * `nodes {action, node?, ...}`: the agent's view of paired nodes (spec 5.1,
 * schema as captured by `tool_describe`): `status` (node.list), `describe`,
 * the pairing lifecycle (`pending`/`approve`/`reject`), and node commands
 * (`notify`, camera, screen, location, notifications, device, `which`,
 * generic `invoke`). Every command goes through the gateway's node invoker,
 * so the command policy (platform allowlist, `gateway.nodes.allowCommands`
 * / `denyCommands`, dangerous commands, per-node approval) applies exactly
 * as for an operator's `node.invoke`. The tool belongs to `group:nodes`.
 *
 * @module
 */

import type { Tool, ToolContext, ToolResult } from "../types.ts";
import {
  cameraClipCall,
  cameraSnapCalls,
  mediaPayload,
  type NodeCall,
  screenRecordCall,
  screenSnapshotCall,
  SIMPLE_ACTIONS,
} from "./_nodes_actions.ts";
import { NODES_TOOL_PARAMETERS } from "./_nodes_schema.ts";
import { resolveToolPath } from "./_paths.ts";
import { errorResult, guarded, optNumber, optString, reqString, ToolFailure } from "./_util.ts";

/** A node as `status` lists it (only the fields the tool reads are typed). */
export interface NodeView {
  nodeId: string;
  displayName?: string;
  remoteIp?: string;
  platform?: string;
  connected: boolean;
}

/** What the tool needs from the gateway's nodes part (wired by the composition). */
export interface NodesPort {
  list(): Promise<{ ts: number; nodes: NodeView[] }>;
  describe(nodeId: string): Promise<unknown>;
  pairList(): Promise<unknown>;
  approve(requestId: string): Promise<unknown>;
  reject(requestId: string): Promise<unknown>;
  /** `node.invoke` with progress for this caller; throws the gateway's typed errors. */
  invoke(
    req: {
      nodeId: string;
      command: string;
      params?: unknown;
      timeoutMs?: number;
      idempotencyKey: string;
    },
    opts: { onProgress?: (chunk: string) => void; signal?: AbortSignal },
  ): Promise<{ payload: unknown; payloadJSON: string | null }>;
}

/** Commands the generic `invoke` will not send: they run code and belong to exec's approval path. */
const EXEC_ONLY = [
  "system.run",
  "system.run.prepare",
  "system.execApprovals.get",
  "system.execApprovals.set",
];

/** Output kept for progress updates (the tail). */
const PROGRESS_KEEP = 16_000;

function json(value: unknown): ToolResult {
  const details = value && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : { value };
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], details };
}

/** Finds the node `ref` names: id, display name, IP, or a unique id prefix. */
export function pickNode(nodes: readonly NodeView[], ref: string): NodeView {
  const r = ref.trim();
  const lower = r.toLowerCase();
  const tiers = [
    nodes.filter((n) => n.nodeId === r),
    nodes.filter((n) => n.displayName?.toLowerCase() === lower),
    nodes.filter((n) => n.remoteIp === r),
    r.length >= 6 ? nodes.filter((n) => n.nodeId.startsWith(lower)) : [],
  ];
  for (const tier of tiers) {
    if (tier.length === 0) continue;
    const live = tier.filter((n) => n.connected);
    if (tier.length === 1 || live.length === 1) return live[0] ?? tier[0];
    throw new ToolFailure(
      `Node "${r}" is ambiguous: ${
        tier.map((n) => n.nodeId.slice(0, 12)).join(", ")
      }; pass the nodeId`,
    );
  }
  const known = nodes.map((n) => n.displayName ?? n.nodeId.slice(0, 12)).join(", ") || "none";
  throw new ToolFailure(
    `Unknown node "${r}" (known: ${known}): use action "status" to list nodes`,
  );
}

/** A failed gateway call as the model sees it: the gateway's message and code. */
function callFailure(what: string, err: unknown): ToolResult {
  if (err instanceof ToolFailure) return errorResult(err.message, err.details);
  const e = err as { message?: string; code?: string; details?: Record<string, unknown> };
  const code = (e.details?.code as string | undefined) ?? e.code;
  return errorResult(
    `nodes ${what} failed: ${e.message ?? String(err)}${code ? ` (${code})` : ""}`,
    { status: "error", ...(code ? { code } : {}), ...(e.details ? { error: e.details } : {}) },
  );
}

/** The `nodes` tool over `port`. */
export function createNodesTool(port: NodesPort): Tool {
  return {
    name: "nodes",
    description:
      "Paired nodes: status/list; pass node to describe/control. Pairing lifecycle (pending/approve/reject), notify, camera_snap/camera_list/camera_clip, camera_ptz, photos_latest, screen_snapshot, screen_record, location_get, notifications_list + notifications_action, device_status/device_info/device_permissions/device_health, executable lookup (which), generic invoke.",
    parameters: NODES_TOOL_PARAMETERS,
    title: (args) => `Nodes ${String(args.action ?? "")}${args.node ? ` on ${args.node}` : ""}`,
    execute: guarded(async (args, ctx) => {
      const action = reqString(args, "action", { max: 64 });
      const timeoutMs = optNumber(args, "timeoutMs", { min: 1, max: 600_000, integer: true });
      try {
        switch (action) {
          case "status":
            return json(await port.list());
          case "pending":
            return json(await port.pairList());
          case "approve":
            return json(await port.approve(reqString(args, "requestId", { max: 256 })));
          case "reject":
            return json(await port.reject(reqString(args, "requestId", { max: 256 })));
          case "describe":
            return json(await port.describe((await target(port, args)).nodeId));
        }
        const node = await target(port, args);
        const run = (call: NodeCall, t = timeoutMs) => invoke(port, node.nodeId, call, t, ctx);
        if (action === "invoke") return await genericInvoke(args, run);
        const simple = SIMPLE_ACTIONS[action];
        if (simple) {
          const out = await run(simple(args));
          return action === "notify" ? json({ ok: true }) : json(out.payload ?? {});
        }
        switch (action) {
          case "camera_snap":
            return await snaps(cameraSnapCalls(args), run);
          case "screen_snapshot":
            return await snaps([screenSnapshotCall(args)], run);
          case "camera_clip":
            return await saveMedia(cameraClipCall(args), run, args, ctx);
          case "screen_record":
            return await saveMedia(screenRecordCall(args), run, args, ctx);
        }
        throw new ToolFailure(`Unknown action "${action}": use status, describe, notify or invoke`);
      } catch (err) {
        return callFailure(action, err);
      }
    }),
  };
}

async function target(port: NodesPort, args: Record<string, unknown>): Promise<NodeView> {
  const ref = optString(args, "node", { max: 256 });
  if (!ref?.trim()) {
    throw new ToolFailure(`This action needs node: use action "status" to list nodes`);
  }
  return pickNode((await port.list()).nodes, ref);
}

type Run = (call: NodeCall, timeoutMs?: number) => Promise<{ payload: unknown }>;

function invoke(
  port: NodesPort,
  nodeId: string,
  call: NodeCall,
  timeoutMs: number | undefined,
  ctx: ToolContext,
) {
  let output = "";
  return port.invoke({
    nodeId,
    command: call.command,
    params: call.params,
    ...(timeoutMs ? { timeoutMs } : {}),
    idempotencyKey: crypto.randomUUID(),
  }, {
    signal: ctx.signal,
    onProgress: (chunk) => {
      if (!chunk) return;
      output = (output + chunk).slice(-PROGRESS_KEEP);
      ctx.onUpdate({
        content: [{ type: "text", text: output }],
        details: { status: "running", command: call.command },
      });
    },
  });
}

async function genericInvoke(args: Record<string, unknown>, run: Run): Promise<ToolResult> {
  const command = reqString(args, "invokeCommand", { max: 256 }).trim();
  if (EXEC_ONLY.includes(command)) {
    throw new ToolFailure(
      `nodes invoke does not send "${command}": run shell commands on a node with ` +
        `exec host="node" (it goes through tools.exec.mode and exec approval)`,
    );
  }
  const raw = optString(args, "invokeParamsJson", { max: 256_000 });
  let params: unknown = {};
  if (raw?.trim()) {
    try {
      params = JSON.parse(raw);
    } catch (err) {
      throw new ToolFailure(
        `Argument "invokeParamsJson" is not valid JSON: ${(err as Error).message}`,
      );
    }
  }
  const t = optNumber(args, "invokeTimeoutMs", { min: 1, max: 600_000, integer: true }) ??
    optNumber(args, "timeoutMs", { min: 1, max: 600_000, integer: true });
  const out = await run({ command, params: params as Record<string, unknown> }, t);
  return json({ ok: true, command, payload: out.payload ?? null });
}

async function snaps(calls: NodeCall[], run: Run): Promise<ToolResult> {
  const content: ToolResult["content"] = [];
  const shots: Record<string, unknown>[] = [];
  for (const call of calls) {
    const media = mediaPayload((await run(call)).payload, call.command);
    const format = media.format.toLowerCase();
    if (!["jpg", "jpeg", "png"].includes(format)) {
      throw new ToolFailure(`Unsupported ${call.command} format "${media.format}" (jpg or png)`);
    }
    const facing = call.params.facing as string | undefined;
    content.push({ type: "text", text: `${call.command}${facing ? ` (${facing})` : ""}` });
    content.push({
      type: "image",
      data: media.base64.replace(/\s+/g, ""),
      mimeType: format === "png" ? "image/png" : "image/jpeg",
    });
    shots.push({ ...(facing ? { facing } : {}), width: media.width, height: media.height, format });
  }
  return { content, details: { images: shots } };
}

async function saveMedia(
  call: NodeCall,
  run: Run,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const media = mediaPayload((await run(call)).payload, call.command);
  const ext = /^[a-z0-9]{1,8}$/i.test(media.format) ? media.format.toLowerCase() : "bin";
  const out = optString(args, "outPath", { max: 4096 });
  const path = out?.trim()
    ? await resolveToolPath(out.trim(), { workspace: ctx.workspace, workspaceOnly: true })
    : await Deno.makeTempFile({
      prefix: `openclaw-${call.command.replace(".", "-")}-`,
      suffix: `.${ext}`,
    });
  const bytes = Uint8Array.from(atob(media.base64.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  await Deno.writeFile(path, bytes, { mode: 0o600 });
  const { base64: _b, ...meta } = media;
  return { content: [{ type: "text", text: `FILE:${path}` }], details: { path, ...meta } };
}
