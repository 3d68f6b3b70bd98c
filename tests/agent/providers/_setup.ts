/**
 * Shared setup of the provider tests: a config whose providers point at a
 * scripted provider, and helpers to drain a catalog stream.
 *
 * @module
 */

import type { GatewayConfig } from "../../../src/config/schema.ts";
import type { ModelApi, ModelStreamEvent, ResolvedModel } from "../../../src/agent/types.ts";
import type { ScriptedProvider, WireApi } from "../../_fakes/scripted_provider.ts";

/** The wire API of each adapter. */
export const WIRE: Record<ModelApi, WireApi> = {
  "openai-completions": "openai",
  "anthropic-messages": "anthropic",
  "ollama": "ollama",
};

/** One provider entry pointing at `p`, speaking `api`. */
export function providerEntry(
  p: ScriptedProvider | { baseUrl(api: WireApi): string },
  api: ModelApi,
  extra: Record<string, unknown> = {},
) {
  return {
    baseUrl: p.baseUrl(WIRE[api]),
    apiKey: "sk-test-key-1234567890",
    api,
    models: [{ id: "stub-model", name: "Stub Model", contextWindow: 128000, maxTokens: 4096 }],
    ...extra,
  };
}

/** A config with `providers` and the default chain `chain`. */
export function configWith(
  providers: Record<string, unknown>,
  chain: string[] = ["stub/stub-model"],
): GatewayConfig {
  return {
    models: { mode: "merge", providers },
    agents: {
      defaults: { model: { primary: chain[0], fallbacks: chain.slice(1) } },
    },
  } as GatewayConfig;
}

/** A one-turn request with a 10 s safety abort. */
export function request(text: string, extra: Record<string, unknown> = {}) {
  return {
    system: "You are a test.",
    messages: [{ role: "user" as const, content: text, timestamp: 1 }],
    tools: [],
    signal: AbortSignal.timeout(10_000),
    ...extra,
  };
}

/** Drains a stream into events (with the model ref text) or the thrown error. */
export async function drain(
  stream: AsyncIterable<ModelStreamEvent & { model: ResolvedModel }>,
): Promise<{ events: Array<ModelStreamEvent & { ref: string }>; error?: unknown }> {
  const events: Array<ModelStreamEvent & { ref: string }> = [];
  try {
    for await (const ev of stream) {
      const { model, ...rest } = ev;
      events.push({ ...rest, ref: `${model.ref.provider}/${model.ref.model}` } as never);
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

/** A port nothing listens on (bound, then released). */
export function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
