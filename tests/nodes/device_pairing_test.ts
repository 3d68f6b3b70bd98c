import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, nodeParams, signedConnect } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";

const OPERATOR = { scopes: ["operator.admin", "operator.pairing"] };
/** Sockets opened while `on` look like they came from the LAN (a remote device). */
function lan() {
  const sw = { on: false };
  const tweak = (s: GatewaySettings): GatewaySettings => ({
    ...s,
    peerAddress: (ip) => (sw.on ? "192.0.2.7" : ip),
  });
  return { sw, tweak };
}

Deno.test("loopback device is paired silently and gets a device token in hello-ok", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const { ws, res } = await connectSigned(gw.url, key, nodeParams());
  await using _ws = ws;
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const auth = res.payload.auth;
  assert.equal(auth.role, "node");
  assert.deepEqual(auth.scopes, []);
  assert.match(auth.deviceToken, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(typeof auth.issuedAtMs, "number");
  const resolved = await op.nextEvent("device.pair.resolved");
  assert.equal(resolved.payload.deviceId, key.id);
  assert.equal(resolved.payload.decision, "approved");
  assert.equal(op.events("device.pair.requested").length, 0);
  const list = await op.request("device.pair.list", {});
  const [paired] = list.payload.paired;
  assert.equal(paired.deviceId, key.id);
  assert.equal(paired.approvedVia, "silent");
  assert.equal(paired.connected, true);
  assert.deepEqual(paired.tokens.map((t: { role: string }) => t.role), ["node"]);
  // The store holds hashes only, in private files.
  const path = `${gw.proc.instance.settings.paths.stateDir}/devices/paired.json`;
  const text = await Deno.readTextFile(path);
  assert.equal(text.includes(auth.deviceToken), false);
  const keyFile = `${gw.proc.instance.settings.paths.stateDir}/devices/token.key`;
  assert.equal((await Deno.stat(keyFile)).mode! & 0o777, 0o600);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
});

Deno.test("handshake refuses each bad device claim with its details code and close 1008", async () => {
  await using gw = await startTestGateway();
  const key = await DeviceKey.create();
  const other = await DeviceKey.create();
  const cases: [string, Parameters<typeof connectSigned>[3]][] = [
    ["DEVICE_AUTH_PUBLIC_KEY_INVALID", { publicKey: "%%%" }],
    ["DEVICE_AUTH_DEVICE_ID_MISMATCH", { id: other.id }],
    ["DEVICE_AUTH_SIGNATURE_EXPIRED", { signedAt: Date.now() - 11 * 60_000 }],
    ["DEVICE_AUTH_NONCE_REQUIRED", { nonce: "" }],
    ["DEVICE_AUTH_NONCE_MISMATCH", { nonce: crypto.randomUUID() }],
    ["DEVICE_AUTH_SIGNATURE_INVALID", { signNonce: "not-the-nonce" }],
  ];
  for (const [code, opts] of cases) {
    const { ws, res } = await connectSigned(gw.url, key, nodeParams(), opts);
    await using _ws = ws;
    assert.equal(res.ok, false, code);
    assert.equal(res.error?.code, "INVALID_REQUEST");
    assert.equal(res.error?.details?.code, code);
    assert.equal((await ws.waitClosed()).code, 1008);
  }
  // None of them paired the device.
  await using op = await RawWs.connect(gw.url, OPERATOR);
  assert.deepEqual((await op.request("device.pair.list", {})).payload.paired, []);
});

