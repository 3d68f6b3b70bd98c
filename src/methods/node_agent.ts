/**
 * The agent's `nodes` tool port over the same handlers operators call
 * (`node.list`, `node.describe`, `node.pair.*`) and the same invoker
 * (`node.invoke`), so policy, approval and broadcasts are identical; the
 * agent additionally receives the node's progress chunks.
 *
 * @module
 */

import type { NodesPort, NodeView } from "../agent/tools/nodes.ts";
import { requireInvokeScopes } from "../nodes/invoke_guard.ts";
import type { CallContext } from "../server/router.ts";
import { nodePairingHandlers } from "./node_pairing.ts";
import { nodeHandlers, type NodeMethodDeps } from "./nodes.ts";

/** The rights the agent approves node surfaces with (see `approveScopes`). */
export const AGENT_APPROVE_SCOPES: readonly string[] = ["operator.pairing", "operator.write"];

/**
 * Who the agent is when it approves or invokes: an operator with
 * `operator.write` only. It may approve a node's ordinary commands, but not
 * exec-like ones (`system.run`: `requiredApproveScopes` asks for admin), and
 * may not invoke the admin-only commands (node files, browser proxy): a
 * prompt-injected turn cannot grant itself a shell or files on a node.
 */
const AGENT_CALLER: CallContext = {
  connId: "agent",
  role: "operator",
  scopes: ["operator.read", ...AGENT_APPROVE_SCOPES],
  clientId: "agent",
  remoteIp: "127.0.0.1",
};

/**
 * Builds the port. `deps` is read on each call: the agent runtime is
 * composed before the nodes part exists, and calls only come during a run.
 *
 * @example
 * ```ts
 * createLazyAgent({ ..., nodes: agentNodesPort(() => ({ nodes, policy: nodesSettings })) });
 * ```
 */
export function agentNodesPort(deps: () => NodeMethodDeps): NodesPort {
  // Cheap closures: built per call so a swapped part is always the one used.
  const node = () => nodeHandlers(deps());
  const pair = () => nodePairingHandlers(deps().nodes.pairing);
  return {
    list: async () => {
      const { ts, nodes } = await node()["node.list"]();
      return { ts, nodes: nodes as NodeView[] };
    },
    describe: (nodeId) => node()["node.describe"]({ nodeId }),
    pairList: () => pair()["node.pair.list"](),
    approve: (requestId) => pair()["node.pair.approve"]({ requestId }, AGENT_CALLER),
    reject: (requestId) => pair()["node.pair.reject"]({ requestId }),
    // Only the scope check of the operators' guard: the agent's own exec
    // approval (`exec host=node`, ask mode) legitimately sends `approved`.
    invoke: (req, opts) => {
      requireInvokeScopes(req.command, AGENT_CALLER.scopes);
      return deps().nodes.invoker.invoke(req, opts);
    },
  };
}
