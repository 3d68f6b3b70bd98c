/**
 * Adversarial: a device an operator removed (a lost phone, a retired
 * server) comes back with the same key. Removal must take its node
 * approvals with it: re-pairing (silently, from loopback) must not bring
 * back its approved commands or its canvas capability.
 */
import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { FakeNode } from "../_helpers/fake_node.ts";
import { approvedCanvasNode, BASE, canvasNodeParams, helloCanvasUrl } from "./_canvas.ts";

Deno.test("device.pair.remove drops the node's approved commands and canvas cap; a re-paired key asks again", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const { op, key, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  assert.ok(helloCanvasUrl(hello), "approved node has a canvas URL");
  const requested = op.events("node.pair.requested").length;

  const removed = await op.request("device.pair.remove", { deviceId: key.id });
  assert.equal(removed.ok, true, JSON.stringify(removed.error));
  await node.ws.waitClosed();
  const paired = (await op.request("node.pair.list", {})).payload.paired;
  assert.deepEqual(paired.map((n: { nodeId: string }) => n.nodeId), []);

  // Same key, loopback: the device is paired again silently, its node surface is not.
  const back = await FakeNode.connect(gw.url, key, () => undefined, canvasNodeParams());
  await using _back = { [Symbol.asyncDispose]: () => back.close() };
  assert.equal(helloCanvasUrl(back.hello), undefined, "no canvas URL before a new approval");
  const refresh = await back.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(refresh.ok, false);
  const invoked = await op.request("node.invoke", {
    nodeId: key.id,
    command: "system.notify",
    idempotencyKey: "after-remove",
  });
  assert.equal(invoked.ok, false);
  assert.equal((invoked.error?.details as { code?: string }).code, "PAIRING_CHANGED");
  await op.next((f) => f.event === "node.pair.requested" && f.payload.nodeId === key.id);
  assert.equal(op.events("node.pair.requested").length, requested + 1);
});
