/**
 * `openclaw devices list|approve|reject|remove` and `openclaw nodes
 * list|describe|invoke|pending|approve|reject`: device pairing and nodes on
 * the running gateway. `devices approve` lets a device connect at all;
 * `nodes approve` makes a connected node's commands invokable.
 *
 * @module
 */

import type { Command } from "commander";
import type { Static } from "@sinclair/typebox";

import type { DevicePaired, DevicePairListResult } from "../../protocol/schemas/device.ts";
import type { NodeInfo, NodePairPending } from "../../protocol/schemas/node.ts";

import { allFlags, type CliContext, CliError } from "./context.ts";
import { addTargetOptions, type ClientFlags, parseTimeout, withClient } from "./rpc.ts";
import { printable, printableJson } from "./printable.ts";

// The answers' shapes come from the protocol registry, so a schema change is a type error here.
type PairList = Static<typeof DevicePairListResult>;
type Paired = Static<typeof DevicePaired>;
type NodePending = Static<typeof NodePairPending>;

const short = (id: string) => id.slice(0, 12);

/** `devices list` as text: pending requests first (they need action), then paired devices. */
function formatDevices(a: PairList, now = Date.now()): string {
  const lines: string[] = [];
  if (a.pending.length) {
    lines.push(
      `Pending (${a.pending.length}) — approve with "openclaw devices approve <requestId>":`,
    );
    for (const p of a.pending) {
      lines.push(
        `  ${p.requestId}  ${short(p.deviceId)}  ${p.displayName ?? p.clientId}  ${p.platform}  ` +
          `role ${p.role}${p.scopes.length ? ` [${p.scopes.join(",")}]` : ""}  ${
            Math.round((now - p.ts) / 1000)
          }s ago`,
      );
    }
  }
  lines.push(`Paired (${a.paired.length}):`);
  for (const d of a.paired) {
    lines.push(
      `  ${short(d.deviceId)}  ${d.displayName ?? d.clientId}  ${d.platform}  roles ${
        d.roles.join(",")
      }  via ${d.approvedVia}  ${d.connected ? "connected" : "offline"}`,
    );
  }
  return lines.join("\n");
}

/** `nodes list` as text. */
function formatNodes(nodes: NodeInfo[]): string {
  if (!nodes.length) {
    return 'No nodes (a node connects with role "node"; see "openclaw nodes pending")';
  }
  return nodes.map((n) =>
    `${n.connected ? "●" : "○"} ${short(n.nodeId)}  ${n.displayName ?? "-"}  ${
      n.platform ?? "-"
    }  ` +
    `${n.version ?? ""}  commands: ${n.commands.join(", ") || "(none)"}`
  ).join("\n");
}

function parseJson(text: string | undefined, flag: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`Invalid ${flag}: not JSON; example: ${flag} '{"title":"hi"}'`);
  }
}

type Ctx = (cmd: Command) => CliContext;

/** Registers an action that makes one call and prints its JSON (or `text`). */
function call<P>(
  context: Ctx,
  method: string,
  params: (args: string[], flags: ClientFlags & Record<string, string | undefined>) => P,
  text: (answer: unknown) => string,
) {
  return async (...argv: unknown[]) => {
    const cmd = argv[argv.length - 1] as Command;
    const args = argv.slice(0, -2).filter((a): a is string => typeof a === "string");
    const ctx = context(cmd);
    const flags = allFlags<ClientFlags & Record<string, string | undefined>>(cmd);
    const timeoutMs = parseTimeout(flags.timeout, 10_000);
    const answer = await withClient(
      ctx,
      flags,
      (c) => c.request(method, params(args, flags), { timeoutMs }),
    );
    // Names and output come from nodes: nothing they send may act on the terminal.
    ctx.io.out(
      flags.json ? printableJson(JSON.stringify(answer, null, 2)) : printable(text(answer)),
    );
  };
}

/** Registers `devices` and `nodes`. */
export function registerNodeCommands(program: Command, context: Ctx): void {
  const devices = program.command("devices").description("Device pairing and device tokens");
  addTargetOptions(devices.command("list").description("List pending and paired devices"))
    .action(call(context, "device.pair.list", () => ({}), (a) => formatDevices(a as PairList)));
  addTargetOptions(devices.command("approve <requestId>").description("Approve a pending device"))
    .action(call(context, "device.pair.approve", ([requestId]) => ({ requestId }), (a) => {
      const d = (a as { device: Paired }).device;
      return `Approved ${d.deviceId} (${d.displayName ?? d.clientId}, roles ${d.roles.join(",")})`;
    }));
  addTargetOptions(devices.command("reject <requestId>").description("Reject a pending device"))
    .action(
      call(
        context,
        "device.pair.reject",
        ([requestId]) => ({ requestId }),
        (a) => `Rejected ${(a as { deviceId: string }).deviceId}`,
      ),
    );
  addTargetOptions(
    devices.command("remove <deviceId>").description("Unpair a device and close its connections"),
  ).action(call(context, "device.pair.remove", ([deviceId]) => ({ deviceId }), () => "Removed"));

  const nodes = program.command("nodes").description("Nodes: devices that run commands");
  addTargetOptions(nodes.command("list").description("List connected and paired nodes"))
    .action(
      call(
        context,
        "node.list",
        () => ({}),
        (a) => formatNodes((a as { nodes: NodeInfo[] }).nodes),
      ),
    );
  addTargetOptions(nodes.command("describe <nodeId>").description("Show one node"))
    .action(
      call(
        context,
        "node.describe",
        ([nodeId]) => ({ nodeId }),
        (a) => printableJson(JSON.stringify(a, null, 2)),
      ),
    );
  addTargetOptions(
    nodes.command("invoke <nodeId> <command>").description("Run a command on a node"),
  )
    .option("--params <json>", "command params as JSON")
    .option("--invoke-timeout <ms>", "how long the node may take", "30000")
    .option("--idempotency-key <key>", "retry-safe key (default: random)")
    .action(call(context, "node.invoke", ([nodeId, command], flags) => ({
      nodeId,
      command,
      ...(flags.params !== undefined ? { params: parseJson(flags.params, "--params") } : {}),
      timeoutMs: parseTimeout(flags.invokeTimeout, 30_000),
      idempotencyKey: flags.idempotencyKey ?? crypto.randomUUID(),
    }), (a) => printableJson(JSON.stringify((a as { payload: unknown }).payload, null, 2))));
  addTargetOptions(nodes.command("pending").description("List nodes waiting for command approval"))
    .action(call(context, "node.pair.list", () => ({}), (a) => {
      const pending = (a as { pending: NodePending[] }).pending;
      if (!pending.length) return "No pending nodes";
      return pending.map((p) =>
        `${p.requestId}  ${short(p.nodeId)}  ${p.displayName ?? "-"}  ${p.platform ?? "-"}  ` +
        `commands: ${(p.commands ?? []).join(", ") || "(none)"}`
      ).join("\n");
    }));
  addTargetOptions(nodes.command("approve <requestId>").description("Approve a node's commands"))
    .action(call(context, "node.pair.approve", ([requestId]) => ({ requestId }), (a) => {
      const n = (a as { node: { nodeId: string; commands?: string[] } }).node;
      return `Approved node ${n.nodeId}: ${(n.commands ?? []).join(", ") || "(no commands)"}`;
    }));
  addTargetOptions(nodes.command("reject <requestId>").description("Reject a node's commands"))
    .action(
      call(
        context,
        "node.pair.reject",
        ([requestId]) => ({ requestId }),
        (a) => `Rejected node ${(a as { nodeId: string }).nodeId}`,
      ),
    );
}
