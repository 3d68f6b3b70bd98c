import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";

Deno.test("HTTP API answers are never cached (authenticated and refused alike)", async () => {
  await using gw = await startTestGateway({
    config: {
      gateway: {
        mode: "local",
        auth: { token: TEST_TOKEN },
        http: { endpoints: { chatCompletions: { enabled: true } } },
      },
    },
  });
  const url = `http://127.0.0.1:${gw.port}`;
  const authed = await fetch(`${url}/v1/models`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  assert.equal(authed.status, 200);
  assert.match(await authed.text(), /"object":"list"/);
  assert.equal(authed.headers.get("cache-control"), "no-store");
  const refused = await fetch(`${url}/tools/invoke`, { method: "POST", body: "{}" });
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  assert.equal(refused.headers.get("cache-control"), "no-store");
});
