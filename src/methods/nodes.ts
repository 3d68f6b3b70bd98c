/**
 * `node.*` handlers: list, describe, rename, invoke, and the node-side
 * `node.invoke.result` and `node.event`.
 *
 * @module
 */

import type {
  NodeEventParams,
  NodeInfo,
  NodeInvokeParams,
  NodeInvokeResultParams,
} from "../../protocol/schemas/node.ts";
import { invalidRequest } from "../errors.ts";
import type { Nodes } from "../nodes/mod.ts";
import { guardNodeInvoke } from "../nodes/invoke_guard.ts";
import { type CommandPolicySettings, effectiveCommands } from "../nodes/policy.ts";
import type { CallContext } from "../server/router.ts";

/** What the node handlers need. */
export interface NodeMethodDeps {
  nodes: Nodes;
  policy: () => CommandPolicySettings;
  now?: () => number;
}

/** Every known node: connected ones, then paired node devices that are offline. */
async function nodeInfos(deps: NodeMethodDeps): Promise<NodeInfo[]> {
  const { registry, devices, pairing } = deps.nodes;
  const state = await devices.state();
  await pairing.state();
  const out: NodeInfo[] = [];
  for (const n of registry.list()) {
    const paired = state.paired[n.nodeId];
    const surface = effectiveCommands(n, deps.policy());
    const approved = pairing.approvedCommands(n.nodeId);
    const pending = pairing.pendingFor(n.nodeId);
    out.push({
      nodeId: n.nodeId,
      ...(paired?.displayName ?? n.displayName
        ? { displayName: paired?.displayName ?? n.displayName }
        : {}),
      platform: n.platform,
      version: n.version,
      ...(n.deviceFamily ? { deviceFamily: n.deviceFamily } : {}),
      ...(n.modelIdentifier ? { modelIdentifier: n.modelIdentifier } : {}),
      remoteIp: n.remoteIp,
      clientId: n.clientId,
      clientMode: n.clientMode,
      ...(n.pathEnv ? { pathEnv: n.pathEnv } : {}),
      caps: n.caps,
      // Live commands: allowed by the policy and approved by an operator.
      commands: surface.filter((c) => approved?.includes(c)),
      ...(n.permissions ? { permissions: n.permissions } : {}),
      paired: paired !== undefined,
      connected: true,
      approvalState: approved && !pending ? "approved" : "pending-approval",
      ...(pending ? { pendingRequestId: pending.requestId, pendingDeclaredCommands: surface } : {}),
      connectedAtMs: n.connectedAtMs,
      nodePluginTools: n.pluginTools ?? [],
      ...(paired ? { approvedAtMs: paired.approvedAtMs } : {}),
      ...(paired?.lastSeenAtMs ? { lastSeenAtMs: paired.lastSeenAtMs } : {}),
      ...(paired?.lastSeenReason ? { lastSeenReason: paired.lastSeenReason } : {}),
    });
  }
  for (const d of Object.values(state.paired)) {
    if (!d.roles.includes("node") || registry.get(d.deviceId)) continue;
    out.push({
      nodeId: d.deviceId,
      ...(d.displayName ? { displayName: d.displayName } : {}),
      platform: d.platform,
      ...(d.deviceFamily ? { deviceFamily: d.deviceFamily } : {}),
      clientId: d.clientId,
      clientMode: d.clientMode,
      caps: [],
      commands: [],
      paired: true,
      connected: false,
      approvedAtMs: d.approvedAtMs,
      ...(d.lastSeenAtMs ? { lastSeenAtMs: d.lastSeenAtMs } : {}),
      ...(d.lastSeenReason ? { lastSeenReason: d.lastSeenReason } : {}),
    });
  }
  return out;
}

/** Builds the `node.*` handlers. */
export function nodeHandlers(deps: NodeMethodDeps) {
  const now = deps.now ?? Date.now;
  return {
    "node.list": async () => ({ ts: now(), nodes: await nodeInfos(deps) }),
    "node.describe": async (p: { nodeId: string }) => {
      const info = (await nodeInfos(deps)).find((n) => n.nodeId === p.nodeId);
      if (!info) {
        throw invalidRequest(`unknown nodeId "${p.nodeId}" (run "openclaw nodes list")`, {
          nodeId: p.nodeId,
        });
      }
      return { ts: now(), ...info };
    },
    "node.rename": async (p: { nodeId: string; displayName: string }) => {
      const connected = deps.nodes.registry.get(p.nodeId);
      const device = await deps.nodes.devices.get(p.nodeId);
      if (!connected && !device) {
        throw invalidRequest(`unknown nodeId "${p.nodeId}" (run "openclaw nodes list")`, {
          nodeId: p.nodeId,
        });
      }
      if (connected) connected.displayName = p.displayName;
      if (device) await deps.nodes.devices.rename(p.nodeId, p.displayName);
      return { nodeId: p.nodeId, displayName: p.displayName };
    },
    "node.invoke": (p: NodeInvokeParams, ctx: CallContext) =>
      deps.nodes.invoker.invoke(guardNodeInvoke(p, ctx.scopes)),
    "node.invoke.result": (p: NodeInvokeResultParams, ctx: CallContext) =>
      deps.nodes.invoker.result(p, ctx.connId),
    // No node event has a gateway-side action yet: say so, as 2026.9.6 does for unknown ones.
    "node.event": (p: NodeEventParams) => ({
      ok: true as const,
      event: p.event,
      handled: false,
      reason: "unsupported_event",
    }),
  };
}
