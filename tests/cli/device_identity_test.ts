/**
 * The CLI's device identity as real processes against a gateway that sees
 * the CLI as a remote peer: refused with the approve line, approved, then
 * connecting with the stored device token alone; file modes; a corrupt
 * identity file.
 */

import assert from "node:assert/strict";
import { cliEnv, startTestGateway, tempHome, TEST_TOKEN } from "../_helpers/gateway.ts";
import { assertRefused, runCliBounded } from "../_helpers/cli_e2e.ts";

const isPosix = Deno.build.os !== "windows";

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test("openclaw health from a remote peer: NOT_PAIRED with the approve line, approve, then the device token alone works", async () => {
  let remote = false;
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, peerAddress: (ip) => (remote ? "192.0.2.44" : ip) }),
  });
  const cli = await tempHome();
  const host = await tempHome();
  try {
    const state = `${cli.home}/state`;
    const env = cliEnv(cli.home, { OPENCLAW_STATE_DIR: state });
    const hostEnv = cliEnv(host.home, { OPENCLAW_STATE_DIR: `${host.home}/state` });
    const withToken = ["--url", gw.url, "--token", TEST_TOKEN];

    // Loopback is as before: no identity is created.
    const local = await runCliBounded(["health", ...withToken], env);
    assert.equal(local.code, 0, local.stderr);
    await assert.rejects(Deno.stat(`${state}/identity`), Deno.errors.NotFound);

    remote = true;
    const refused = await runCliBounded(["health", ...withToken], env);
    assertRefused(refused, "unpaired remote CLI");
    const m = /openclaw devices approve (\S+)/.exec(refused.stderr);
    assert.ok(m, refused.stderr);
    const requestId = m[1];
    assert.ok(refused.stderr.includes(`requestId: ${requestId}`), refused.stderr);
    assert.ok(!refused.stderr.includes(TEST_TOKEN), "no secret in the output");

    // The identity exists now, private, and is the device waiting for approval.
    const identity = JSON.parse(await Deno.readTextFile(`${state}/identity/device.json`));
    if (isPosix) {
      assert.equal(await mode(`${state}/identity`), 0o700);
      assert.equal(await mode(`${state}/identity/device.json`), 0o600);
    }
    remote = false;
    const pending = await runCliBounded(["devices", "list", "--json", ...withToken], hostEnv);
    assert.equal(pending.code, 0, pending.stderr);
    const req = JSON.parse(pending.stdout).pending.find((p: { requestId: string }) =>
      p.requestId === requestId
    );
    assert.equal(req?.deviceId, identity.deviceId);
    const approve = await runCliBounded(["devices", "approve", requestId, ...withToken], hostEnv);
    assert.equal(approve.code, 0, approve.stderr);

    remote = true;
    const ok = await runCliBounded(["health", ...withToken], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Gateway: ok/);
    const tokens = JSON.parse(await Deno.readTextFile(`${state}/identity/device-auth.json`));
    assert.equal(tokens.deviceId, identity.deviceId);
    assert.equal(Object.keys(tokens.tokens).length, 1);
    if (isPosix) assert.equal(await mode(`${state}/identity/device-auth.json`), 0o600);

    // Without the shared secret: the stored device token is the credential.
    const tokenOnly = await runCliBounded(["health", "--url", gw.url], env);
    assert.equal(tokenOnly.code, 0, tokenOnly.stderr);
    // And it is what stands in for the secret: a wrong one is refused by the gateway.
    const key = Object.keys(tokens.tokens)[0];
    tokens.tokens[key].token = "not-the-issued-token";
    await Deno.writeTextFile(`${state}/identity/device-auth.json`, JSON.stringify(tokens));
    const noToken = await runCliBounded(["health", "--url", gw.url], env);
    assertRefused(noToken, "paired device with a wrong token and no secret");
    assert.match(noToken.stderr, /AUTH_/);
  } finally {
    await cli.cleanup();
    await host.cleanup();
  }
});

Deno.test("openclaw health with a corrupt device identity names the file and what to do", async () => {
  let remote = true;
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, peerAddress: (ip) => (remote ? "192.0.2.45" : ip) }),
  });
  const cli = await tempHome();
  try {
    const state = `${cli.home}/state`;
    await Deno.mkdir(`${state}/identity`, { recursive: true });
    const path = `${state}/identity/device.json`;
    await Deno.writeTextFile(path, "{not json");
    const env = cliEnv(cli.home, { OPENCLAW_STATE_DIR: state });
    const res = await runCliBounded(["health", "--url", gw.url, "--token", TEST_TOKEN], env);
    assertRefused(res, "corrupt identity");
    assert.ok(res.stderr.includes(`"${path}"`), res.stderr);
    assert.match(res.stderr, /not valid JSON/);
    assert.match(res.stderr, /delete it to create a new identity/);
    // Never replaced.
    assert.equal(await Deno.readTextFile(path), "{not json");
    remote = false;
  } finally {
    await cli.cleanup();
  }
});
