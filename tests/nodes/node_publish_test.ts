/**
 * What the real `openclaw node run` sends right after `hello-ok` (captured,
 * fixture `node_host_2026_9_6.json`) is answered the way that client
 * expects: `node.event`, `node.skills.update`, `node.pluginTools.update`
 * succeed; `node.runnerInventory.update` gets exactly `unknown method: ...`,
 * which the client files as "legacy gateway, skip" (dist
 * `classifyNodeMethodFailure`) instead of retrying.
 */

import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs, type WireFrame } from "../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";

const FIXTURE = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/node_host_2026_9_6.json", import.meta.url)),
) as {
  connect: Record<string, unknown>;
  afterHello: { method: string; params: unknown }[];
};

Deno.test("the real node host's after-hello calls get the answers it expects", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    () => undefined,
    nodeParams(structuredClone(FIXTURE.connect)),
  );
  try {
    const answers = new Map<string, WireFrame>();
    for (const call of FIXTURE.afterHello) {
      answers.set(call.method, await node.ws.request(call.method, call.params));
    }
    assert.deepEqual(answers.get("node.event")?.payload, {
      ok: true,
      event: "node.host.stats",
      handled: false,
      reason: "unsupported_event",
    });
    assert.deepEqual(answers.get("node.skills.update")?.payload, {
      nodeId: node.nodeId,
      skills: [],
    });
    assert.deepEqual(answers.get("node.pluginTools.update")?.payload, {
      nodeId: node.nodeId,
      tools: [],
    });
    const runner = answers.get("node.runnerInventory.update")!;
    assert.equal(runner.ok, false);
    assert.equal(runner.error?.code, "INVALID_REQUEST");
    assert.equal(runner.error?.message, "unknown method: node.runnerInventory.update");

    // A published tool shows in node.list; the next update replaces the list.
    const tool = {
      pluginId: "mcp",
      name: "lab_weather",
      description: "Weather at the lab",
      command: "mcp.tools.call.v1",
      mcp: { server: "lab", tool: "weather" },
    };
    const published = await node.ws.request("node.pluginTools.update", { tools: [tool] });
    assert.equal(published.ok, true, JSON.stringify(published.error));
    const listed = (await op.request("node.describe", { nodeId: node.nodeId })).payload;
    assert.deepEqual(listed.nodePluginTools, [tool]);
    await node.ws.request("node.pluginTools.update", { tools: [] });
    const cleared = (await op.request("node.describe", { nodeId: node.nodeId })).payload;
    assert.deepEqual(cleared.nodePluginTools, []);

    const flood = await node.ws.request("node.skills.update", {
      skills: Array.from({ length: 65 }, (_, i) => ({
        name: `s${i}`,
        description: "d",
        content: "c",
      })),
    });
    assert.equal(flood.error?.code, "INVALID_REQUEST", "at most 64 skills");
    const fromOperator = await op.request("node.skills.update", { skills: [] });
    assert.equal(fromOperator.error?.message, "unauthorized role: operator");
  } finally {
    await node.close();
  }
});
