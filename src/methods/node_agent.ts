/**
 * The agent's `nodes` tool port over the same handlers operators call
 * (`node.list`, `node.describe`, `node.pair.*`) and the same invoker
 * (`node.invoke`), so policy, approval and broadcasts are identical; the
 * agent additionally receives the node's progress chunks.
 *
 * @module
 */

import type { NodesPort, NodeView } from "../agent/tools/nodes.ts";
import { nodePairingHandlers } from "./node_pairing.ts";
import { nodeHandlers, type NodeMethodDeps } from "./nodes.ts";

/** The rights the agent approves node surfaces with (see `approveScopes`). */
export const AGENT_APPROVE_SCOPES: readonly string[] = ["operator.pairing", "operator.write"];

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
    // The agent approves like an operator with write rights: ordinary
    // commands yes, `system.run` and the like (operator.admin) only by a
    // person, or a prompt could make code run on a node by itself.
    approve: (requestId) =>
      pair()["node.pair.approve"]({ requestId }, { scopes: AGENT_APPROVE_SCOPES }),
    reject: (requestId) => pair()["node.pair.reject"]({ requestId }),
    invoke: (req, opts) => deps().nodes.invoker.invoke(req, opts),
  };
}
