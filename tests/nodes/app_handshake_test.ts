/**
 * The node apps' handshakes replayed with real keys over real sockets: the
 * captured 2026.9.6 connects (fake linux node, macOS app) must yield the
 * captured capability requests, and the protocol-3 connects of the
 * macOS/iOS/Android apps must get a `hello-ok` with every field the
 * protocol-3 app model (`HelloOk` in the apps' generated
 * `GatewayModels.swift`, `GATEWAY_PROTOCOL_VERSION = 3`) decodes as
 * required, plus the device token they keep and reconnect with.
 */

import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs, type WireFrame } from "../_helpers/raw_ws.ts";
import { type ClaimOptions, connectSigned, DeviceKey } from "../_helpers/fake_node.ts";

interface CapturedCase {
  name: string;
  connect: Record<string, unknown>;
  requested: Record<string, unknown> & { commands: string[]; caps: string[] };
}
const CAPTURED = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/captured_node_connects.json", import.meta.url)),
) as { cases: CapturedCase[] };

const sorted = (a: unknown) => [...(a as string[])].sort();
const isInt = (v: unknown) => Number.isInteger(v);

for (const c of CAPTURED.cases) {
  Deno.test(`captured ${c.name} connect yields the captured node.pair.requested`, async () => {
    await using gw = await startTestGateway();
    await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
    const key = await DeviceKey.create();
    const { ws, res } = await connectSigned(gw.url, key, {
      ...structuredClone(c.connect),
      auth: { token: TEST_TOKEN },
    });
    await using _ws = ws;
    assert.equal(res.ok, true, JSON.stringify(res.error));
    const got = (await op.nextEvent("node.pair.requested")).payload;
    const want = c.requested;
    assert.deepEqual(sorted(got.commands), sorted(want.commands));
    assert.deepEqual(sorted(got.caps), sorted(want.caps));
    for (const k of ["clientId", "clientMode", "platform", "deviceFamily", "silent"]) {
      assert.deepEqual(got[k], want[k], k);
    }
    assert.deepEqual(got.requiredApproveScopes, want.requiredApproveScopes);
    assert.deepEqual(got.permissions, want.permissions);
  });
}

/** Protocol-3 app connects (shapes of the v3 apps: `ConnectParams` of the v3 Swift model). */
const V3_APPS: { name: string; params: Record<string, unknown>; claim: ClaimOptions }[] = [
  {
    name: "macOS app node",
    claim: { version: "v3" },
    params: {
      client: {
        id: "openclaw-macos",
        displayName: "Studio Mac",
        version: "2026.2.1",
        platform: "macos",
        deviceFamily: "Mac",
        modelIdentifier: "Mac15,3",
        mode: "node",
        instanceId: "mac-instance-1",
      },
      caps: ["canvas", "camera", "screen", "location"],
      commands: [
        "canvas.present",
        "canvas.navigate",
        "camera.list",
        "camera.snap",
        "system.notify",
      ],
      permissions: { camera: true },
      locale: "en-US",
      userAgent: "OpenClaw/2026.2.1 (macOS 15.3)",
    },
  },
  {
    name: "iOS app node (v2 signature)",
    claim: { version: "v2" },
    params: {
      client: {
        id: "openclaw-ios",
        displayName: "iPhone",
        version: "2026.2.1",
        platform: "iOS 18.1",
        deviceFamily: "iPhone",
        modelIdentifier: "iPhone17,1",
        mode: "node",
      },
      caps: ["camera", "location", "voice"],
      commands: ["camera.list", "camera.snap", "location.get", "system.notify", "device.info"],
      permissions: { location: true },
      locale: "en-US",
    },
  },
  {
    name: "Android app node",
    claim: { version: "v3" },
    params: {
      client: {
        id: "openclaw-android",
        displayName: "Pixel",
        version: "2026.2.1",
        platform: "Android 15 (SDK 35)",
        deviceFamily: "Android",
        modelIdentifier: "Pixel 9",
        mode: "node",
      },
      caps: ["camera", "location", "screen"],
      commands: ["camera.list", "location.get", "notifications.list", "screen.record"],
      permissions: {},
    },
  },
];

