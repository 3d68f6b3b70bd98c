import assert from "node:assert/strict";
import { DeviceStore } from "../../src/nodes/device_store.ts";
import { type DeviceEvent, DeviceRegistry, PENDING_TTL_MS } from "../../src/nodes/devices.ts";

const META = { platform: "linux", clientId: "node-host", clientMode: "node" };

async function registry(now: { t: number }) {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-devices-" });
  const events: DeviceEvent[] = [];
  const reg = new DeviceRegistry({
    store: new DeviceStore(dir),
    emit: (e) => events.push(e),
    now: () => now.t,
  });
  return { dir, events, reg, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const ask = (deviceId: string) => ({
  deviceId,
  publicKey: "k",
  meta: META,
  role: "node",
  scopes: [],
  autoApprove: false,
});

Deno.test("DeviceRegistry.admit() keeps one request per device and role, expiring after 5 min", async () => {
  const now = { t: 1_000_000 };
  await using fx = await registry(now);
  const a = await fx.reg.admit(ask("d1"));
  const b = await fx.reg.admit(ask("d1"));
  assert.ok("pending" in a && "pending" in b);
  assert.equal(a.pending.requestId, b.pending.requestId);
  assert.equal(fx.events.filter((e) => e.event === "device.pair.requested").length, 1);
  now.t += PENDING_TTL_MS + 1;
  assert.deepEqual((await fx.reg.state()).pending, {});
  const expired = fx.events.find((e) => e.event === "device.pair.resolved");
  assert.equal(expired?.payload.decision, "expired");
  assert.equal(await fx.reg.approve(a.pending.requestId), undefined);
  // On disk too: a fresh registry over the same files sees no request.
  const again = new DeviceRegistry({ store: new DeviceStore(fx.dir), emit: () => {} });
  assert.deepEqual((await again.state()).pending, {});
});

Deno.test("DeviceRegistry asks again for a role or scope the device was not paired for", async () => {
  const now = { t: 1_000_000 };
  await using fx = await registry(now);
  await fx.reg.admit({ ...ask("d2"), autoApprove: true });
  const same = await fx.reg.admit(ask("d2"));
  assert.ok("paired" in same);
  const upgrade = await fx.reg.admit({ ...ask("d2"), role: "operator", scopes: ["operator.read"] });
  assert.ok("pending" in upgrade);
  assert.equal(upgrade.pending.reason, "role-upgrade");
  assert.equal(upgrade.pending.isRepair, true);
  assert.deepEqual(upgrade.pending.roles, ["node", "operator"]);
});

Deno.test("DeviceRegistry tokens: same token until rotated, hash-only on disk, revoke voids", async () => {
  const now = { t: 1_000_000 };
  await using fx = await registry(now);
  await fx.reg.admit({ ...ask("d3"), autoApprove: true });
  const one = await fx.reg.issueToken("d3", "node", []);
  const two = await fx.reg.issueToken("d3", "node", []);
  assert.equal(one!.token, two!.token);
  const disk = await Deno.readTextFile(`${fx.dir}/paired.json`);
  assert.equal(disk.includes(one!.token), false);
  assert.ok(await fx.reg.checkToken("d3", "node", one!.token));
  const rotated = await fx.reg.issueToken("d3", "node", [], { rotate: true });
  assert.notEqual(rotated!.token, one!.token);
  assert.equal(await fx.reg.checkToken("d3", "node", one!.token), undefined);
  assert.equal(await fx.reg.checkToken("d3", "operator", rotated!.token), undefined);
  assert.equal(await fx.reg.revoke("d3", "node"), true);
  assert.equal(await fx.reg.checkToken("d3", "node", rotated!.token), undefined);
  // A new token after revocation is a new one, not the revoked one coming back.
  const fresh = await fx.reg.issueToken("d3", "node", []);
  assert.notEqual(fresh!.token, rotated!.token);
  assert.notEqual(fresh!.token, one!.token);
});
