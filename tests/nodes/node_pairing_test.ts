import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

Deno.test("node.pair.request/list/approve/verify/reject: the runbook set over a real socket", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, {
    // Approving a surface with commands takes operator.write too (spec §4.4).
    scopes: ["operator.pairing", "operator.write"],
  });
  const req = await op.request("node.pair.request", {
    nodeId: "mac-1",
    displayName: "Mac",
    platform: "macos",
    commands: ["system.notify"],
  });
  assert.equal(req.ok, true, JSON.stringify(req.error));
  assert.equal(req.payload.status, "pending");
  assert.equal(req.payload.created, true);
  const requestId = req.payload.request.requestId;
  assert.equal((await op.nextEvent("node.pair.requested")).payload.requestId, requestId);
  const repeat = await op.request("node.pair.request", { nodeId: "mac-1" });
  assert.equal(repeat.payload.created, false);
  assert.equal(repeat.payload.request.requestId, requestId);
  assert.equal(
    JSON.stringify(repeat.payload).includes("token"),
    false,
    "a request never holds a token",
  );

  const approved = await op.request("node.pair.approve", { requestId });
  assert.equal(approved.ok, true, JSON.stringify(approved.error));
  const token = approved.payload.node.token as string;
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const resolved = await op.nextEvent("node.pair.resolved");
  assert.deepEqual(
    [resolved.payload.nodeId, resolved.payload.decision],
    ["mac-1", "approved"],
  );
  const list = (await op.request("node.pair.list", {})).payload;
  assert.deepEqual(list.pending, []);
  assert.equal(list.paired[0].nodeId, "mac-1");
  assert.equal(JSON.stringify(list).includes(token), false);
  const stateDir = gw.proc.instance.settings.paths.stateDir;
  assert.equal((await Deno.readTextFile(`${stateDir}/nodes/paired.json`)).includes(token), false);

  assert.equal((await op.request("node.pair.verify", { nodeId: "mac-1", token })).payload.ok, true);
  const bad = await op.request("node.pair.verify", { nodeId: "mac-1", token: "nope" });
  assert.deepEqual(bad.payload, { ok: false });

  const other = await op.request("node.pair.request", { nodeId: "pi-2" });
  const rejected = await op.request("node.pair.reject", {
    requestId: other.payload.request.requestId,
  });
  assert.deepEqual(rejected.payload, {
    requestId: other.payload.request.requestId,
    nodeId: "pi-2",
  });
  assert.equal((await op.request("node.pair.approve", { requestId: "gone" })).ok, false);
  // Read-only operators may not pair.
  await using reader = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  const denied = await reader.request("node.pair.list", {});
  assert.equal(denied.error?.message, "missing scope: operator.pairing");
});
