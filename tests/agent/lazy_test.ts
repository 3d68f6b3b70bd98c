import assert from "node:assert/strict";
import { recordingClient, startAgentGateway } from "./e2e/_agent_gateway.ts";
import { AGENT_METHODS } from "../../src/methods/mod.ts";
import { agentMethodHandlers } from "../../src/methods/agent_group.ts";

Deno.test("the agent runtime loads on the first agent call, not at start; hello-ok lists its methods", async () => {
  await using fx = await startAgentGateway();
  const agent = fx.gw.proc.instance.agent!;
  await using rec = await recordingClient(fx.gw);
  const methods = rec.client.hello.features.methods;
  for (const m of AGENT_METHODS) assert.ok(methods.includes(m), `hello-ok lacks ${m}`);
  // health (with the default model's state) and status need no runtime.
  const health = await rec.client.request<{ model?: { model: string | null } }>("health", {});
  assert.equal(health.model?.model, "stub/stub-model");
  await rec.client.request("status", {});
  assert.equal(agent.loaded(), undefined, "the runtime loaded before any agent call");
  const list = await rec.client.request<{ sessions: unknown[] }>("sessions.list", {});
  assert.ok(Array.isArray(list.sessions));
  assert.ok(agent.loaded(), "sessions.list did not load the runtime");
});

Deno.test("AGENT_METHODS names exactly the handlers the loaded agent runtime serves", async () => {
  await using fx = await startAgentGateway();
  const runtime = await fx.gw.proc.instance.agent!.load();
  assert.deepEqual(
    Object.keys(agentMethodHandlers(runtime)).sort(),
    [...AGENT_METHODS].sort(),
  );
});
