/**
 * Adversarial: a prompt-injected agent approving node surfaces through its
 * own `nodes` tool. It may approve ordinary commands (as an operator with
 * `operator.write` may), but not `system.run` and the other commands whose
 * approval takes `operator.admin`: that stays with a person.
 */
import assert from "node:assert/strict";
import { agentNodesPort } from "../../src/methods/node_agent.ts";
import type { Nodes } from "../../src/nodes/mod.ts";
import { NodePairing } from "../../src/nodes/node_pairing.ts";

Deno.test("agentNodesPort().approve() approves ordinary commands but not system.run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pairing = new NodePairing({ dir, requested: () => {}, resolved: () => {} });
    const port = agentNodesPort(() => ({
      nodes: { pairing } as unknown as Nodes,
      policy: () => ({}),
    }));
    const run = await pairing.request("node-a", { commands: ["system.notify", "system.run"] });
    await assert.rejects(
      () => port.approve(run.request.requestId),
      /missing scope: operator\.admin/,
    );
    assert.equal(pairing.approvedCommands("node-a"), undefined);
    const plain = await pairing.request("node-b", { commands: ["system.notify"] });
    await port.approve(plain.request.requestId);
    assert.deepEqual(pairing.approvedCommands("node-b"), ["system.notify"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
