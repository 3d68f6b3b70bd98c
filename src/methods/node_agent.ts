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
    // The agent approves as before (any surface); see the qa-nodes report.
    approve: (requestId) =>
      pair()["node.pair.approve"]({ requestId }, { scopes: ["operator.admin"] }),
    reject: (requestId) => pair()["node.pair.reject"]({ requestId }),
    invoke: (req, opts) => deps().nodes.invoker.invoke(req, opts),
  };
}
