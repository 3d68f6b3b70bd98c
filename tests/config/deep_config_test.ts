import assert from "node:assert/strict";
import { GatewayCallError } from "../../src/client/gateway_client.ts";
import { MAX_CONFIG_DEPTH, nestedTooDeep } from "../../src/config/depth.ts";
import { REDACTED } from "../../src/config/redact.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";

/** A valid config with `meta` (an open object) nested `n` levels deep. */
function deep(n: number, extra = ""): string {
  return `{gateway: {mode: "local", auth: {token: ${JSON.stringify(TEST_TOKEN)}}}, ` +
    `meta: {${extra}x: ${"[".repeat(n)}${"]".repeat(n)}}}`;
}

Deno.test("nestedTooDeep() stops at the limit without recursing", () => {
  let v: unknown = 1;
  for (let i = 0; i < 1_000_000; i++) v = { a: v };
  assert.equal(nestedTooDeep(v), true);
  assert.equal(nestedTooDeep({ a: { b: [[1]] } }), false);
  assert.equal(
    nestedTooDeep(JSON.parse("[".repeat(MAX_CONFIG_DEPTH) + "]".repeat(MAX_CONFIG_DEPTH))),
    false,
  );
  assert.equal(
    nestedTooDeep(JSON.parse("[".repeat(MAX_CONFIG_DEPTH + 1) + "]".repeat(MAX_CONFIG_DEPTH + 1))),
    true,
  );
});

Deno.test("config.validate/set/patch refuse a deeply nested text by name, and the gateway stays up", async () => {
  await using gw = await startTestGateway();
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const before = await Deno.readTextFile(path);
  const { hash } = await client.request<{ hash: string }>("config.get", {});
  // With a masked secret too: the restore walk used to copy its path per level.
  for (const raw of [deep(200), deep(200, `token: "${REDACTED}", `)]) {
    const res = await client.request<{ valid: boolean; issues: { message: string }[] }>(
      "config.validate",
      { raw },
    );
    assert.equal(res.valid, false);
    assert.match(res.issues[0].message, /nested more than 64 levels deep/);
    for (const method of ["config.set", "config.patch"]) {
      const err = await client.request(method, { raw, baseHash: hash }).then(
        () => assert.fail(`${method} accepted a deep text`),
        (e: unknown) => e as GatewayCallError,
      );
      assert.ok(err instanceof GatewayCallError);
      assert.equal(err.error.code, "INVALID_REQUEST", err.message);
      assert.match(err.message, /nested more than 64 levels deep/);
    }
  }
  assert.equal(await Deno.readTextFile(path), before);
  // A normal config still validates.
  const ok = await client.request<{ valid: boolean }>("config.validate", { raw: deep(3) });
  assert.equal(ok.valid, true);
  await client.close();
});

Deno.test("config.set never writes the masked placeholder, even spelled with escapes", async () => {
  await using gw = await startTestGateway();
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const before = await Deno.readTextFile(path);
  const { hash } = await client.request<{ hash: string }>("config.get", {});
  const escaped = REDACTED.replace("R", "\\u0052");
  const raw = `{gateway: {mode: "local", auth: {token: "${escaped}"}}}`;
  const err = await client.request("config.set", { raw, baseHash: hash }).then(
    () => assert.fail("config.set wrote the placeholder as the gateway token"),
    (e: unknown) => e as GatewayCallError,
  );
  assert.ok(err instanceof GatewayCallError);
  assert.match(err.message, /gateway\.auth\.token: holds the masked placeholder/);
  assert.equal(await Deno.readTextFile(path), before);
  await client.close();
});
