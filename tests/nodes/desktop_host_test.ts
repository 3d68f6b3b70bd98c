/**
 * The real `openclaw node run` (2026.9.6) connect, replayed with a real key
 * over a real socket: its desktop host commands (`system.which`,
 * `system.run`, ...) must become invocable through node capability
 * approval, which takes operator.admin, as they do upstream.
 */

import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";
import { approveScopes, effectiveCommands, platformId } from "../../src/nodes/policy.ts";

const FIXTURE = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/node_host_2026_9_6.json", import.meta.url)),
) as { connect: Record<string, unknown> };

/** The real node host's connect params, with our token. */
const realNodeParams = () => nodeParams({ ...structuredClone(FIXTURE.connect) });

Deno.test("platformId() trusts a platform only with a matching device family", () => {
  assert.equal(platformId("linux", "Linux"), "linux");
  assert.equal(platformId("linux", "server"), "unknown");
  assert.equal(platformId("linux", undefined), "linux", "protocol-3 node hosts send no family");
  assert.equal(platformId("darwin", ""), "macos");
  assert.equal(platformId("linux", "server"), "unknown");
  assert.equal(platformId("macos", "Mac"), "macos");
  assert.equal(platformId("iOS 18.1", "iPhone"), "ios");
  assert.equal(platformId("android", ""), "android");
  assert.equal(platformId("", "Linux workstation"), "linux");
  assert.equal(platformId("darwin", "Mac"), "unknown", "a family given must match");
});

Deno.test("effectiveCommands() keeps the real node host's desktop host commands on linux only", () => {
  const node = {
    platform: "linux",
    deviceFamily: "Linux",
    commands: FIXTURE.connect.commands as string[],
  };
  assert.deepEqual(effectiveCommands(node, {}), [
    "browser.proxy",
    "browser.proxy.upload.v1",
    "desktop.stream",
    "fs.listDir",
    "mcp.tools.call.v1",
    "system.execApprovals.get",
    "system.execApprovals.set",
    "system.run",
    "system.run.prepare",
    "system.which",
    "terminal.upload",
  ]);
  // The captured fake node (deviceFamily "server") is "unknown": no exec commands,
  // but location.get passes, as the 2026.9.6 capture showed.
  assert.deepEqual(
    effectiveCommands({
      platform: "linux",
      deviceFamily: "server",
      commands: ["system.notify", "system.run", "system.which", "location.get", "canvas.present"],
    }, {}),
    ["location.get", "system.notify"],
  );
  assert.deepEqual(
    effectiveCommands(node, { denyCommands: ["system.run"] }).includes("system.run"),
    false,
  );
  assert.deepEqual(approveScopes(["system.which"]), ["operator.pairing", "operator.admin"]);
  assert.deepEqual(approveScopes(["system.notify"]), ["operator.pairing", "operator.write"]);
  assert.deepEqual(approveScopes([]), ["operator.pairing"]);
});

Deno.test("the real node host's system.which is approvable (operator.admin) and round-trips", async () => {
  await using gw = await startTestGateway();
  await using admin = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  await using writer = await RawWs.connect(gw.url, {
    scopes: ["operator.pairing", "operator.write"],
  });
  const node = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    (req) => ({ ok: true, payloadJSON: JSON.stringify({ bins: { sh: "/usr/bin/sh" }, req }) }),
    realNodeParams(),
  );
  try {
    const asked = await admin.nextEvent("node.pair.requested");
    assert.equal(asked.payload.nodeId, node.nodeId);
    assert.equal(asked.payload.clientId, "node-host");
    assert.equal(asked.payload.clientMode, "node");
    assert.equal(asked.payload.deviceFamily, "Linux");
    assert.ok(asked.payload.commands.includes("system.which"), JSON.stringify(asked.payload));
    assert.ok(asked.payload.commands.includes("system.run"));
    assert.equal(asked.payload.commands.includes("file.fetch"), false, "plugin commands dropped");
    assert.deepEqual(asked.payload.requiredApproveScopes, ["operator.pairing", "operator.admin"]);

    const before = await admin.request("node.invoke", {
      nodeId: node.nodeId,
      command: "system.which",
      params: { bins: ["sh"] },
      idempotencyKey: "w-0",
    });
    assert.equal(before.error?.details?.code, "PAIRING_CHANGED", "not live before approval");
    assert.equal(node.requests.length, 0);

    const forbidden = await writer.request("node.pair.approve", {
      requestId: asked.payload.requestId,
    });
    assert.equal(forbidden.error?.code, "FORBIDDEN");
    assert.match(forbidden.error!.message, /^missing scope: operator\.admin/);
    assert.deepEqual(forbidden.error?.details, {
      missingScope: "operator.admin",
      requiredScopes: ["operator.pairing", "operator.admin"],
    });

    const ok = await admin.request("node.pair.approve", { requestId: asked.payload.requestId });
    assert.equal(ok.ok, true, JSON.stringify(ok.error));
    const listed = (await admin.request("node.describe", { nodeId: node.nodeId })).payload;
    assert.equal(listed.approvalState, "approved");
    assert.ok(listed.commands.includes("system.which"));

    const res = await admin.request("node.invoke", {
      nodeId: node.nodeId,
      command: "system.which",
      params: { bins: ["sh"] },
      idempotencyKey: "w-1",
    });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.deepEqual(res.payload.payload.bins, { sh: "/usr/bin/sh" });
    assert.equal(typeof res.payload.payloadJSON, "string");
  } finally {
    await node.close();
  }
});

