import assert from "node:assert/strict";
import {
  deviceIdOf,
  rawPublicKey,
  signaturePayload,
  type SignedFields,
  verifyDevice,
} from "../../src/nodes/identity.ts";
import { DeviceKey } from "../_helpers/fake_node.ts";

const FIELDS: SignedFields = {
  clientId: "node-host",
  clientMode: "node",
  role: "node",
  scopes: [],
  token: "testtoken",
  platform: " Linux ",
  deviceFamily: "Server",
};
const NOW = 1_796_003_791_831;
const NONCE = "564b7a83-b293-4734-865b-8a339f348065";

async function claim(key: DeviceKey, version: "v2" | "v3" = "v3", signedAt = NOW) {
  const device = { id: key.id, signedAt, nonce: NONCE };
  return {
    ...device,
    publicKey: key.publicKey,
    signature: await key.sign(signaturePayload(version, device, FIELDS)),
  };
}

Deno.test("signaturePayload() builds the captured v3 string and the v2 prefix", () => {
  const device = { id: "bd79", signedAt: NOW, nonce: NONCE };
  assert.equal(
    signaturePayload("v3", device, FIELDS),
    `v3|bd79|node-host|node|node||${NOW}|testtoken|${NONCE}|linux|server`,
  );
  assert.equal(
    signaturePayload("v2", device, { ...FIELDS, scopes: ["operator.read", "operator.write"] }),
    `v2|bd79|node-host|node|node|operator.read,operator.write|${NOW}|testtoken|${NONCE}`,
  );
});

Deno.test("deviceIdOf() is the hex SHA-256 of the raw key; PEM and base64url agree", async () => {
  const key = await DeviceKey.create();
  assert.equal(await deviceIdOf(key.raw), key.id);
  assert.match(key.id, /^[0-9a-f]{64}$/);
  assert.deepEqual(rawPublicKey(key.spkiPem), key.raw);
  assert.deepEqual(rawPublicKey(key.publicKey), key.raw);
  assert.equal(rawPublicKey("not a key!"), undefined);
  assert.equal(rawPublicKey("AAAA"), undefined);
});

Deno.test("verifyDevice() accepts v3 and v2 signatures over the challenge nonce", async () => {
  const key = await DeviceKey.create();
  for (const version of ["v3", "v2"] as const) {
    const res = await verifyDevice(await claim(key, version), {
      nonce: NONCE,
      now: NOW,
      fields: FIELDS,
    });
    assert.deepEqual(res, { ok: true, deviceId: key.id, publicKey: key.publicKey });
  }
  const pem = { ...(await claim(key)), publicKey: key.spkiPem };
  const res = await verifyDevice(pem, { nonce: NONCE, now: NOW, fields: FIELDS });
  assert.equal(res.ok, true);
});

Deno.test("verifyDevice() names each failure with its details code", async () => {
  const key = await DeviceKey.create();
  const other = await DeviceKey.create();
  const good = await claim(key);
  const ctx = { nonce: NONCE, now: NOW, fields: FIELDS };
  const code = async (c: typeof good, x = ctx) => {
    const res = await verifyDevice(c, x);
    return res.ok ? "ok" : `${res.code}/${res.reason}`;
  };
  assert.equal(
    await code({ ...good, publicKey: "%%%" }),
    "DEVICE_AUTH_PUBLIC_KEY_INVALID/device-public-key",
  );
  assert.equal(
    await code({ ...good, id: other.id }),
    "DEVICE_AUTH_DEVICE_ID_MISMATCH/device-id-mismatch",
  );
  assert.equal(
    await code(good, { ...ctx, now: NOW + 10 * 60_000 + 1 }),
    "DEVICE_AUTH_SIGNATURE_EXPIRED/device-signature-stale",
  );
  assert.equal(await code(good, { ...ctx, now: NOW - 10 * 60_000 }), "ok");
  assert.equal(
    await code({ ...good, nonce: "" }),
    "DEVICE_AUTH_NONCE_REQUIRED/device-nonce-missing",
  );
  assert.equal(
    await code(good, { ...ctx, nonce: "another" }),
    "DEVICE_AUTH_NONCE_MISMATCH/device-nonce-mismatch",
  );
  // Signed by another key, or over other fields (a different token).
  const forged = { ...good, signature: (await claim(other)).signature };
  assert.equal(await code(forged), "DEVICE_AUTH_SIGNATURE_INVALID/device-signature");
  assert.equal(
    await code(good, { ...ctx, fields: { ...FIELDS, token: "other" } }),
    "DEVICE_AUTH_SIGNATURE_INVALID/device-signature",
  );
  assert.equal(
    await code({ ...good, signature: "short" }),
    "DEVICE_AUTH_SIGNATURE_INVALID/device-signature",
  );
});
