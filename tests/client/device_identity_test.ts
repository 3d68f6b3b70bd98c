/** The CLI device identity file and the signed connect it produces. */

import assert from "node:assert/strict";
import {
  DeviceIdentityError,
  identityPath,
  loadDeviceIdentity,
} from "../../src/client/device_identity.ts";
import { signConnect } from "../../src/client/gateway_client.ts";
import { verifyDevice } from "../../src/nodes/identity.ts";
import type { ConnectParams } from "../../protocol/schemas/connect.ts";

Deno.test("loadDeviceIdentity() creates the key once (0600 in 0700) and signs what the gateway verifies", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await loadDeviceIdentity(dir);
    const again = await loadDeviceIdentity(dir);
    assert.equal(again.deviceId, first.deviceId);
    assert.equal(again.publicKey, first.publicKey);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(`${dir}/identity`)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(identityPath(dir))).mode! & 0o777, 0o600);
    }
    const params = {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "cli", version: "1", platform: "Linux", mode: "cli" },
      role: "operator",
      scopes: ["operator.admin"],
      auth: { token: "shared" },
    } as ConnectParams;
    const signed = await signConnect(params, again, "nonce-1");
    const fields = {
      clientId: "cli",
      clientMode: "cli",
      role: "operator",
      scopes: ["operator.admin"],
      token: "shared",
      platform: "Linux",
    };
    const ok = await verifyDevice(signed.device!, { nonce: "nonce-1", now: Date.now(), fields });
    assert.equal(ok.ok, true);
    // The signature covers the nonce and the token.
    const other = await verifyDevice({ ...signed.device!, nonce: "nonce-2" }, {
      nonce: "nonce-2",
      now: Date.now(),
      fields,
    });
    assert.equal(other.ok, false);
    const token = await verifyDevice(signed.device!, {
      nonce: "nonce-1",
      now: Date.now(),
      fields: { ...fields, token: "" },
    });
    assert.equal(token.ok, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadDeviceIdentity() refuses a damaged file, naming it, and never replaces it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await loadDeviceIdentity(dir);
    const path = identityPath(dir);
    const good = JSON.parse(await Deno.readTextFile(path));
    const otherDir = await Deno.makeTempDir();
    await loadDeviceIdentity(otherDir);
    const other = JSON.parse(await Deno.readTextFile(identityPath(otherDir)));
    await Deno.remove(otherDir, { recursive: true });
    const cases: [string, RegExp][] = [
      ["{", /not valid JSON/],
      [JSON.stringify({ ...good, version: 2 }), /not a version 1 device identity/],
      [JSON.stringify({ ...good, publicKey: "abc" }), /not a base64url Ed25519 key/],
      [JSON.stringify({ ...good, deviceId: "0".repeat(64) }), /not the SHA-256 of its key/],
      [JSON.stringify({ ...good, privateKey: other.privateKey }), /does not match its public/],
      ["x".repeat(20_000), /at most 16384 bytes/],
    ];
    for (const [text, why] of cases) {
      await Deno.writeTextFile(path, text);
      const err = await loadDeviceIdentity(dir).then(() => undefined, (e) => e);
      assert.ok(err instanceof DeviceIdentityError, `${why}: ${err}`);
      assert.match(err.message, why);
      assert.ok(err.message.includes(`"${path}"`), err.message);
      assert.equal(await Deno.readTextFile(path), text);
    }
    await Deno.writeTextFile(path, JSON.stringify(good));
    assert.equal((await loadDeviceIdentity(dir)).deviceId, a.deviceId);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
