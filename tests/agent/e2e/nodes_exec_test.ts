import assert from "node:assert/strict";
import { RawWs } from "../../_helpers/raw_ws.ts";
import { TEST_TOKEN } from "../../_helpers/gateway.ts";
import { FakeNode, type InvokeScript } from "../../_helpers/fake_node.ts";
import { type AgentFixture, ALL_SCOPES, startAgentGateway } from "./_agent_gateway.ts";
import { approvedNode, toolTurn } from "./_node_turns.ts";

/** `system.run` allowed for nodes; `exec` settings from `exec`. */
function start(exec: Record<string, unknown> = {}, allow = ["system.run"]) {
  return startAgentGateway({
    extra: {
      gateway: { mode: "local", auth: { token: TEST_TOKEN }, nodes: { allowCommands: allow } },
      tools: { exec },
    },
  });
}

const execTurn = (fx: AgentFixture, ws: RawWs, args: unknown, onStart?: () => Promise<void>) =>
  toolTurn(fx, ws, "exec", args, onStart);

/** A node that "runs" the command: echoes rawCommand, streaming one progress chunk first. */
function runner(self: { node?: FakeNode }): InvokeScript {
  return async (req) => {
    const me = self.node!;
    const p = req.params as { rawCommand: string; command: string[] };
    await me.ws.request("node.invoke.progress", {
      invokeId: req.id,
      nodeId: me.nodeId,
      seq: 0,
      chunk: "partial\n",
    });
    return {
      ok: true,
      payload: {
        exitCode: 0,
        timedOut: false,
        success: true,
        stdout: `ran: ${p.rawCommand} via ${p.command.slice(0, 2).join(" ")}`,
        stderr: "",
      },
    };
  };
}

Deno.test("exec host=node runs system.run on the node and streams its progress", async () => {
  await using fx = await start();
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES, caps: ["tool-events"] });
  const self: { node?: FakeNode } = {};
  const node = self.node = await approvedNode(fx, op, runner(self));
  const { text, key } = await execTurn(fx, op, {
    command: "uname -a",
    host: "node",
    node: "fake-node",
    workdir: "/srv/app",
  });
  assert.equal(text, "ran: uname -a via /bin/sh -lc");
  const req = node.requests[0].payload;
  assert.equal(req.command, "system.run");
  const params = JSON.parse(req.paramsJSON);
  assert.deepEqual(params.command, ["/bin/sh", "-lc", "uname -a"]);
  assert.equal(params.cwd, "/srv/app", "the node's own workdir, not the gateway workspace");
  assert.equal(params.timeoutMs, 1_800_000);
  assert.equal(params.approved, undefined, "mode full asks nobody");
  const updates = op.events("agent").filter((f) =>
    f.payload.runId === key && f.payload.stream === "tool" && f.payload.data.phase === "update"
  );
  assert.equal(updates[0]?.payload.data.partialResult.content[0].text, "partial\n");
  await node.close();
});

Deno.test("exec host=node in ask mode waits for an operator; the request names the node", async () => {
  await using fx = await start({ mode: "ask" });
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const self: { node?: FakeNode } = {};
  const node = self.node = await approvedNode(fx, op, runner(self));
  const approved = await execTurn(fx, op, { command: "id", host: "node" }, async () => {
    const asked = await op.nextEvent("exec.approval.requested", 10_000);
    assert.equal(asked.payload.request.host, "node");
    assert.equal(asked.payload.request.nodeId, node.nodeId);
    assert.deepEqual(asked.payload.request.allowedDecisions, ["allow-once", "deny"]);
    const ok = await op.request("exec.approval.resolve", {
      id: asked.payload.id,
      decision: "allow-once",
    });
    assert.equal(ok.ok, true, JSON.stringify(ok.error));
  });
  assert.equal(approved.text, "ran: id via /bin/sh -lc");
  assert.equal(JSON.parse(node.requests[0].payload.paramsJSON).approvalDecision, "allow-once");

  const denied = await execTurn(fx, op, { command: "rm -rf /", host: "node" }, async () => {
    const asked = await op.next(
      (f) => f.event === "exec.approval.requested" && f.payload.request.command === "rm -rf /",
      10_000,
    );
    await op.request("exec.approval.resolve", { id: asked.payload.id, decision: "deny" });
  });
  assert.match(denied.text, /Exec denied.*Nothing ran on node/);
  assert.equal(node.requests.length, 1, "the denied command never reached the node");
  await node.close();
});

Deno.test("exec host=node: deny mode and the node command policy both refuse", async () => {
  await using fx = await start({ mode: "deny" });
  await using op = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const self: { node?: FakeNode } = {};
  const node = self.node = await approvedNode(fx, op, runner(self));
  const off = await execTurn(fx, op, { command: "id", host: "node" });
  assert.match(off.text, /tools\.exec\.mode is "deny"/);
  await node.close();

  await using fx2 = await start({}, []);
  await using op2 = await RawWs.connect(fx2.gw.url, { scopes: ALL_SCOPES });
  const self2: { node?: FakeNode } = {};
  const node2 = self2.node = await approvedNode(fx2, op2, runner(self2));
  const policy = await execTurn(fx2, op2, { command: "id", host: "node" });
  assert.match(policy.text, /exec on node ".*" failed: node command not allowed: "system\.run"/);
  assert.equal(node.requests.length + node2.requests.length, 0);
  await node2.close();
});
