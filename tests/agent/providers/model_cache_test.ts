import assert from "node:assert/strict";
import { createModelCatalog } from "../../../src/agent/providers/mod.ts";
import { ModelCache } from "../../../src/agent/providers/model_cache.ts";
import type { ModelApi, ResolvedModel } from "../../../src/agent/types.ts";
import { startScriptedProvider } from "../../_fakes/scripted_provider.ts";
import { configWith, providerEntry } from "./_setup.ts";

Deno.test("ModelCache builds one SDK model per resolved model; a new key is a new model", async () => {
  const cache = new ModelCache((input, init) => fetch(input, init));
  const model = {
    api: "openai-completions",
    ref: { provider: "stub", model: "m" },
    baseUrl: "http://127.0.0.1:9/v1",
    apiKey: "k1",
  } as ResolvedModel;
  const signal = new AbortController().signal;
  const a = await cache.model(model, signal, () => {});
  assert.equal(await cache.model(model, new AbortController().signal, () => {}), a);
  assert.notEqual(await cache.model({ ...model, apiKey: "k2" }, signal, () => {}), a);
});

// Every byte of a response is the idle watchdog's heartbeat. Two attempts at
// once share one cached SDK model: each attempt's bytes must reach its own
// watchdog (found through the request's abort signal), for all three SDKs.
Deno.test("a cached SDK model feeds each concurrent attempt's own idle watchdog", async () => {
  const p = await startScriptedProvider({ chunkDelayMs: 1 });
  (globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS = false;
  try {
    const ai = await import("ai");
    const apis: ModelApi[] = ["openai-completions", "anthropic-messages", "ollama"];
    for (const api of apis) {
      const cache = new ModelCache((input, init) => fetch(input, init));
      const catalog = createModelCatalog(configWith({ stub: providerEntry(p, api) }), {});
      const model = catalog.resolve("stub/stub-model");
      const beats = [0, 0];
      await Promise.all(beats.map(async (_, i) => {
        const ctl = new AbortController();
        const sdk = await cache.model(model, ctl.signal, () => beats[i]++);
        const r = ai.streamText({
          model: sdk,
          prompt: "hi",
          abortSignal: ctl.signal,
          maxRetries: 0,
          maxOutputTokens: 100,
        });
        for await (const _ of r.fullStream) { /* drain */ }
      }));
      assert.ok(beats[0] > 1 && beats[1] > 1, `${api}: heartbeats ${beats}`);
    }
  } finally {
    await p.close();
  }
});
