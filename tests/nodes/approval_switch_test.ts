/**
 * Adversarial: a device or node that widens what it asks for while its
 * request waits must not have the wider ask approved under the request id
 * the operator saw (bait and switch).
 */
import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";

const OPERATOR = { scopes: ["operator.admin", "operator.pairing"] };

/** Operator connect params for a device asking for `scopes`. */
function operatorParams(scopes: string[]): Record<string, unknown> {
  return nodeParams({
    client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
    role: "operator",
    scopes,
    caps: [],
    commands: [],
  });
}

Deno.test("device.pair.approve of the request an operator saw never grants scopes asked for later", async () => {
  const sw = { on: false };
  const tweak = (s: GatewaySettings): GatewaySettings => ({
    ...s,
    peerAddress: (ip) => (sw.on ? "192.0.2.7" : ip),
  });
  await using gw = await startTestGateway({ tweak });
  await using op = await RawWs.connect(gw.url, OPERATOR);
  sw.on = true;
  const key = await DeviceKey.create();
  const first = await connectSigned(gw.url, key, operatorParams(["operator.read"]));
  await using _first = first.ws;
  assert.equal(first.res.error?.code, "NOT_PAIRED");
  const seen = await op.nextEvent("device.pair.requested");
  assert.deepEqual(seen.payload.scopes, ["operator.read"]);

  // The same device asks again, for admin, before the operator decides.
  const second = await connectSigned(gw.url, key, operatorParams(["operator.admin"]));
  await using _second = second.ws;
  assert.equal(second.res.error?.code, "NOT_PAIRED");
  const secondId = (second.res.error!.details as { requestId: string }).requestId;
  assert.notEqual(secondId, seen.payload.requestId, "a wider ask gets a new request id");
  const wider = await op.nextEvent("device.pair.requested");
  assert.equal(wider.payload.requestId, secondId);
  assert.deepEqual(wider.payload.scopes, ["operator.admin"]);

  // The operator approves what it saw: that request is gone, nothing is granted.
  const approved = await op.request("device.pair.approve", { requestId: seen.payload.requestId });
  assert.equal(approved.ok, false);
  const list = (await op.request("device.pair.list", {})).payload;
  assert.deepEqual(list.paired, []);
  assert.deepEqual(list.pending.map((p: { requestId: string }) => p.requestId), [secondId]);
  const admin = await connectSigned(gw.url, key, operatorParams(["operator.admin"]));
  await using _admin = admin.ws;
  assert.equal(admin.res.ok, false);
});

Deno.test("device pairing: asking again for the same or fewer scopes keeps the request id", async () => {
  const sw = { on: false };
  const tweak = (s: GatewaySettings): GatewaySettings => ({
    ...s,
    peerAddress: (ip) => (sw.on ? "192.0.2.7" : ip),
  });
  await using gw = await startTestGateway({ tweak });
  await using op = await RawWs.connect(gw.url, OPERATOR);
  sw.on = true;
  const key = await DeviceKey.create();
  const ids: string[] = [];
  for (const scopes of [["operator.read", "operator.write"], ["operator.read"]]) {
    const { ws, res } = await connectSigned(gw.url, key, operatorParams(scopes));
    await using _ws = ws;
    ids.push((res.error!.details as { requestId: string }).requestId);
  }
  assert.equal(ids[0], ids[1]);
  assert.equal(op.events("device.pair.requested").length, 1);
  const pending = (await op.request("device.pair.list", {})).payload.pending;
  assert.deepEqual(pending[0].scopes, ["operator.read", "operator.write"]);
});

Deno.test("node.pair.approve of the request an operator saw never approves commands declared later", async () => {
  const allow = (s: GatewaySettings): GatewaySettings => ({
    ...s,
    nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] },
  });
  await using gw = await startTestGateway({ tweak: allow });
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const quiet = () => undefined;
  const narrow = await FakeNode.connect(
    gw.url,
    key,
    quiet,
    nodeParams({ commands: ["system.notify"] }),
  );
  const seen = await op.nextEvent("node.pair.requested");
  assert.deepEqual(seen.payload.commands, ["system.notify"]);
  await narrow.close();
  // Reconnect declaring more (and the canvas cap) while the request waits.
  const wide = await FakeNode.connect(
    gw.url,
    key,
    quiet,
    nodeParams({ commands: ["system.notify", "fake.echo"], caps: ["canvas", "system"] }),
  );
  const asked = await op.next((f) =>
    f.event === "node.pair.requested" && f.payload.requestId !== seen.payload.requestId
  );
  assert.deepEqual(asked.payload.commands, ["fake.echo", "system.notify"]);
  const approved = await op.request("node.pair.approve", { requestId: seen.payload.requestId });
  assert.equal(approved.ok, false, "the request the operator saw was superseded");
  const invoked = await op.request("node.invoke", {
    nodeId: key.id,
    command: "fake.echo",
    idempotencyKey: "switch-1",
  });
  assert.equal(invoked.ok, false);
  const refresh = await wide.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(refresh.ok, false, "no canvas capability without approval of the canvas cap");
  await wide.close();
});

Deno.test("a node declaring a new cap after approval asks again; approving it turns the cap on", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const quiet = () => undefined;
  const plain = await FakeNode.connect(gw.url, key, quiet, nodeParams({ caps: ["system"] }));
  const first = await op.nextEvent("node.pair.requested");
  assert.equal(
    (await op.request("node.pair.approve", { requestId: first.payload.requestId })).ok,
    true,
  );
  await plain.close();
  const canvas = await FakeNode.connect(
    gw.url,
    key,
    quiet,
    nodeParams({ caps: ["canvas", "system"] }),
  );
  const again = await op.next((f) =>
    f.event === "node.pair.requested" && f.payload.requestId !== first.payload.requestId
  );
  assert.deepEqual(again.payload.caps, ["canvas", "system"]);
  const before = await canvas.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(before.ok, false);
  assert.equal(
    (await op.request("node.pair.approve", { requestId: again.payload.requestId })).ok,
    true,
  );
  const after = await canvas.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(after.ok, true, JSON.stringify(after.error));
  await canvas.close();
});
