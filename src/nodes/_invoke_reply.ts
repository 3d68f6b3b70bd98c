/**
 * What a node's `node.invoke.result` means for the caller: the outcome of a
 * success (payload parsed from `payloadJSON` when sent), or the typed error
 * of a failure, after a foreground-only command of a backgrounded iOS node
 * is queued for when it returns. Private to `invoke.ts`.
 *
 * @module
 */

import type { NodeInvokeParams, NodeInvokeResultParams } from "../../protocol/schemas/node.ts";
import { invalidRequest } from "../errors.ts";
import {
  type PendingActions,
  queuedUntilForeground,
  shouldQueueForForeground,
} from "./pending_actions.ts";
import { nodeError } from "./_invoke_admit.ts";

/** The node's answer as `node.invoke` returns it (a failure throws). */
export function replyOutcome(
  reply: NodeInvokeResultParams,
  sent: {
    params: NodeInvokeParams;
    paramsJSON: string | null;
    node: { nodeId: string; platform?: string };
    actions?: PendingActions;
  },
): { ok: true; nodeId: string; command: string; payload: unknown; payloadJSON: string | null } {
  const { params, node, actions } = sent;
  if (!reply.ok) {
    const code = reply.error?.code ?? "NODE_ERROR";
    const message = reply.error?.message ?? "node command failed";
    if (actions && shouldQueueForForeground(node.platform, params.command, reply.error)) {
      const queued = actions.enqueue({
        nodeId: node.nodeId,
        command: params.command,
        paramsJSON: sent.paramsJSON,
        idempotencyKey: params.idempotencyKey,
      });
      throw queuedUntilForeground(queued, { code, message });
    }
    throw invalidRequest(message, nodeError(code, message, true, { code }));
  }
  let payload = reply.payload ?? null;
  const payloadJSON = typeof reply.payloadJSON === "string" ? reply.payloadJSON : null;
  if (payloadJSON !== null) {
    try {
      payload = JSON.parse(payloadJSON);
    } catch {
      payload = null;
    }
  }
  return { ok: true, nodeId: node.nodeId, command: params.command, payload, payloadJSON };
}
