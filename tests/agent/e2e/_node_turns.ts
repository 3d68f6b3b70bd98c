/**
 * Shared by the node tool tests: a fake node approved through a real
 * operator, and one `TOOLTEST:<tool>:<args>` turn that returns the tool result
 * the scripted model got back.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { RawWs, WireFrame } from "../../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, type InvokeScript } from "../../_helpers/fake_node.ts";
import { type AgentFixture, idem } from "./_agent_gateway.ts";

/** Connects a fake node and approves its request through `op`. */
export async function approvedNode(
  fx: AgentFixture,
  op: RawWs,
  script: InvokeScript,
  params?: Record<string, unknown>,
): Promise<FakeNode> {
  const node = await FakeNode.connect(fx.gw.url, await DeviceKey.create(), script, params);
  const asked = await op.next(
    (f) => f.event === "node.pair.requested" && f.payload.nodeId === node.nodeId,
  );
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  return node;
}

/** Runs one turn calling `tool` with `args`; `onStart` runs once the send is accepted. */
export async function toolTurn(
  fx: AgentFixture,
  ws: RawWs,
  tool: string,
  args: unknown,
  onStart?: () => Promise<void>,
): Promise<{ text: string; key: string }> {
  const key = idem(tool);
  const before = fx.provider.chatRequests().length;
  const sent = await ws.request("chat.send", {
    sessionKey: `${tool}-${key}`,
    message: `TOOLTEST:${tool}:${JSON.stringify(args)}`,
    idempotencyKey: key,
  });
  assert.equal(sent.ok, true, JSON.stringify(sent.error));
  await onStart?.();
  const end = await ws.next(
    (f: WireFrame) =>
      f.event === "chat" && f.payload.runId === key && f.payload.agentId !== undefined &&
      ["final", "aborted", "error"].includes(f.payload.state),
    15_000,
  );
  assert.equal(end.payload.state, "final", JSON.stringify(end.payload));
  const second = fx.provider.chatRequests()[before + 1];
  const toolMsg = second.body.messages.find((m: { role: string }) => m.role === "tool");
  return { text: String(toolMsg.content), key };
}
