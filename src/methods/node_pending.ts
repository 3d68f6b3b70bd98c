/**
 * The node's streaming and queue methods: `node.invoke.progress`,
 * `node.pending.pull|ack|drain` (called by the node, about itself), and the
 * operator's `node.pending.enqueue`.
 *
 * @module
 */

import type {
  NodeInvokeProgressParams,
  NodePendingEnqueueParams,
} from "../../protocol/schemas/node_pending.ts";
import { invalidRequest, unavailable } from "../errors.ts";
import type { Nodes } from "../nodes/mod.ts";
import { commandRefusal } from "../nodes/policy.ts";
import type { CallContext } from "../server/router.ts";
import type { NodeMethodDeps } from "./nodes.ts";

function pairingChanged(what: string) {
  return unavailable(`node pairing changed while ${what} was active`, {
    retryable: true,
    details: { code: "PAIRING_CHANGED" },
  });
}

/** The node registered on the calling connection, or a typed error. */
function callerNode(nodes: Nodes, ctx: CallContext, what: string) {
  const node = nodes.registry.list().find((n) => n.connId === ctx.connId);
  if (!node) throw pairingChanged(what);
  return node;
}

/** Builds the handlers. */
export function nodePendingHandlers(deps: NodeMethodDeps) {
  const { nodes } = deps;
  return {
    "node.invoke.progress": (p: NodeInvokeProgressParams, ctx: CallContext) => {
      const node = nodes.registry.list().find((n) => n.connId === ctx.connId);
      // A node may only speak for itself: another node's invoke is refused, not just ignored.
      if (node && node.nodeId !== p.nodeId) {
        throw invalidRequest(
          `nodeId mismatch: this connection is node "${node.nodeId}", not "${p.nodeId}"`,
          { nodeId: p.nodeId },
        );
      }
      return nodes.invoker.progress(p, ctx.connId);
    },
    "node.pending.pull": (_p: Record<string, never>, ctx: CallContext) => {
      const node = callerNode(nodes, ctx, "pending work");
      // Re-check against the policy now: an action allowed when queued may not be any more.
      const policy = deps.policy();
      const actions = nodes.actions.retain(
        node.nodeId,
        (a) => !commandRefusal(a.command, node, policy),
      );
      return {
        nodeId: node.nodeId,
        actions: actions.map((a) => ({
          id: a.id,
          command: a.command,
          paramsJSON: a.paramsJSON,
          enqueuedAtMs: a.enqueuedAtMs,
        })),
      };
    },
    "node.pending.ack": (p: { ids: string[] }, ctx: CallContext) => {
      const node = callerNode(nodes, ctx, "pending work");
      const ids = [...new Set(p.ids.map((id) => id.trim()).filter(Boolean))];
      const remaining = nodes.actions.ack(node.nodeId, ids);
      return { nodeId: node.nodeId, ackedIds: ids, remainingCount: remaining.length };
    },
    "node.pending.drain": (p: { maxItems?: number }, ctx: CallContext) => {
      const node = callerNode(nodes, ctx, "pending work");
      return { nodeId: node.nodeId, ...nodes.work.drain(node.nodeId, p.maxItems) };
    },
    "node.pending.enqueue": async (p: NodePendingEnqueueParams) => {
      const nodeId = p.nodeId.trim();
      // Only for nodes the gateway knows: a connected node or a paired node device.
      const paired = await nodes.devices.get(nodeId);
      if (!nodes.registry.get(nodeId) && !paired?.roles.includes("node")) {
        throw pairingChanged("pending work");
      }
      const queued = nodes.work.enqueue(nodeId, {
        type: p.type,
        ...(p.priority ? { priority: p.priority } : {}),
        ...(p.expiresInMs ? { expiresInMs: p.expiresInMs } : {}),
      });
      // No push transport: a node that is offline drains the work when it reconnects.
      return { nodeId, revision: queued.revision, queued: queued.item, wakeTriggered: false };
    },
  };
}
