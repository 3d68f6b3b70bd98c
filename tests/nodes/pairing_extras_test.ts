/**
 * `gateway.nodes.pairing.autoApproveCidrs` (first-time node devices from a
 * trusted range pair without an operator; their commands still wait for
 * `node.pair.approve`) and `device.pair.rename`, over real sockets.
 */

import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, nodeParams } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";
import { inAnyCidr, parseAddress, parseCidr } from "../../src/nodes/cidr.ts";
import { NodePairing } from "../../src/nodes/node_pairing.ts";
import { resolveSettings, SettingsError } from "../../src/config/settings.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import type { GatewayConfig } from "../../src/config/schema.ts";

const OPERATOR = { scopes: ["operator.admin", "operator.pairing"] };

/** Every socket looks like it came from `ip`; nodes from 192.168.50.0/24 are trusted. */
function fromLan(ip: { value: string }) {
  return (s: GatewaySettings): GatewaySettings => ({
    ...s,
    peerAddress: (real) => (ip.value ? ip.value : real),
    nodes: { ...s.nodes!, autoApproveCidrs: ["192.168.50.0/24", "fd00:50::/64"] },
  });
}

Deno.test("parseCidr() and inAnyCidr() handle IPv4, IPv6, mapped IPv4 and junk", () => {
  assert.deepEqual(parseCidr("192.168.1.0/24")?.prefix, 24);
  assert.deepEqual(parseCidr("10.0.0.7")?.prefix, 32);
  assert.equal(parseCidr("fd7a:115c:a1e0::/48")?.bytes.length, 16);
  for (const bad of ["192.168.1.0/33", "300.1.1.1/8", "fd00::/129", "a/b", "1.2.3.4/8/9", ""]) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
  assert.deepEqual([...parseAddress("::ffff:192.168.50.9")!], [192, 168, 50, 9]);
  const ranges = ["192.168.50.0/24", "fd00:50::/64"];
  assert.equal(inAnyCidr("192.168.50.200", ranges), true);
  assert.equal(inAnyCidr("::ffff:192.168.50.1", ranges), true);
  assert.equal(inAnyCidr("192.168.51.1", ranges), false);
  assert.equal(inAnyCidr("fd00:50::1234", ranges), true);
  assert.equal(inAnyCidr("fd00:51::1", ranges), false);
  assert.equal(inAnyCidr("0.0.0.0", ["0.0.0.0/0"]), true);
});

Deno.test("resolveSettings() refuses a malformed autoApproveCidrs entry, naming it", () => {
  const config = {
    gateway: {
      mode: "local",
      auth: { token: TEST_TOKEN },
      nodes: { pairing: { autoApproveCidrs: ["192.168.1.0/24", "lan"] } },
    },
  };
  assert.throws(
    () =>
      resolveSettings(config as GatewayConfig, {
        env: {},
        paths: resolvePaths({}, { OPENCLAW_HOME: "/tmp/openclaw-cidr-test" }),
      }),
    (err: Error) => err instanceof SettingsError && /autoApproveCidrs has "lan"/.test(err.message),
  );
});

