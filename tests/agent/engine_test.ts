/**
 * The engine in process (as channels, the HTTP APIs and `--local` use it),
 * against the scripted provider on a real port.
 */

import assert from "node:assert/strict";
import { createAgentEngine } from "../../src/agent/mod.ts";
import type { RunEvent } from "../../src/agent/types.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { startScriptedProvider } from "../_fakes/scripted_provider.ts";
import { stubConfig } from "./e2e/_agent_gateway.ts";

async function fixture() {
  const provider = await startScriptedProvider();
  const stateDir = await Deno.makeTempDir({ prefix: "openclaw-engine-" });
  const config = stubConfig(provider) as never;
  const agent = createAgentEngine({
    config: () => config,
    env: {},
    stateDir,
    log: silentLogger(),
  });
  await agent.engine.start();
  return {
    provider,
    agent,
    stateDir,
    async [Symbol.asyncDispose]() {
      await agent.stop();
      await provider.close();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

Deno.test("engine.run() hands calls of caller-defined tools back and ends the run", async () => {
  await using fx = await fixture();
  fx.provider.script([{
    toolCalls: [{ id: "c1", name: "get_weather", arguments: { city: "Oslo" } }],
  }]);
  const handle = await fx.agent.engine.run({
    idempotencyKey: "client-tools-1",
    message: "weather?",
    sessionKey: "agent:main:openai:test",
    clientTools: [{
      name: "get_weather",
      description: "Weather of a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    }],
  });
  const result = await handle.done;
  assert.equal(result.status, "ok");
  assert.equal(result.stopReason, "toolUse");
  assert.deepEqual(result.clientToolCalls, [
    { id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' },
  ]);
  const [req] = fx.provider.chatRequests();
  const names = req.body.tools.map((t: { function: { name: string } }) => t.function.name);
  assert.ok(names.includes("get_weather") && names.includes("read"));
  assert.equal(fx.provider.chatRequests().length, 1, "the engine did not answer the call itself");
});

Deno.test("engine.run() prepends caller history without persisting it", async () => {
  await using fx = await fixture();
  const handle = await fx.agent.engine.run({
    idempotencyKey: "history-1",
    message: "and now?",
    sessionKey: "agent:main:openai:h",
    history: [{ role: "user", content: "EARLIER-TURN", timestamp: 1 }],
  });
  assert.equal((await handle.done).status, "ok");
  assert.match(JSON.stringify(fx.provider.chatRequests()[0].body.messages), /EARLIER-TURN/);
  const { messages } = await fx.agent.store.history("agent:main:openai:h");
  assert.doesNotMatch(JSON.stringify(messages), /EARLIER-TURN/);
});

Deno.test("engine events: one seq per run shared by agent and chat, lifecycle start to end", async () => {
  await using fx = await fixture();
  const events: RunEvent[] = [];
  fx.agent.engine.subscribe((e) => events.push(e));
  const handle = await fx.agent.engine.run({
    idempotencyKey: "events-1",
    message: "hi",
    sessionKey: "main",
  });
  await handle.done;
  const runEvents = events.filter((e) => e.event === "agent" || e.event === "chat")
    .map((e) => e.payload).filter((p) => p.runId === "events-1");
  const agentSeqs = runEvents.filter((p) => "stream" in p).map((p) => p.seq as number);
  assert.deepEqual(agentSeqs, agentSeqs.map((_, i) => i + 1), "agent seq counts up from 1");
  const last = runEvents.at(-1)!;
  assert.equal(last.state, "final");
  assert.equal(last.seq, agentSeqs.at(-1), "the final mirrors the lifecycle end");
  assert.ok(events.some((e) => e.event === "sessions.changed"));
});

Deno.test("engine.run() keeps the model's reasoning in the transcript, not in the reply", async () => {
  await using fx = await fixture();
  fx.provider.script([{ reasoning: ["weighing ", "options"], text: "Done." }]);
  const handle = await fx.agent.engine.run({
    idempotencyKey: "think-1",
    message: "decide",
    sessionKey: "main",
  });
  const result = await handle.done;
  assert.equal(result.text, "Done.");
  const { messages } = await fx.agent.store.history("agent:main:main");
  const reply = messages.at(-1) as unknown as {
    content: Array<{ type: string; thinking?: string }>;
  };
  assert.deepEqual(reply.content[0], { type: "thinking", thinking: "weighing options" });
});

Deno.test("createAgentEngine() warns about tools.allow entries that match no tool, at start and after a reload", async () => {
  const provider = await startScriptedProvider();
  const stateDir = await Deno.makeTempDir({ prefix: "openclaw-engine-" });
  const warnings: string[] = [];
  const log = silentLogger();
  let config = { ...stubConfig(provider), tools: { allow: ["exce", "raed"] } } as never;
  const agent = createAgentEngine({
    config: () => config,
    env: {},
    stateDir,
    log: { ...log, warn: (m: string) => warnings.push(m) },
  });
  try {
    assert.equal(warnings.length, 2, warnings.join("\n"));
    assert.match(warnings[0], /tools\.allow entry "exce" matches no tool or group/);
    agent.parts();
    assert.equal(warnings.length, 2, "an unchanged config does not warn again");
    config = { ...stubConfig(provider), tools: { deny: ["proces"] } } as never;
    agent.parts();
    assert.equal(warnings.length, 3);
    assert.match(warnings[2], /tools\.deny entry "proces"/);
  } finally {
    await agent.stop();
    await provider.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test(
  "engine.run() reruns a key a shutdown cut off only with retryInterrupted",
  async () => {
    const provider = await startScriptedProvider({ slowChunkMs: 200, slowChunks: 20 });
    const stateDir = await Deno.makeTempDir({ prefix: "openclaw-engine-" });
    const config = stubConfig(provider) as never;
    const make = async () => {
      const a = createAgentEngine({ config: () => config, env: {}, stateDir, log: silentLogger() });
      await a.engine.start();
      return a;
    };
    try {
      const first = await make();
      const cut = await first.engine.run({ idempotencyKey: "k-cut", message: "SLOW" });
      await provider.waitForChatRequests(1);
      await first.stop(); // the shutdown aborts the run; its record stays "started"
      assert.equal((await cut.done).status, "error");

      const second = await make();
      try {
        const plain = await second.engine.run({ idempotencyKey: "k-cut", message: "hello" });
        assert.equal(plain.duplicate, true);
        assert.match((await plain.done).error ?? "", /interrupted by a gateway restart/);
        assert.equal(provider.chatRequests().length, 1, "not run again without the flag");

        const rerun = await second.engine.run({
          idempotencyKey: "k-cut",
          message: "hello",
          retryInterrupted: true,
        });
        assert.equal(rerun.duplicate, false);
        const done = await rerun.done;
        assert.equal(done.status, "ok");
        assert.equal(done.text, "Hello from stub.");
        // Finished now: the flag does not run it a third time.
        const again = await second.engine.run({
          idempotencyKey: "k-cut",
          message: "hello",
          retryInterrupted: true,
        });
        assert.equal(again.duplicate, true);
        assert.equal((await again.done).text, "Hello from stub.");
        assert.equal(provider.chatRequests().length, 2);
      } finally {
        await second.stop();
      }
    } finally {
      await provider.close();
      await Deno.remove(stateDir, { recursive: true });
    }
  },
);

Deno.test(
  "engine.run() rerunning a cut-off turn with the same text writes and sends its user row once",
  async () => {
    const provider = await startScriptedProvider({ slowChunkMs: 200, slowChunks: 20 });
    const stateDir = await Deno.makeTempDir({ prefix: "openclaw-engine-" });
    const config = stubConfig(provider) as never;
    const make = async () => {
      const a = createAgentEngine({ config: () => config, env: {}, stateDir, log: silentLogger() });
      await a.engine.start();
      return a;
    };
    const req = {
      idempotencyKey: "k-same",
      message: "SLOW",
      sessionKey: "main",
      retryInterrupted: true,
    };
    try {
      const first = await make();
      await first.engine.run(req);
      await provider.waitForChatRequests(1);
      await first.stop();
      const second = await make();
      try {
        provider.script([{ text: "answered" }]);
        const done = await (await second.engine.run(req)).done;
        assert.equal(done.text, "answered");
        const sent = provider.chatRequests()[1].body.messages
          .filter((m: { role: string; content: string }) =>
            m.role === "user" && String(m.content).includes("SLOW")
          );
        assert.equal(sent.length, 1, "the model gets the message once");
        const { messages } = await second.store.history("agent:main:main", { limit: 50 });
        const users = messages.filter((m: { role: string }) => m.role === "user");
        assert.equal(users.length, 1, JSON.stringify(messages));
      } finally {
        await second.stop();
      }
    } finally {
      await provider.close();
      await Deno.remove(stateDir, { recursive: true });
    }
  },
);

Deno.test("engine.run() parses a model override with the catalog's one ref parser", async () => {
  await using fx = await fixture();
  // A bare id unique among configured models resolves like "stub/stub-model".
  const bare = await fx.agent.engine.run({
    idempotencyKey: "model-bare-1",
    message: "hi",
    sessionKey: "agent:main:openai:model-bare",
    model: "stub-model",
  });
  assert.equal((await bare.done).status, "ok");
  assert.equal(fx.provider.chatRequests()[0].body.model, "stub-model");
  const bad = await fx.agent.engine.run({
    idempotencyKey: "model-bad-1",
    message: "hi",
    sessionKey: "agent:main:openai:model-bad",
    model: "nonsense",
  });
  const result = await bad.done;
  assert.equal(result.status, "error");
  assert.match(result.error ?? "", /"nonsense" is not a "provider\/model" reference/);
});