Deno.test("a node.invoke refused by gateway.nodes.denyCommands after a live config edit", async () => {
  const { freePort, reloadConfig, saveLikeEditor, startReloadGateway, waitUntil } = await import(
    "../_helpers/reload.ts"
  );
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  await using op = await RawWs.connect(gw.proc.instance.url, { scopes: ["operator.admin"] });
  const node = await FakeNode.connect(
    gw.proc.instance.url,
    await DeviceKey.create(),
    () => ({ ok: true, payload: { shown: true } }),
    realNodeParams(),
  );
  try {
    const asked = await op.nextEvent("node.pair.requested");
    const approved = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
    assert.equal(approved.ok, true, JSON.stringify(approved.error));
    let n = 0;
    const which = () =>
      op.request("node.invoke", {
        nodeId: node.nodeId,
        command: "system.which",
        idempotencyKey: `d-${++n}`,
      });
    assert.equal((await which()).ok, true);
    await saveLikeEditor(
      gw.configPath,
      reloadConfig(port, { gateway: { nodes: { denyCommands: ["system.which"] } } }),
    );
    // Read per command: no restart, no reconnect.
    const refused = await waitUntil(async () => {
      const r = await which();
      return r.ok ? undefined : r;
    }, "system.which to be refused");
    assert.match(refused.error!.message, /"system\.which" is in gateway\.nodes\.denyCommands/);
  } finally {
    await node.close();
  }
});

Deno.test("the real node host's restart: auth.deviceToken alone, signed, keeps its approved surface", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const key = await DeviceKey.create();
  const answer = () => ({ ok: true, payload: { bins: { sh: "/bin/sh" } } });
  const first = await FakeNode.connect(gw.url, key, answer, realNodeParams());
  const deviceToken = first.hello.payload.auth.deviceToken as string;
  const asked = await op.nextEvent("node.pair.requested");
  assert.equal(
    (await op.request("node.pair.approve", { requestId: asked.payload.requestId })).ok,
    true,
  );
  const pairedNow = (await op.request("node.pair.list", {})).payload.paired[0];
  assert.equal(typeof pairedNow.lastConnectedAtMs, "number", "the real CLI's 'Last Connect'");
  await first.close();
  const { waitUntil } = await import("../_helpers/reload.ts");
  await waitUntil(async () => {
    const p = (await op.request("node.pair.list", {})).payload.paired[0];
    return typeof p.lastDisconnectedAtMs === "number";
  }, "lastDisconnectedAtMs after the node closed");

  // What `openclaw node run` sends after a restart: no shared token, only
  // the stored device token, and that token in the signed payload.
  const second = await FakeNode.connect(gw.url, key, answer, {
    ...realNodeParams(),
    auth: { deviceToken },
  });
  try {
    assert.equal(second.hello.payload.auth.role, "node");
    const res = await op.request("node.invoke", {
      nodeId: key.id,
      command: "system.which",
      params: { bins: ["sh"] },
      idempotencyKey: "restart-1",
    });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal(op.events("node.pair.requested").length, 1, "no second approval needed");
  } finally {
    await second.close();
  }
  await assert.rejects(
    FakeNode.connect(gw.url, key, answer, {
      ...realNodeParams(),
      auth: { deviceToken: deviceToken.slice(0, -2) + "xx" },
    }),
    /node connect refused/,
  );
});

Deno.test("node.invoke guards desktop host commands: admin-only ones and system.run approval overrides", async () => {
  await using gw = await startTestGateway();
  await using admin = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  await using writer = await RawWs.connect(gw.url, { scopes: ["operator.write"] });
  const seen: unknown[] = [];
  const node = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    (req) => (seen.push(req.params), { ok: true, payload: { ran: req.command } }),
    realNodeParams(),
  );
  try {
    const asked = await admin.nextEvent("node.pair.requested");
    const approved = await admin.request("node.pair.approve", {
      requestId: asked.payload.requestId,
    });
    assert.equal(approved.ok, true, JSON.stringify(approved.error));
    let n = 0;
    const invoke = (op: RawWs, command: string, params?: unknown) =>
      op.request("node.invoke", {
        nodeId: node.nodeId,
        command,
        ...(params === undefined ? {} : { params }),
        idempotencyKey: `g-${++n}`,
      });

    const listDir = await invoke(writer, "fs.listDir", { path: "/" });
    assert.equal(listDir.error?.code, "FORBIDDEN");
    assert.match(listDir.error!.message, /^missing scope: operator\.admin/);
    assert.equal((await invoke(admin, "fs.listDir", { path: "/" })).ok, true);

    const override = await invoke(writer, "system.run", { command: ["id"], approved: true });
    assert.equal(override.error?.code, "INVALID_REQUEST");
    assert.equal(override.error?.details?.code, "APPROVALS_UNAVAILABLE");
    assert.equal(seen.length, 1, "neither refused call reached the node");

    const plain = await invoke(writer, "system.run", { command: ["id"], cwd: "/", extra: 1 });
    assert.equal(plain.ok, true, JSON.stringify(plain.error));
    assert.deepEqual(seen.at(-1), { command: ["id"], cwd: "/" }, "unknown fields dropped");
  } finally {
    await node.close();
  }
});
