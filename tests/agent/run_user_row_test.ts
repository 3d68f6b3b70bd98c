/**
 * The user row is written while the prompt is built, yet still lands before
 * the model call and before any later row (real engine, real store, the
 * scripted provider on a real port; only the timing of the parts is shaped).
 */

import assert from "node:assert/strict";
import { createAgentEngine } from "../../src/agent/mod.ts";
import type { EnginePrompt, EngineSessions } from "../../src/agent/ports.ts";
import { createPrompt } from "../../src/agent/prompt_engine.ts";
import { engineSessions } from "../../src/agent/sessions/engine_port.ts";
import type { RunEvent } from "../../src/agent/types.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { startScriptedProvider } from "../_fakes/scripted_provider.ts";
import { stubConfig } from "./e2e/_agent_gateway.ts";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function fixture(prompt: (order: string[]) => EnginePrompt) {
  const provider = await startScriptedProvider();
  const stateDir = await Deno.makeTempDir({ prefix: "openclaw-user-row-" });
  const config = stubConfig(provider) as never;
  const order: string[] = [];
  const ref: { real?: EngineSessions } = {};
  // The user row's write is slowed, so a serial turn would show it first.
  const sessions = new Proxy({} as EngineSessions, {
    get: (_t, name: keyof EngineSessions) =>
      name === "append"
        ? async (...args: Parameters<EngineSessions["append"]>) => {
          const row = args[2] as { message?: { role?: string } };
          if (row.message?.role === "user") await sleep(60);
          await ref.real!.append(...args);
          order.push(`row:${row.message?.role ?? "custom"}`);
        }
        : ref.real![name],
  });
  const agent = createAgentEngine({
    config: () => config,
    env: {},
    stateDir,
    log: silentLogger(),
    overrides: { sessions, prompt: prompt(order) },
  });
  ref.real = engineSessions(agent.store);
  agent.engine.subscribe((ev: RunEvent) => {
    if (ev.event !== "agent") return;
    const data = ev.payload.data as { phase?: string; provider?: unknown } | undefined;
    if (data?.phase === "model" && data.provider) order.push("model");
  });
  await agent.engine.start();
  return {
    provider,
    agent,
    order,
    async [Symbol.asyncDispose]() {
      await agent.stop();
      await provider.close();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

Deno.test("a turn builds the prompt while the user row is written, and calls the model after it", async () => {
  await using fx = await fixture((order) => {
    const inner = createPrompt();
    return {
      build: (input) => (order.push("prompt"), inner.build(input)),
    };
  });
  const handle = await fx.agent.engine.run({
    idempotencyKey: "user-row-1",
    message: "hello",
    sessionKey: "agent:main:main",
  });
  assert.equal((await handle.done).status, "ok");
  assert.deepEqual(fx.order, ["prompt", "row:user", "model", "row:assistant"]);
  const { messages } = await fx.agent.store.history("agent:main:main");
  assert.deepEqual(messages.map((m) => m.role), ["user", "assistant"]);
});

Deno.test("a prompt that fails leaves the user row written before the failure row", async () => {
  await using fx = await fixture(() => ({
    build: () => Promise.reject(new Error("prompt broke")),
  }));
  const handle = await fx.agent.engine.run({
    idempotencyKey: "user-row-2",
    message: "hello",
    sessionKey: "agent:main:main",
  });
  const result = await handle.done;
  assert.equal(result.status, "error");
  assert.deepEqual(fx.order, ["row:user", "row:custom"]);
  assert.equal(fx.provider.chatRequests().length, 0, "the model was never called");
});

Deno.test("a model that cannot resolve leaves the user row written before the failure row", async () => {
  await using fx = await fixture(() => createPrompt());
  const handle = await fx.agent.engine.run({
    idempotencyKey: "user-row-3",
    message: "hello",
    sessionKey: "agent:main:main",
    model: "nosuch/model",
  });
  const result = await handle.done;
  assert.equal(result.status, "error");
  assert.deepEqual(fx.order, ["row:user", "row:custom"]);
});
