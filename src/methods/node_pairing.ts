/**
 * `node.pair.*` handlers (the runbook's legacy node pairing; the handshake
 * is gated by device pairing, see `devices.ts`).
 *
 * @module
 */

import { invalidRequest } from "../errors.ts";
import { nodePairedView, type NodePairFields, type NodePairing } from "../nodes/node_pairing.ts";
import { hasScope } from "../server/scopes.ts";

/** Commands whose approval takes `operator.admin` (spec nodes-canvas §4.4): they run code or read files. */
function adminCommand(command: string): boolean {
  return command === "system.run" || command === "system.run.prepare" ||
    command === "system.which" || command === "fs.listDir" ||
    command.startsWith("browser.proxy") || command.startsWith("system.execApprovals.");
}

/**
 * The scopes approving a surface of `commands` takes: `operator.pairing`
 * alone for none, `+operator.write` for ordinary ones, `+operator.admin`
 * for those that run code.
 */
export function approveScopes(commands: readonly string[]): string[] {
  if (commands.length === 0) return ["operator.pairing"];
  const scopes = ["operator.pairing", "operator.write"];
  return commands.some(adminCommand) ? [...scopes, "operator.admin"] : scopes;
}

/** Who approves: the caller's scopes (the agent's port passes its own). */
export interface ApproveCaller {
  scopes: readonly string[];
}

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
    "node.pair.approve": async (p: { requestId: string }, caller: ApproveCaller) => {
      const waiting = (await pairing.state()).pending[p.requestId];
      const missing = approveScopes(waiting?.commands ?? [])
        .filter((s) => !hasScope(caller.scopes, s));
      if (waiting && missing.length > 0) {
        throw invalidRequest(
          `missing scope: ${missing.join(", ")} (approving ${
            (waiting.commands ?? []).join(", ")
          } on node "${waiting.nodeId}" takes it)`,
          { requestId: p.requestId, requiredScopes: approveScopes(waiting.commands ?? []) },
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
