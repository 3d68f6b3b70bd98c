/**
 * `node.pair.*` handlers (the runbook's legacy node pairing; the handshake
 * is gated by device pairing, see `devices.ts`).
 *
 * @module
 */

import { ErrorCodes } from "../../protocol/errors.ts";
import { GatewayError, invalidRequest } from "../errors.ts";
import { nodePairedView, type NodePairFields, type NodePairing } from "../nodes/node_pairing.ts";
import { approveScopes } from "../nodes/policy.ts";
import type { CallContext } from "../server/router.ts";
import { hasScope } from "../server/scopes.ts";

/** Builds the `node.pair.*` handlers over `pairing`. */
export function nodePairingHandlers(pairing: NodePairing) {
  const unknown = (requestId: string) =>
    invalidRequest(
      `unknown requestId "${requestId}": it may have expired (requests last 5 min; run "openclaw nodes pending")`,
      { requestId },
    );
  return {
    "node.pair.request": (p: NodePairFields & { nodeId: string; silent?: boolean }) => {
      const { nodeId, ...fields } = p;
      return pairing.request(nodeId, fields);
    },
    "node.pair.list": async () => {
      const state = await pairing.state();
      return {
        pending: Object.values(state.pending),
        paired: Object.values(state.paired).map(nodePairedView),
      };
    },
    "node.pair.approve": async (p: { requestId: string }, ctx: CallContext) => {
      // Approving exec-like commands lets the gateway run code on that machine:
      // it takes operator.admin, any other command operator.write (2026.9.6).
      const pending = (await pairing.state()).pending[p.requestId];
      const required = approveScopes(pending?.commands ?? []);
      const missing = required.find((s) => !hasScope(ctx.scopes, s));
      if (pending && missing) {
        throw new GatewayError(
          ErrorCodes.FORBIDDEN,
          `missing scope: ${missing} (approving ${(pending.commands ?? []).join(", ")} takes ${
            required.join(" + ")
          })`,
          { details: { missingScope: missing, requiredScopes: required } },
        );
      }
      const done = await pairing.approve(p.requestId);
      if (!done) throw unknown(p.requestId);
      return { requestId: p.requestId, node: { ...nodePairedView(done.node), token: done.token } };
    },
    "node.pair.reject": async (p: { requestId: string }) => {
      const req = await pairing.reject(p.requestId);
      if (!req) throw unknown(p.requestId);
      return { requestId: p.requestId, nodeId: req.nodeId };
    },
    "node.pair.verify": async (p: { nodeId: string; token: string }) => {
      const node = await pairing.verify(p.nodeId, p.token);
      return node ? { ok: true, node: nodePairedView(node) } : { ok: false };
    },
  };
}
