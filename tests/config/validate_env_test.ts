import assert from "node:assert/strict";
import { GatewayCallError } from "../../src/client/gateway_client.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";

const SECRET = "sk-env-secret-0123456789";

Deno.test("config.validate and config.set never quote a value substituted from the environment", async () => {
  await using gw = await startTestGateway({
    config: { gateway: { mode: "local", auth: { token: TEST_TOKEN } } },
    env: { SECRET_KEY_VAR: SECRET },
  });
  const client = await gw.connect();
  const { hash } = await client.request<{ hash: string }>("config.get", {});
  // A key whose problem message quotes the value it got.
  const raw = JSON.stringify({
    gateway: { mode: "local", auth: { token: TEST_TOKEN } },
    agents: { defaults: { model: "${SECRET_KEY_VAR}" } },
  });
  const res = await client.request<{ valid: boolean; issues: { path: string; message: string }[] }>(
    "config.validate",
    { raw },
  );
  assert.equal(res.valid, false);
  assert.equal(res.issues[0].path, "agents.defaults.model");
  assert.match(res.issues[0].message, /\$\{SECRET_KEY_VAR\}/);
  assert.ok(!JSON.stringify(res).includes(SECRET), JSON.stringify(res));
  const err = await client.request("config.set", { raw, baseHash: hash }).then(
    () => assert.fail("config.set accepted an unusable model"),
    (e: unknown) => e as GatewayCallError,
  );
  assert.ok(err instanceof GatewayCallError);
  assert.match(err.message, /\$\{SECRET_KEY_VAR\}/);
  assert.ok(!JSON.stringify({ m: err.message, d: err.error }).includes(SECRET));
  await client.close();
});
