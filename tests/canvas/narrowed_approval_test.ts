/**
 * Adversarial: an operator takes the canvas away from a node that holds a
 * capability (an approval of a surface without `canvas`, or
 * `gateway.nodes.denyCommands` gaining `canvas.present`). The capability it
 * holds must stop working at once, not when the node reconnects.
 */
import assert from "node:assert/strict";
import { DeviceKey, FakeNode } from "../_helpers/fake_node.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import {
  freePort,
  reloadConfig,
  saveLikeEditor,
  startReloadGateway,
  waitUntil,
} from "../_helpers/reload.ts";
import { approvedCanvasNode, BASE, canvasNodeParams, get, helloCanvasUrl } from "./_canvas.ts";

/** The status of the canvas page read through capability URL `url`. */
async function pageStatus(url: string): Promise<number> {
  const u = new URL(url);
  return (await get(Number(u.port), `${u.pathname}/__openclaw__/canvas/`)).status;
}

Deno.test("node.pair.approve of a surface without canvas revokes the capability the node holds", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const { op, key, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  const url = helloCanvasUrl(hello)!;
  assert.equal(await pageStatus(url), 200, "the capability works before");

  // A narrower surface: the same node, its canvas cap gone.
  const asked = await op.request("node.pair.request", {
    nodeId: key.id,
    caps: ["system"],
    commands: ["system.notify"],
  });
  assert.equal(asked.ok, true, JSON.stringify(asked.error));
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.request.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));

  assert.equal(await pageStatus(url), 401, "the held capability is revoked");
  const refresh = await node.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(refresh.error?.code, "UNAVAILABLE", "and no new one");
});

Deno.test("gateway.nodes.denyCommands gaining canvas.present revokes held capabilities on reload", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const wsUrl = gw.proc.instance.url;
  await using op = await RawWs.connect(wsUrl, { scopes: ["operator.admin"] });
  const key = await DeviceKey.create();
  const first = await FakeNode.connect(wsUrl, key, () => undefined, canvasNodeParams());
  const asked = await op.nextEvent("node.pair.requested");
  assert.equal(
    (await op.request("node.pair.approve", { requestId: asked.payload.requestId })).ok,
    true,
  );
  await first.close();
  const node = await FakeNode.connect(wsUrl, key, () => undefined, canvasNodeParams());
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  const url = helloCanvasUrl(node.hello)!;
  assert.ok(url, "approved node has a canvas URL");
  assert.equal(await pageStatus(url), 200);

  await saveLikeEditor(
    gw.configPath,
    reloadConfig(port, { gateway: { nodes: { denyCommands: ["canvas.present"] } } }),
  );
  await waitUntil(
    async () => (await pageStatus(url)) === 401,
    "the capability to be revoked by the reload",
    5_000,
  );
  const refresh = await node.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(refresh.error?.code, "UNAVAILABLE");
});