Deno.test("a remote device waits for approval: NOT_PAIRED, requested event, approve, reconnect", async () => {
  const { sw, tweak } = lan();
  await using gw = await startTestGateway({ tweak });
  await using op = await RawWs.connect(gw.url, OPERATOR);
  sw.on = true;
  const key = await DeviceKey.create();
  const first = await connectSigned(gw.url, key, nodeParams());
  await using _first = first.ws;
  assert.equal(first.res.ok, false);
  assert.equal(first.res.error?.code, "NOT_PAIRED");
  assert.equal(first.res.error?.message, "pairing required: device is not approved yet");
  const details = first.res.error!.details as Record<string, unknown>;
  assert.equal(details.code, "PAIRING_REQUIRED");
  assert.equal(details.reason, "not-paired");
  assert.equal(details.deviceId, key.id);
  assert.equal(details.requestedRole, "node");
  const close = await first.ws.waitClosed();
  assert.equal(close.code, 1008);
  assert.equal(
    close.reason,
    `pairing required: device is not approved yet (requestId: ${details.requestId})`,
  );
  const requested = await op.nextEvent("device.pair.requested");
  assert.equal(requested.payload.requestId, details.requestId);
  assert.equal(requested.payload.publicKey, key.publicKey);
  assert.equal(requested.payload.silent, false);
  const pending = (await op.request("device.pair.list", {})).payload.pending;
  assert.deepEqual(pending.map((p: { requestId: string }) => p.requestId), [details.requestId]);

  const approved = await op.request("device.pair.approve", { requestId: details.requestId });
  assert.equal(approved.ok, true, JSON.stringify(approved.error));
  assert.equal(approved.payload.device.approvedVia, "owner");
  const resolved = await op.nextEvent("device.pair.resolved");
  assert.equal(resolved.payload.decision, "approved");

  const again = await connectSigned(gw.url, key, nodeParams());
  await using _again = again.ws;
  assert.equal(again.res.ok, true, JSON.stringify(again.res.error));
  assert.match(again.res.payload.auth.deviceToken, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await op.request("device.pair.approve", { requestId: "nope" })).ok, false);
});

Deno.test("a rejected request is gone and the device stays unpaired", async () => {
  const { sw, tweak } = lan();
  await using gw = await startTestGateway({ tweak });
  await using op = await RawWs.connect(gw.url, OPERATOR);
  sw.on = true;
  const key = await DeviceKey.create();
  const first = await connectSigned(gw.url, key, nodeParams());
  await using _first = first.ws;
  const requestId = (first.res.error!.details as { requestId: string }).requestId;
  const rejected = await op.request("device.pair.reject", { requestId });
  assert.deepEqual(rejected.payload, { requestId, deviceId: key.id });
  assert.equal((await op.nextEvent("device.pair.resolved")).payload.decision, "rejected");
  const list = (await op.request("device.pair.list", {})).payload;
  assert.deepEqual([list.pending.length, list.paired.length], [0, 0]);
});

Deno.test("autoApproveLocal false makes loopback devices wait too", async () => {
  await using gw = await startTestGateway({
    config: {
      gateway: {
        mode: "local",
        auth: { token: TEST_TOKEN },
        nodes: { pairing: { autoApproveLocal: false } },
      },
    },
  });
  const key = await DeviceKey.create();
  const { ws, res } = await connectSigned(gw.url, key, nodeParams());
  await using _ws = ws;
  assert.equal(res.error?.code, "NOT_PAIRED");
});

Deno.test("device token connects without the shared secret; rotate and revoke void it", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const first = await connectSigned(gw.url, key, nodeParams());
  const token = first.res.payload.auth.deviceToken as string;
  await first.ws.close();

  // The shared secret again: the same token (derived, not stored), no new one.
  const again = await connectSigned(gw.url, key, nodeParams());
  assert.equal(again.res.payload.auth.deviceToken, token);
  await again.ws.close();

  const withToken = (t: string) => connectSigned(gw.url, key, nodeParams({ auth: { token: t } }));
  const viaToken = await withToken(token);
  assert.equal(viaToken.res.ok, true, JSON.stringify(viaToken.res.error));
  assert.equal(viaToken.res.payload.auth.deviceToken, token);
  await viaToken.ws.close();
  const seen = (await op.request("device.pair.list", {})).payload.paired[0];
  assert.equal(seen.lastSeenReason, "device-token-auth");
  assert.equal(typeof seen.tokens[0].lastUsedAtMs, "number");

  // A wrong token is a plain auth failure.
  const wrong = await withToken("x".repeat(43));
  await using _wrong = wrong.ws;
  assert.equal(wrong.res.ok, false);
  assert.equal(wrong.res.error?.details?.code, "AUTH_TOKEN_MISMATCH");

  // Node tokens need operator.admin besides operator.pairing.
  await using pairer = await RawWs.connect(gw.url, { scopes: ["operator.pairing"] });
  const denied = await pairer.request("device.token.rotate", { deviceId: key.id, role: "node" });
  assert.match(denied.error!.message, /missing scope: operator\.admin/);
  const rotated = await op.request("device.token.rotate", { deviceId: key.id, role: "node" });
  assert.equal(rotated.ok, true, JSON.stringify(rotated.error));
  assert.notEqual(rotated.payload.token, token);
  const old = await withToken(token);
  await using _old = old.ws;
  assert.equal(old.res.ok, false);
  const fresh = await withToken(rotated.payload.token);
  assert.equal(fresh.res.ok, true, JSON.stringify(fresh.res.error));
  assert.equal(fresh.res.payload.auth.deviceToken, rotated.payload.token);

  const revoked = await op.request("device.token.revoke", { deviceId: key.id, role: "node" });
  assert.deepEqual(revoked.payload, { deviceId: key.id, role: "node", revoked: true });
  // Its live connection is closed, and the token no longer connects.
  assert.equal((await fresh.ws.waitClosed()).code, 1008);
  const after = await withToken(rotated.payload.token);
  await using _after = after.ws;
  assert.equal(after.res.ok, false);
});

