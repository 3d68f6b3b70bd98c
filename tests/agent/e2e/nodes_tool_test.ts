import assert from "node:assert/strict";
import { RawWs } from "../../_helpers/raw_ws.ts";
import { TEST_TOKEN } from "../../_helpers/gateway.ts";
import { DeviceKey, FakeNode, nodeParams } from "../../_helpers/fake_node.ts";
import { type AgentFixture, ALL_SCOPES, idem, startAgentGateway } from "./_agent_gateway.ts";
import { approvedNode, toolTurn } from "./_node_turns.ts";

/** A gateway whose node policy allows `fake.echo`, plus `extra` config. */
function start(extra: Record<string, unknown> = {}) {
  return startAgentGateway({
    extra: {
      gateway: {
        mode: "local",
        auth: { token: TEST_TOKEN },
        nodes: { allowCommands: ["fake.echo"] },
      },
      ...extra,
    },
  });
}

const nodesTurn = (fx: AgentFixture, ws: RawWs, args: unknown) => toolTurn(fx, ws, "nodes", args);

Deno.test("nodes tool: status lists the node, invoke streams progress and returns the payload", async () => {
  await using fx = await start();
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES, caps: ["tool-events"] });
  const self: { node?: FakeNode } = {};
  const node = await approvedNode(fx, op, async (req) => {
    const me = self.node!;
    for (const [seq, chunk] of ["step one\n", "step two\n"].entries()) {
      await me.ws.request("node.invoke.progress", {
        invokeId: req.id,
        nodeId: me.nodeId,
        seq,
        chunk,
      });
    }
    return { ok: true, payload: { echoed: req.params, command: req.command } };
  });
  self.node = node;

  const status = await nodesTurn(fx, op, { action: "status" });
  assert.match(status.text, new RegExp(node.nodeId));
  assert.match(status.text, /"connected": true/);

  const inv = await nodesTurn(fx, op, {
    action: "invoke",
    node: "fake-node",
    invokeCommand: "fake.echo",
    invokeParamsJson: '{"a":1}',
  });
  assert.match(inv.text, /"echoed": \{\s*"a": 1\s*\}/);
  assert.equal(node.requests.at(-1)?.payload.paramsJSON, '{"a":1}');
  const updates = op.events("agent").filter((f) =>
    f.payload.runId === inv.key && f.payload.stream === "tool" && f.payload.data.phase === "update"
  ).map((f) => f.payload.data.partialResult.content[0].text);
  assert.deepEqual(updates, ["step one\n", "step one\nstep two\n"]);
  await node.close();
});

Deno.test("nodes tool: the command policy applies and system.run is not a raw invoke", async () => {
  await using fx = await start();
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const node = await approvedNode(fx, op, () => ({ ok: true, payload: {} }));
  const denied = await nodesTurn(fx, op, {
    action: "invoke",
    node: node.nodeId,
    invokeCommand: "camera.snap",
  });
  assert.match(denied.text, /nodes invoke failed: node command not allowed: "camera\.snap"/);
  const run = await nodesTurn(fx, op, {
    action: "invoke",
    node: node.nodeId,
    invokeCommand: "system.run",
    invokeParamsJson: '{"command":["id"]}',
  });
  assert.match(run.text, /does not send "system\.run"/);
  const unknown = await nodesTurn(fx, op, { action: "notify", node: "nobody", title: "x" });
  assert.match(unknown.text, /Unknown node "nobody"/);
  assert.equal(node.requests.length, 0, "nothing reached the node");
  await node.close();
});

Deno.test("nodes tool: tools.deny group:nodes keeps it from the model", async () => {
  await using fx = await start({ tools: { deny: ["group:nodes"] } });
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("plain");
  await op.request("chat.send", { sessionKey: "main", message: "hello", idempotencyKey: key });
  await op.next(
    (f) => f.event === "chat" && f.payload.runId === key && f.payload.state === "final",
    15_000,
  );
  const names = (fx.provider.chatRequests()[0].body.tools ?? []).map((
    t: { function: { name: string } },
  ) => t.function.name);
  assert.ok(names.includes("read"), "other tools are still offered");
  assert.ok(!names.includes("nodes"));
});

Deno.test("nodes tool: offered by default (profile full)", async () => {
  await using fx = await start();
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("plain");
  await op.request("chat.send", { sessionKey: "main", message: "hello", idempotencyKey: key });
  await op.next(
    (f) => f.event === "chat" && f.payload.runId === key && f.payload.state === "final",
    15_000,
  );
  const tools = fx.provider.chatRequests()[0].body.tools as { function: { name: string } }[];
  assert.ok(tools.some((t) => t.function.name === "nodes"));
});

Deno.test("nodes tool: the agent cannot approve a node's exec commands or invoke admin-only ones", async () => {
  await using fx = await start();
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  // The real node host's connect: a Linux desktop host declaring system.run / fs.listDir.
  const fixture = JSON.parse(
    await Deno.readTextFile(
      new URL("../../nodes/fixtures/node_host_2026_9_6.json", import.meta.url),
    ),
  ) as { connect: Record<string, unknown> };
  const node = await FakeNode.connect(
    fx.gw.url,
    await DeviceKey.create(),
    () => ({ ok: true, payload: {} }),
    nodeParams(structuredClone(fixture.connect)),
  );
  const asked = await op.next(
    (f) => f.event === "node.pair.requested" && f.payload.nodeId === node.nodeId,
  );
  const approve = await nodesTurn(fx, op, {
    action: "approve",
    requestId: asked.payload.requestId,
  });
  assert.match(approve.text, /operator\.admin/);
  const pending = await op.request("node.pair.list", {});
  assert.ok(
    pending.payload.pending.some((p: { requestId: string }) =>
      p.requestId === asked.payload.requestId
    ),
    "the request is still waiting for an operator",
  );
  // An operator approves; the agent still may not reach the node's files.
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  const files = await nodesTurn(fx, op, {
    action: "invoke",
    node: node.nodeId,
    invokeCommand: "fs.listDir",
    invokeParamsJson: '{"path":"/"}',
  });
  assert.match(files.text, /operator\.admin/);
  assert.equal(node.requests.length, 0);
  await node.close();
});