Deno.test("autoApproveCidrs pairs a first-time node from the range; others still wait", async () => {
  const ip = { value: "" };
  await using gw = await startTestGateway({ tweak: fromLan(ip) });
  await using op = await RawWs.connect(gw.url, OPERATOR);

  ip.value = "192.168.50.23";
  const key = await DeviceKey.create();
  const node = await connectSigned(gw.url, key, nodeParams());
  await using _node = node.ws;
  assert.equal(node.res.ok, true, JSON.stringify(node.res.error));
  assert.match(node.res.payload.auth.deviceToken, /^[A-Za-z0-9_-]{43}$/);
  const paired = (await op.request("device.pair.list", {})).payload.paired;
  assert.equal(paired.find((d: { deviceId: string }) => d.deviceId === key.id)?.role, "node");
  // Device pairing only: its commands still need node.pair.approve.
  const asked = await op.nextEvent("node.pair.requested");
  assert.equal(asked.payload.nodeId, key.id);
  assert.equal(asked.payload.silent, false, "not a loopback node");

  // An operator device from the same range is not auto-approved.
  const operatorKey = await DeviceKey.create();
  const opDevice = await connectSigned(gw.url, operatorKey, {
    ...nodeParams(),
    role: "operator",
    scopes: ["operator.read"],
    client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
    commands: [],
    caps: [],
  });
  await using _opDevice = opDevice.ws;
  assert.equal(opDevice.res.error?.code, "NOT_PAIRED");

  // A node from outside the range waits for an operator.
  ip.value = "192.168.51.23";
  const outsider = await connectSigned(gw.url, await DeviceKey.create(), nodeParams());
  await using _outsider = outsider.ws;
  assert.equal(outsider.res.error?.code, "NOT_PAIRED");

  // A known node asking for a new role from the range is an upgrade: it waits too.
  ip.value = "192.168.50.24";
  const upgrade = await connectSigned(gw.url, key, {
    ...nodeParams(),
    role: "operator",
    scopes: [],
    client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
    commands: [],
    caps: [],
  });
  await using _upgrade = upgrade.ws;
  assert.equal(upgrade.res.error?.code, "NOT_PAIRED");
  assert.equal((upgrade.res.error?.details as { reason?: string }).reason, "role-upgrade");
});

Deno.test("device.pair.rename labels a paired device and tells pairing operators", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const node = await connectSigned(gw.url, key, nodeParams());
  await using _node = node.ws;
  assert.equal(node.res.ok, true);

  const renamed = await op.request("device.pair.rename", { deviceId: key.id, label: "  Lab Pi  " });
  assert.equal(renamed.ok, true, JSON.stringify(renamed.error));
  assert.deepEqual(renamed.payload, { deviceId: key.id, label: "Lab Pi" });
  assert.deepEqual((await op.nextEvent("device.pair.changed")).payload, {});
  const paired = (await op.request("device.pair.list", {})).payload.paired;
  assert.equal(
    paired.find((d: { deviceId: string }) => d.deviceId === key.id).operatorLabel,
    "Lab Pi",
  );
  const stateDir = gw.proc.instance.settings.paths.stateDir;
  assert.match(
    await Deno.readTextFile(`${stateDir}/devices/paired.json`),
    /"operatorLabel": "Lab Pi"/,
  );

  const blank = await op.request("device.pair.rename", { deviceId: key.id, label: "   " });
  assert.match(blank.error!.message, /^label required/);
  const unknown = await op.request("device.pair.rename", { deviceId: "nope", label: "x" });
  assert.match(unknown.error!.message, /unknown deviceId "nope"/);
  const tooLong = await op.request("device.pair.rename", {
    deviceId: key.id,
    label: "x".repeat(65),
  });
  assert.equal(tooLong.error?.code, "INVALID_REQUEST");
  await using reader = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  const denied = await reader.request("device.pair.rename", { deviceId: key.id, label: "y" });
  assert.equal(denied.error?.message, "missing scope: operator.pairing");
});

Deno.test("NodePairing: a connected node's capability request never expires; runbook ones do", async () => {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-node-pairing-" });
  try {
    let now = 1_000_000;
    const resolved: string[] = [];
    const pairing = new NodePairing({
      dir,
      requested: () => {},
      resolved: (e) => resolved.push(`${e.nodeId}:${e.decision}`),
      now: () => now,
    });
    const fromConnect = await pairing.request("node-a", {
      clientId: "node-host",
      clientMode: "node",
      commands: ["system.which"],
    });
    assert.deepEqual(fromConnect.request.requiredApproveScopes, [
      "operator.pairing",
      "operator.admin",
    ]);
    await pairing.request("legacy-b", { commands: ["system.notify"] });
    now += 60 * 60_000; // an hour later
    const state = await pairing.state();
    assert.deepEqual(Object.values(state.pending).map((p) => p.nodeId), ["node-a"]);
    assert.deepEqual(resolved, ["legacy-b:expired"]);
    assert.ok(await pairing.approve(fromConnect.request.requestId));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