Deno.test("device.pair.remove unpairs the device and closes its connections", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const { ws, res } = await connectSigned(gw.url, key, nodeParams());
  assert.equal(res.ok, true);
  const removed = await op.request("device.pair.remove", { deviceId: key.id });
  assert.deepEqual(removed.payload, { deviceId: key.id, removed: true });
  assert.equal((await ws.waitClosed()).code, 1008);
  assert.deepEqual((await op.request("device.pair.list", {})).payload.paired, []);
});

Deno.test("a corrupt device store is reported, not reset", async () => {
  await using gw = await startTestGateway();
  const stateDir = gw.proc.instance.settings.paths.stateDir;
  await Deno.mkdir(`${stateDir}/devices`, { recursive: true });
  await Deno.writeTextFile(`${stateDir}/devices/paired.json`, "{not json");
  const key = await DeviceKey.create();
  const { ws, res } = await connectSigned(gw.url, key, nodeParams());
  await using _ws = ws;
  assert.equal(res.ok, false);
  assert.equal(res.error?.code, "UNAVAILABLE");
  assert.equal(res.error?.details?.code, "DEVICE_STORE_UNREADABLE");
  assert.equal(await Deno.readTextFile(`${stateDir}/devices/paired.json`), "{not json");
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const list = await op.request("device.pair.list", {});
  assert.equal(list.ok, false);
});

Deno.test("a remote client without a device identity is refused even with the shared secret", async () => {
  const { sw, tweak } = lan();
  await using gw = await startTestGateway({ tweak });
  sw.on = true;
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake(OPERATOR);
  assert.equal(res.error?.code, "NOT_PAIRED");
  assert.equal(res.error?.details?.code, "DEVICE_IDENTITY_REQUIRED");
  assert.equal((await ws.waitClosed()).code, 1008);
  // A wrong secret is still an auth failure first (no hint about devices).
  await using wrong = await RawWs.open(gw.url);
  const bad = await wrong.handshake({ ...OPERATOR, auth: { token: "wrong" } });
  assert.equal(bad.error?.details?.code, "AUTH_TOKEN_MISMATCH");
  // The same client from loopback is fine.
  sw.on = false;
  await using _local = await RawWs.connect(gw.url, OPERATOR);
});

Deno.test("requests pipelined behind a signed connect are held and answered after hello-ok", async () => {
  await using gw = await startTestGateway();
  const key = await DeviceKey.create();
  await using ws = await RawWs.open(gw.url);
  const challenge = await ws.nextEvent("connect.challenge");
  const params = await signedConnect(key, challenge.payload.nonce, nodeParams());
  ws.send(JSON.stringify({ type: "req", id: "connect", method: "connect", params }));
  ws.send(JSON.stringify({ type: "req", id: "h1", method: "health", params: {} }));
  const hello = await ws.next((f) => f.id === "connect");
  assert.equal(hello.ok, true, JSON.stringify(hello.error));
  const health = await ws.next((f) => f.id === "h1");
  assert.equal(health.ok, true, JSON.stringify(health.error));
  assert.deepEqual(ws.order.filter((o) => o.startsWith("res:")), ["res:connect", "res:h1"]);
});
