import assert from "node:assert/strict";
import { LAZY_MODULES } from "../../../src/runtime/lazy_import.ts";
import { fileURLToPath } from "node:url";
import { createModelCatalog } from "../../../src/agent/providers/mod.ts";
import { resolveCredential } from "../../../src/agent/providers/credentials.ts";
import { toModelMessages } from "../../../src/agent/providers/messages.ts";
import { backoffMs, DEFAULT_RETRY } from "../../../src/agent/providers/failover.ts";
import { retryAfterMs } from "../../../src/agent/providers/errors.ts";
import type { GatewayConfig } from "../../../src/config/schema.ts";
import { ProviderError } from "../../../src/agent/types.ts";

const STUB = {
  baseUrl: "http://127.0.0.1:28800/v1/",
  apiKey: "sk-stub-123",
  api: "openai-completions" as const,
  models: [{ id: "stub-model", name: "Stub Model", contextWindow: 128000, maxTokens: 4096 }],
};

function thrown(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ProviderError, String(e));
    return e;
  }
  assert.fail("expected a ProviderError");
}

Deno.test("createModelCatalog() loads no SDK statically (ai and @ai-sdk/* only through importLazy)", async () => {
  const mod = fileURLToPath(new URL("../../../src/agent/providers/mod.ts", import.meta.url));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", mod],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(out.success);
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  const byUrl = new Map<string, { dependencies?: Array<Record<string, unknown>> }>(
    info.modules.map((m: { specifier: string }) => [m.specifier, m]),
  );
  const seen = new Set<string>();
  const stack: string[] = [...info.roots];
  const npm: string[] = [];
  while (stack.length) {
    const url = stack.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (url.startsWith("npm:")) {
      npm.push(url);
      continue;
    }
    for (const dep of byUrl.get(url)?.dependencies ?? []) {
      const code = dep.code as { specifier?: string } | undefined;
      if (!code?.specifier) continue; // type-only imports are erased
      if (dep.isDynamic) continue;
      stack.push(code.specifier);
    }
  }
  const sdk = /^npm:\/?(ai@|@ai-sdk\/|ollama-ai-provider)/;
  assert.deepEqual(npm.filter((s) => sdk.test(s)), [], "no SDK in the static graph");
  // Loaded by a specifier Deno cannot see at start (and deno compile embeds by --include).
  for (
    const m of ["ai", "@ai-sdk/openai-compatible", "@ai-sdk/anthropic", "ollama-ai-provider-v2"]
  ) {
    assert.ok(LAZY_MODULES.includes(m), `${m} is not loaded through importLazy`);
  }
});

Deno.test("defaultRefs() reads agents.defaults.model as a string or {primary, fallbacks}, and per agent", () => {
  const config = {
    models: { providers: { stub: STUB } },
    agents: {
      defaults: {
        model: { primary: "stub/stub-model", fallbacks: ["anthropic/claude-x", "stub/stub-model"] },
      },
      list: [{ id: "main" }, { id: "ops", model: "ollama/llama3" }, {
        id: "lab",
        model: { primary: "openai/o9", fallbacks: [] },
      }],
    },
  } as GatewayConfig;
  const c = createModelCatalog(config, {});
  assert.deepEqual(c.defaultRefs(), [
    { provider: "stub", model: "stub-model" },
    { provider: "anthropic", model: "claude-x" },
  ]);
  assert.deepEqual(c.defaultRefs("main"), c.defaultRefs());
  assert.deepEqual(c.defaultRefs("ops"), [
    { provider: "ollama", model: "llama3" },
    { provider: "anthropic", model: "claude-x" },
    { provider: "stub", model: "stub-model" },
  ]);
  assert.deepEqual(c.defaultRefs("lab"), [{ provider: "openai", model: "o9" }]);
  const plain = createModelCatalog(
    { agents: { defaults: { model: "stub/stub-model" } } } as GatewayConfig,
    {},
  );
  assert.deepEqual(plain.defaultRefs(), [{ provider: "stub", model: "stub-model" }]);
  assert.deepEqual(createModelCatalog({}, {}).defaultRefs(), [{
    provider: "openai",
    model: "gpt-6-astra",
  }]);
});

