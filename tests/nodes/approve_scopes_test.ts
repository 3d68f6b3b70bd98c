/**
 * Adversarial: an operator holding only `operator.pairing` (a pairing
 * kiosk, a scoped-down device) approving a node's surface. The spec's
 * approval scopes: commandless needs `operator.pairing`, ordinary commands
 * add `operator.write`, `system.run`/`system.which`/`fs.listDir`/... add
 * `operator.admin`. Otherwise a pairing-only client makes `system.run`
 * live for the agent.
 */
import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";

const allowRun = (s: GatewaySettings): GatewaySettings => ({
  ...s,
  nodes: { autoApproveLocal: true, allowCommands: ["system.run"] },
});

Deno.test("node.pair.approve needs operator.write for commands and operator.admin for system.run", async () => {
  await using gw = await startTestGateway({ tweak: allowRun });
  await using admin = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  await using pairer = await RawWs.connect(gw.url, { scopes: ["operator.pairing"] });
  await using writer = await RawWs.connect(gw.url, {
    scopes: ["operator.pairing", "operator.write"],
  });
  const quiet = () => undefined;

  // system.run in the surface: only an admin may approve it.
  const runner = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    quiet,
    nodeParams({ commands: ["system.notify", "system.run"] }),
  );
  const asked = await admin.next((f) =>
    f.event === "node.pair.requested" && f.payload.nodeId === runner.nodeId
  );
  assert.deepEqual(asked.payload.commands, ["system.notify", "system.run"]);
  const requestId = asked.payload.requestId;
  for (const op of [pairer, writer]) {
    const denied = await op.request("node.pair.approve", { requestId });
    assert.equal(denied.ok, false);
    assert.match(denied.error!.message, /missing scope: (operator\.write, )?operator\.admin \(/);
  }
  const still = (await admin.request("node.pair.list", {})).payload.pending;
  assert.ok(still.some((p: { requestId: string }) => p.requestId === requestId));
  assert.equal((await admin.request("node.pair.approve", { requestId })).ok, true);
  await runner.close();

  // Ordinary commands: operator.write besides operator.pairing.
  const notifier = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    quiet,
    nodeParams({ commands: ["system.notify"] }),
  );
  const ordinary = await admin.next((f) =>
    f.event === "node.pair.requested" && f.payload.nodeId === notifier.nodeId
  );
  const noWrite = await pairer.request("node.pair.approve", {
    requestId: ordinary.payload.requestId,
  });
  assert.match(noWrite.error?.message ?? "", /missing scope: operator\.write/);
  const ok = await writer.request("node.pair.approve", { requestId: ordinary.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  await notifier.close();

  // No commands at all: operator.pairing is enough.
  const bare = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    quiet,
    nodeParams({ commands: [] }),
  );
  const commandless = await admin.next((f) =>
    f.event === "node.pair.requested" && f.payload.nodeId === bare.nodeId
  );
  const fine = await pairer.request("node.pair.approve", {
    requestId: commandless.payload.requestId,
  });
  assert.equal(fine.ok, true, JSON.stringify(fine.error));
  await bare.close();
});
