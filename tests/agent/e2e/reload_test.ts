import assert from "node:assert/strict";
import { RawWs } from "../../_helpers/raw_ws.ts";
import { startTestGateway } from "../../_helpers/gateway.ts";
import { startScriptedProvider } from "../../_fakes/scripted_provider.ts";
import { ALL_SCOPES, idem, stubConfig } from "./_agent_gateway.ts";

Deno.test("models and agents added with config.patch apply to the next turn without a restart", async () => {
  const provider = await startScriptedProvider();
  try {
    await using gw = await startTestGateway();
    await using ws = await RawWs.connect(gw.url, { scopes: ALL_SCOPES });
    const before = await ws.request("health", {});
    assert.equal(before.payload.model.credential, "none");
    const { models, agents } = stubConfig(provider);
    const { payload: current } = await ws.request("config.get", {});
    const patch = await ws.request("config.patch", {
      raw: JSON.stringify({ models, agents }),
      baseHash: current.hash,
    });
    assert.equal(patch.ok, true, JSON.stringify(patch));
    // Applied live: the same socket, no shutdown, and the next turn uses the new provider.
    const ack = await ws.request("agent", {
      message: "hello",
      idempotencyKey: idem("reload"),
      sessionKey: "main",
    });
    const final = await ws.next(
      (f) => f.type === "res" && f.id === ack.id && f.payload?.status !== "accepted",
      10_000,
    );
    assert.equal(final.payload.status, "ok", JSON.stringify(final));
    assert.equal(provider.chatRequests().length, 1);
    assert.equal(ws.events("shutdown").length, 0);
    const after = await ws.request("health", { probe: true });
    assert.deepEqual(after.payload.model, { model: "stub/stub-model", credential: "config" });
  } finally {
    await provider.close();
  }
});
