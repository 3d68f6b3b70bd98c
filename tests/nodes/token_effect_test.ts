/**
 * Adversarial: a leaked device token. Rotating it must take effect on the
 * sockets already open with it, not only on the next connect; otherwise
 * whoever holds the old token keeps its session (and its scopes) after the
 * operator "rotated it away".
 */
import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, nodeParams } from "../_helpers/fake_node.ts";

const OPERATOR = { scopes: ["operator.admin", "operator.pairing"] };

/** Operator connect params for a device (a CLI on another machine, say). */
function operatorParams(scopes: string[], token?: string): Record<string, unknown> {
  return nodeParams({
    client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
    role: "operator",
    scopes,
    caps: [],
    commands: [],
    ...(token ? { auth: { token } } : {}),
  });
}

Deno.test("device.token.rotate closes the sockets of that device and role; the new token connects", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, OPERATOR);
  const key = await DeviceKey.create();
  const wide = ["operator.read", "operator.write"];
  const first = await connectSigned(gw.url, key, operatorParams(wide));
  assert.equal(first.res.ok, true, JSON.stringify(first.res.error));
  const leaked = first.res.payload.auth.deviceToken as string;
  await first.ws.close();
  // Someone holding the leaked token (and the key) is connected with write.
  const thief = await connectSigned(gw.url, key, operatorParams(wide, leaked));
  await using _thief = thief.ws;
  assert.equal(thief.res.ok, true, JSON.stringify(thief.res.error));
  // A node connection of the same device is another role: untouched.
  const node = await connectSigned(gw.url, key, nodeParams());
  await using _node = node.ws;
  assert.equal(node.res.ok, true, JSON.stringify(node.res.error));

  const rotated = await op.request("device.token.rotate", {
    deviceId: key.id,
    role: "operator",
    scopes: ["operator.read"],
  });
  assert.equal(rotated.ok, true, JSON.stringify(rotated.error));
  const closed = await thief.ws.waitClosed();
  assert.equal(closed.code, 1008);
  assert.match(closed.reason, /rotated/);
  assert.equal(node.ws.isClosed, false);
  // The operator's own socket (no device) is not affected.
  assert.equal((await op.request("health", {})).ok, true);

  const again = await connectSigned(gw.url, key, operatorParams(wide, leaked));
  await using _again = again.ws;
  assert.equal(again.res.ok, false);
  const fresh = await connectSigned(
    gw.url,
    key,
    operatorParams(["operator.read"], rotated.payload.token),
  );
  await using _fresh = fresh.ws;
  assert.equal(fresh.res.ok, true, JSON.stringify(fresh.res.error));
  assert.deepEqual(fresh.res.payload.auth.scopes, ["operator.read"]);
});

Deno.test("device.token.rotate leaves the caller's own connection open (it gets the new token)", async () => {
  await using gw = await startTestGateway();
  const key = await DeviceKey.create();
  const self = await connectSigned(gw.url, key, operatorParams(["operator.admin"]));
  await using _self = self.ws;
  assert.equal(self.res.ok, true, JSON.stringify(self.res.error));
  const rotated = await self.ws.request("device.token.rotate", {
    deviceId: key.id,
    role: "operator",
  });
  assert.equal(rotated.ok, true, JSON.stringify(rotated.error));
  assert.equal((await self.ws.request("health", {})).ok, true);
});
