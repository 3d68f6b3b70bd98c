/**
 * The checks `node.invoke` runs before anything goes to a node: connected,
 * allowed by the command policy, approved for the node, and not flooding
 * it. Private to `invoke.ts`.
 *
 * @module
 */

import type { NodeInvokeParams } from "../../protocol/schemas/node.ts";
import { invalidRequest, unavailable } from "../errors.ts";
import { type CommandPolicySettings, commandRefusal } from "./policy.ts";
import type { ConnectedNode, NodeRegistry } from "./registry.ts";

/** Pending invokes per node: a flood of invokes to a stuck node is refused, not queued. */
export const MAX_PENDING_PER_NODE = 256;

/** `details` of a node failure as 2026.9.6 shapes them. */
export function nodeError(code: string, message: string, dispatched: boolean, extra = {}) {
  return { ...extra, nodeError: { code, message }, nodeCommandDispatched: dispatched };
}

/** The connected node `params` may be sent to, or the typed refusal. */
export function admit(
  params: NodeInvokeParams,
  deps: {
    nodes: NodeRegistry;
    policy: () => CommandPolicySettings;
    approved?: (nodeId: string) => readonly string[] | undefined;
  },
  pendingOnNode: number,
): ConnectedNode {
  const node = deps.nodes.get(params.nodeId);
  if (!node) {
    throw unavailable("node not connected", {
      details: nodeError("NOT_CONNECTED", "node not connected", false, { code: "NOT_CONNECTED" }),
    });
  }
  const refusal = commandRefusal(params.command, node, deps.policy());
  if (refusal) throw invalidRequest(refusal.message, refusal.details);
  const approved = deps.approved?.(node.nodeId) ?? (deps.approved ? [] : undefined);
  if (approved && !approved.includes(params.command)) {
    throw unavailable(
      `node "${node.nodeId}" is awaiting approval of "${params.command}" ` +
        '(run "openclaw nodes pending", then "openclaw nodes approve <requestId>")',
      {
        retryable: true,
        details: { code: "PAIRING_CHANGED", reason: "pending-approval", command: params.command },
      },
    );
  }
  if (pendingOnNode >= MAX_PENDING_PER_NODE) {
    throw unavailable(
      `node busy: ${pendingOnNode} invokes already pending on "${node.nodeId}" (retry later)`,
      { retryable: true, details: { code: "NODE_BUSY" } },
    );
  }
  return node;
}
