/**
 * `openclaw devices …` and `openclaw nodes …` as real processes against an
 * in-process gateway with a fake node.
 */

import assert from "node:assert/strict";
import { cliEnv, startTestGateway, tempHome, TEST_TOKEN } from "../_helpers/gateway.ts";
import { runCliBounded } from "../_helpers/cli_e2e.ts";
import { connectSigned, DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";

const target = (url: string) => ["--url", url, "--token", TEST_TOKEN];

Deno.test("openclaw nodes pending/approve/list/invoke and devices list/remove drive pairing and invokes", async () => {
  let remote = true;
  await using gw = await startTestGateway({
    tweak: (s) => ({
      ...s,
      peerAddress: (ip) => (remote ? "192.0.2.9" : ip),
      nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] },
    }),
  });
  const { home, cleanup } = await tempHome();
  try {
    const env = cliEnv(home);
    const key = await DeviceKey.create();
    const first = await connectSigned(gw.url, key, nodeParams());
    await first.ws.close();
    const requestId = (first.res.error!.details as { requestId: string }).requestId;
    // The CLI has no device identity: it runs from loopback.
    remote = false;

    const [devicesText, devicesJson] = await Promise.all([
      runCliBounded(["devices", "list", ...target(gw.url)], env),
      runCliBounded(["devices", "list", "--json", ...target(gw.url)], env),
    ]);
    assert.equal(devicesText.code, 0, devicesText.stderr);
    assert.ok(devicesText.stdout.includes(requestId), devicesText.stdout);
    assert.equal(devicesJson.code, 0, devicesJson.stderr);
    assert.equal(JSON.parse(devicesJson.stdout).pending[0].deviceId, key.id);

    const approve = await runCliBounded(["devices", "approve", requestId, ...target(gw.url)], env);
    assert.equal(approve.code, 0, approve.stderr);
    assert.ok(approve.stdout.includes(key.id), approve.stdout);

    const node = await FakeNode.connect(gw.url, key, (req) => ({
      ok: true,
      payload: { echoed: req.params },
    }));
    // Its commands wait for "nodes approve".
    let pending = await runCliBounded(["nodes", "pending", ...target(gw.url)], env);
    for (let i = 0; i < 20 && !pending.stdout.includes("fake.echo"); i++) {
      await new Promise((r) => setTimeout(r, 100));
      pending = await runCliBounded(["nodes", "pending", ...target(gw.url)], env);
    }
    assert.equal(pending.code, 0, pending.stderr);
    const nodeRequest = pending.stdout.split(/\s+/)[0];
    assert.ok(pending.stdout.includes("fake.echo"), pending.stdout);
    const approveNode = await runCliBounded(
      ["nodes", "approve", nodeRequest, ...target(gw.url)],
      env,
    );
    assert.equal(approveNode.code, 0, approveNode.stderr);
    assert.ok(approveNode.stdout.includes("fake.echo"), approveNode.stdout);
    const [list, invoke, refused] = await Promise.all([
      runCliBounded(["nodes", "list", "--json", ...target(gw.url)], env),
      runCliBounded([
        "nodes",
        "invoke",
        key.id,
        "fake.echo",
        "--params",
        '{"title":"hi"}',
        ...target(gw.url),
      ], env),
      runCliBounded(["nodes", "invoke", key.id, "system.run", ...target(gw.url)], env),
    ]);
    assert.equal(list.code, 0, list.stderr);
    const nodes = JSON.parse(list.stdout).nodes;
    assert.equal(nodes[0].nodeId, key.id);
    assert.equal(nodes[0].connected, true);
    assert.equal(invoke.code, 0, invoke.stderr);
    assert.deepEqual(JSON.parse(invoke.stdout), { echoed: { title: "hi" } });
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes("node command not allowed"), refused.stderr);

    const removed = await runCliBounded(["devices", "remove", key.id, ...target(gw.url)], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await node.ws.waitClosed()).code, 1008);
  } finally {
    await cleanup();
  }
});
