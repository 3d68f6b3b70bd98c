import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";

Deno.test("gateway answers health over a real socket", async () => {
  await using gw = await startTestGateway();
  const client = await gw.connect();
  const health = await client.request<{ ok: boolean }>("health", {});
  assert.equal(health.ok, true);
  assert.ok(client.hello.features.methods.includes("health"));
  await client.close();
});