Deno.test("resolve() of an empty default chain names the bad config key instead of a TypeError", () => {
  const c = createModelCatalog({ agents: { defaults: { model: { primary: "gpt4" } } } }, {});
  const chain = c.defaultRefs("main");
  assert.deepEqual(chain, []);
  assert.throws(
    () => c.resolve(chain[0]),
    (err: unknown) =>
      err instanceof ProviderError && err.reason === "bad_request" &&
      /No usable model is configured \(agents\.defaults\.model\.primary: model "gpt4"/.test(
        err.message,
      ),
  );
});

Deno.test("resolve() fills a configured model, keeps slashes in model ids and follows config changes", () => {
  let config = { models: { providers: { stub: STUB } } } as GatewayConfig;
  const c = createModelCatalog(() => config, { ANTHROPIC_API_KEY: "k" });
  const m = c.resolve("stub/stub-model");
  assert.equal(m.baseUrl, "http://127.0.0.1:28800/v1");
  assert.equal(m.apiKey, "sk-stub-123");
  assert.deepEqual(m.credential, { kind: "config", name: "models.providers.stub.apiKey" });
  assert.equal(m.contextWindow, 128000);
  assert.equal(m.maxTokens, 4096);
  assert.deepEqual(m.thinkingLevels, ["off"]);
  assert.equal(m.idleTimeoutMs, 300_000, "self-hosted watchdog");
  assert.equal(c.resolve({ provider: "anthropic", model: "a/b" }).ref.model, "a/b");
  assert.equal(
    createModelCatalog({}, { ANTHROPIC_API_KEY: "k" }).resolve("anthropic/claude-x").idleTimeoutMs,
    120_000,
  );
  assert.equal(c.resolve("stub-model").ref.provider, "stub", "a unique bare id resolves");
  config = { models: { providers: { stub: { ...STUB, timeoutSeconds: 7 } } } } as GatewayConfig;
  assert.equal(c.resolve("stub/stub-model").idleTimeoutMs, 7000);
});

Deno.test("resolve() without a credential throws the spec's auth message; unknown refs are bad_request", () => {
  const c = createModelCatalog(
    { models: { providers: { stub: { ...STUB, apiKey: undefined } } } } as GatewayConfig,
    {},
  );
  const auth = thrown(() => c.resolve("openai/gpt-6-astra"));
  assert.equal(auth.message, "No route-compatible authentication source is configured for openai.");
  assert.equal(auth.reason, "auth");
  assert.equal(
    thrown(() => c.resolve("stub/stub-model")).message,
    "No route-compatible authentication source is configured for stub.",
  );
  const unknown = thrown(() => c.resolve("stub/other"));
  assert.equal(unknown.reason, "bad_request");
  assert.match(unknown.message, /Unknown model "stub\/other".*models\.providers\.stub\.models/);
  assert.match(thrown(() => c.resolve("nope/x")).message, /Unknown model provider "nope"/);
  assert.match(thrown(() => c.resolve("junk")).message, /not a "provider\/model" reference/);
  const replace = createModelCatalog({ models: { mode: "replace" } } as GatewayConfig, {
    OPENAI_API_KEY: "k",
  });
  assert.equal(thrown(() => replace.resolve("openai/gpt-6-astra")).reason, "bad_request");
});

Deno.test("resolveCredential() order: config, OPENCLAW_LIVE_<P>_KEY, <P>_API_KEYS, <P>_API_KEY, numbered", () => {
  const env = {
    OPENCLAW_LIVE_MY_PROV_KEY: "live",
    MY_PROV_API_KEYS: " ;first, second",
    MY_PROV_API_KEY: "single",
    MY_PROV_API_KEY_2: "two",
    MY_PROV_API_KEY_10: "ten",
  };
  assert.deepEqual(resolveCredential("my-prov", "cfg", env), {
    apiKey: "cfg",
    source: { kind: "config", name: "models.providers.my-prov.apiKey" },
  });
  assert.deepEqual(
    resolveCredential("my-prov", undefined, env).source.name,
    "OPENCLAW_LIVE_MY_PROV_KEY",
  );
  const { OPENCLAW_LIVE_MY_PROV_KEY: _a, ...e1 } = env;
  assert.equal(resolveCredential("my-prov", "", e1).apiKey, "first");
  const { MY_PROV_API_KEYS: _b, ...e2 } = e1;
  assert.equal(resolveCredential("my-prov", undefined, e2).apiKey, "single");
  const { MY_PROV_API_KEY: _c, ...e3 } = e2;
  assert.deepEqual(resolveCredential("my-prov", undefined, e3), {
    apiKey: "two",
    source: { kind: "env", name: "MY_PROV_API_KEY_2" },
  });
  assert.deepEqual(resolveCredential("my-prov", undefined, {}), { source: { kind: "none" } });
});

Deno.test("resolve() lets a loopback Ollama run without a key and keeps an env key away from it", () => {
  const c = createModelCatalog({}, { OLLAMA_API_KEY: "cloud-key" });
  const m = c.resolve("ollama/llama3");
  assert.equal(m.api, "ollama");
  assert.equal(m.baseUrl, "http://127.0.0.1:11434");
  assert.equal(m.apiKey, undefined);
  assert.deepEqual(m.credential, { kind: "env", name: "OLLAMA_API_KEY" });
});

Deno.test("list() returns every configured model with its credential source and never a key", () => {
  const c = createModelCatalog({ models: { providers: { stub: STUB } } } as GatewayConfig, {});
  const list = c.list();
  assert.deepEqual(list, [{
    id: "stub-model",
    name: "Stub Model",
    provider: "stub",
    contextWindow: 128000,
    reasoning: false,
    input: ["text"],
    credential: { kind: "config", name: "models.providers.stub.apiKey" },
    thinkingLevels: ["off"],
    available: true,
  }]);
  assert.ok(!JSON.stringify(list).includes("sk-stub-123"));
  const keyless = createModelCatalog(
    { models: { providers: { stub: { ...STUB, apiKey: undefined } } } } as GatewayConfig,
    {},
  );
  assert.equal(keyless.list()[0].available, false);
  assert.deepEqual(keyless.list()[0].credential, { kind: "none" });
});

Deno.test("toModelMessages() sanitises tool ids, pairs results with calls and fills in a missing result", () => {
  const msgs = toModelMessages([
    { role: "user", content: "go", timestamp: 1 },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "hmm" },
        { type: "toolCall", id: "call_a-1", name: "read", arguments: { path: "x" } },
        { type: "toolCall", id: "call_b", name: "exec", arguments: { command: "ls" } },
      ],
      timestamp: 2,
    },
    {
      role: "toolResult",
      toolCallId: "call_a-1",
      toolName: "read",
      content: [{ type: "text", text: "data" }],
      isError: false,
      timestamp: 3,
    },
    { role: "assistant", content: [], stopReason: "error", errorMessage: "500", timestamp: 4 },
    {
      role: "toolResult",
      toolCallId: "orphan",
      toolName: "read",
      content: [],
      isError: false,
      timestamp: 5,
    },
  ]);
  assert.equal(msgs.length, 3);
  assert.deepEqual(msgs[1], {
    role: "assistant",
    content: [
      { type: "tool-call", toolCallId: "calla1", toolName: "read", input: { path: "x" } },
      { type: "tool-call", toolCallId: "callb", toolName: "exec", input: { command: "ls" } },
    ],
  });
  const results = msgs[2].content as Array<{ toolCallId: string; output: { type: string } }>;
  assert.deepEqual(results.map((r) => [r.toolCallId, r.output.type]), [["calla1", "text"], [
    "callb",
    "error-text",
  ]]);
});

