import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, nodeParams } from "../_helpers/fake_node.ts";
import { DEFAULT_RATE_LIMIT } from "../../src/server/auth.ts";

/** The spec's limiter (10 failures / 60 s -> 5 min), only not exempting loopback. */
const realLimits = {
  gateway: {
    mode: "local",
    auth: { token: TEST_TOKEN, rateLimit: { ...DEFAULT_RATE_LIMIT, exemptLoopback: false } },
  },
};

Deno.test("connect counts signed auth.deviceToken guesses toward the lockout", async () => {
  await using gw = await startTestGateway({ config: realLimits });
  const key = await DeviceKey.create();
  for (let i = 0; i < DEFAULT_RATE_LIMIT.maxAttempts; i++) {
    const guess = `guess-${i}`.padEnd(43, "x");
    const { ws, res } = await connectSigned(
      gw.url,
      key,
      nodeParams({ auth: { deviceToken: guess } }),
    );
    await ws.close();
    assert.equal(res.ok, false, `guess ${i + 1} must be refused`);
    assert.equal(res.error?.details?.code, "AUTH_DEVICE_TOKEN_MISMATCH", `guess ${i + 1}`);
  }
  // Locked out: the next device token is refused unchecked ...
  const { ws, res } = await connectSigned(
    gw.url,
    key,
    nodeParams({ auth: { deviceToken: "x".repeat(43) } }),
  );
  await ws.close();
  assert.equal(res.ok, false, "a device token must be refused during a lockout");
  assert.equal(res.error?.details?.code, "AUTH_RATE_LIMITED");
  assert.ok(res.error!.retryAfterMs! > DEFAULT_RATE_LIMIT.lockoutMs - 10_000);
  assert.ok(gw.lines.some((l) => /auth: device-token:127\.0\.0\.1 locked out/.test(l)));
  // ... while the shared secret has a key of its own (the spec's limiter scopes).
  const shared = await connectSigned(gw.url, key, nodeParams());
  await shared.ws.close();
  assert.equal(shared.res.ok, true, JSON.stringify(shared.res.error));
});

Deno.test("connect counts unsigned auth.deviceToken guesses toward the lockout", async () => {
  await using gw = await startTestGateway({ config: realLimits });
  for (let i = 0; i < DEFAULT_RATE_LIMIT.maxAttempts; i++) {
    await using ws = await RawWs.open(gw.url);
    const res = await ws.handshake({ auth: { deviceToken: `guess-${i}` } });
    assert.equal(res.error?.details?.code, "AUTH_DEVICE_TOKEN_MISMATCH", `guess ${i + 1}`);
  }
  await using ws = await RawWs.open(gw.url);
  const res = await ws.handshake({ auth: { deviceToken: "guess-last" } });
  assert.equal(res.error?.details?.code, "AUTH_RATE_LIMITED");
});

Deno.test("connect with no credentials at all still does not count", async () => {
  await using gw = await startTestGateway({ config: realLimits });
  for (let i = 0; i < DEFAULT_RATE_LIMIT.maxAttempts + 2; i++) {
    await using ws = await RawWs.open(gw.url);
    const res = await ws.handshake({ auth: undefined });
    assert.equal(res.error?.details?.code, "AUTH_TOKEN_MISSING");
  }
  await using ws = await RawWs.open(gw.url);
  assert.equal((await ws.handshake({ auth: { token: TEST_TOKEN } })).ok, true);
});