/** Every field the protocol-3 app model decodes without a default. */
function assertV3HelloOk(hello: Record<string, unknown>, role: string) {
  assert.equal(hello.type, "hello-ok");
  assert.equal(hello.protocol, 3);
  const server = hello.server as Record<string, unknown>;
  assert.equal(typeof server.version, "string");
  assert.equal(typeof server.connId, "string");
  assert.equal(typeof server.host, "string", "protocol 3 clients show the gateway host");
  const features = hello.features as { methods: string[]; events: string[] };
  assert.ok(Array.isArray(features.methods) && Array.isArray(features.events));
  if (role === "node") {
    for (const m of ["node.invoke.result", "node.event"]) assert.ok(features.methods.includes(m));
    assert.ok(features.events.includes("node.invoke.request"));
  }
  const snap = hello.snapshot as Record<string, unknown>;
  assert.ok(Array.isArray(snap.presence));
  for (const p of snap.presence as Record<string, unknown>[]) assert.ok(isInt(p.ts), "ts: Int");
  assert.equal(typeof snap.health, "object");
  const sv = snap.stateVersion as Record<string, unknown>;
  assert.ok(isInt(sv.presence) && isInt(sv.health));
  assert.ok(isInt(snap.uptimeMs));
  if (role === "node") assert.equal(snap.configPath, undefined, "no host paths for a node");
  const auth = hello.auth as Record<string, unknown>;
  assert.equal(auth.role, role);
  assert.ok(Array.isArray(auth.scopes));
  assert.match(auth.deviceToken as string, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(isInt(auth.issuedAtMs));
  const policy = hello.policy as Record<string, unknown>;
  for (const k of ["maxPayload", "maxBufferedBytes", "tickIntervalMs"]) {
    assert.ok(isInt(policy[k]), k);
  }
}

for (const app of V3_APPS) {
  Deno.test(`protocol 3: ${app.name} connects, keeps its device token and reconnects with it`, async () => {
    await using gw = await startTestGateway();
    await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
    const key = await DeviceKey.create();
    const params = {
      minProtocol: 3,
      maxProtocol: 3,
      role: "node",
      scopes: [],
      ...structuredClone(app.params),
    };
    const first = await connectSigned(
      gw.url,
      key,
      { ...params, auth: { token: TEST_TOKEN } },
      app.claim,
    );
    assert.equal(first.res.ok, true, JSON.stringify(first.res.error));
    const hello = first.res.payload as Record<string, unknown>;
    assertV3HelloOk(hello, "node");
    const requested = (await op.nextEvent("node.pair.requested")).payload;
    assert.equal(requested.nodeId, key.id);
    for (const dangerous of ["camera.snap", "screen.record"]) {
      assert.equal(requested.commands.includes(dangerous), false, `${dangerous} needs an opt-in`);
    }
    await first.ws.close();

    // The app keeps auth.deviceToken and reconnects with it instead of the shared token.
    const token = (hello.auth as { deviceToken: string }).deviceToken;
    const again = await connectSigned(gw.url, key, { ...params, auth: { token } }, app.claim);
    await using _again = again.ws;
    assert.equal(again.res.ok, true, JSON.stringify(again.res.error));
    assertV3HelloOk(again.res.payload as Record<string, unknown>, "node");
  });
}

Deno.test("protocol 3: the macOS app as operator gets its scopes and host paths", async () => {
  await using gw = await startTestGateway();
  const key = await DeviceKey.create();
  const scopes = ["operator.admin", "operator.approvals", "operator.pairing"];
  const { ws, res } = await connectSigned(gw.url, key, {
    minProtocol: 3,
    maxProtocol: 3,
    client: {
      id: "openclaw-macos",
      displayName: "Studio Mac",
      version: "2026.2.1",
      platform: "macos",
      deviceFamily: "Mac",
      mode: "ui",
      instanceId: "mac-ui-1",
    },
    role: "operator",
    scopes,
    caps: [],
    auth: { token: TEST_TOKEN },
    locale: "en-US",
  });
  await using _ws = ws;
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const hello = res.payload as Record<string, unknown>;
  assertV3HelloOk(hello, "operator");
  assert.deepEqual((hello.auth as { scopes: string[] }).scopes, scopes);
  const snap = hello.snapshot as Record<string, unknown>;
  assert.equal(typeof snap.configPath, "string");
  assert.equal(
    (snap.sessionDefaults as { mainSessionKey: string }).mainSessionKey,
    "agent:main:main",
  );
});

Deno.test("2026.9.6 app connects: new client ids, buildId/timeZone and runtime fields are accepted", async () => {
  await using gw = await startTestGateway();
  const answers: WireFrame[] = [];
  for (
    const [id, mode, platform, deviceFamily] of [
      ["openclaw-linux", "node", "linux", "Linux"],
      ["openclaw-watchos", "node", "watchOS 11.2", "Apple Watch"],
      ["openclaw-tui", "ui", "linux", undefined],
      ["openclaw-worker", "worker", "linux", undefined],
    ]
  ) {
    const role = mode === "node" ? "node" : "operator";
    const { ws, res } = await connectSigned(gw.url, await DeviceKey.create(), {
      minProtocol: 4,
      maxProtocol: 4,
      client: {
        id,
        version: "2026.9.6",
        buildId: "2026.9.6-release-eb377ac59e6c",
        platform,
        ...(deviceFamily ? { deviceFamily } : {}),
        timeZone: "Europe/Amsterdam",
        mode,
      },
      role,
      scopes: role === "node" ? [] : ["operator.read"],
      caps: [],
      modelCatalog: { agentId: "main" },
      auth: { token: TEST_TOKEN },
    });
    answers.push(res);
    await ws.close();
  }
  for (const res of answers) assert.equal(res.ok, true, JSON.stringify(res.error));
  const watch = answers[1].payload as { auth: { role: string } };
  assert.equal(watch.auth.role, "node");
});
