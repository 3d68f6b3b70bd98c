/**
 * Adversarial: a node (any paired device can be one) calling every method
 * of the registry. Only `node` methods and `health` may answer; everything
 * an operator does is refused before its params are even looked at.
 */
import assert from "node:assert/strict";
import { METHODS } from "../../protocol/methods.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { connectSigned, DeviceKey, nodeParams } from "../_helpers/fake_node.ts";

Deno.test("a node is refused every operator method (unauthorized role: node)", async () => {
  await using gw = await startTestGateway();
  const { ws, res } = await connectSigned(gw.url, await DeviceKey.create(), nodeParams());
  await using _ws = ws;
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const served = new Set<string>(res.payload.features.methods);
  let checked = 0;
  for (const [method, def] of Object.entries(METHODS)) {
    if (!served.has(method) || def.scope === "node" || def.scope === "any") continue;
    const answer = await ws.request(method, {});
    assert.equal(answer.ok, false, method);
    assert.equal(answer.error?.message, "unauthorized role: node", method);
    checked++;
  }
  assert.ok(checked > 30, `only ${checked} operator methods checked`);
  assert.equal((await ws.request("health", {})).ok, true);
});