Deno.test("backoffMs() grows exponentially with jitter, caps, and never undercuts Retry-After", () => {
  const p = DEFAULT_RETRY;
  assert.equal(backoffMs(1, p, () => 0), 250);
  assert.equal(backoffMs(1, p, () => 0.999), 500);
  assert.equal(backoffMs(3, p, () => 0.5), 1500);
  assert.equal(backoffMs(10, p, () => 0.999), 7996);
  assert.equal(backoffMs(1, p, () => 0, 3000), 3000);
  assert.equal(retryAfterMs({ "Retry-After": "2" }), 2000);
  assert.equal(retryAfterMs({ "retry-after-ms": "150" }), 150);
  assert.equal(retryAfterMs({ "retry-after": new Date(10_000).toUTCString() }, 4000), 6000);
  assert.equal(retryAfterMs({ "retry-after": "soon" }), undefined);
});

Deno.test("resolve() refuses an api this gateway does not speak, naming the ones it does", () => {
  const c = createModelCatalog(
    { models: { providers: { stub: { ...STUB, api: "openai-responses" } } } } as GatewayConfig,
    {},
  );
  const e = thrown(() => c.resolve("stub/stub-model"));
  assert.equal(e.reason, "bad_request");
  assert.match(e.message, /api "openai-responses".*openai-completions, anthropic-messages, ollama/);
});
