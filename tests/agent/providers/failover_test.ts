import assert from "node:assert/strict";
import { createModelCatalog } from "../../../src/agent/providers/mod.ts";
import { ProviderError, type ResolvedModel } from "../../../src/agent/types.ts";
import { startScriptedProvider } from "../../_fakes/scripted_provider.ts";
import { closedPort, configWith, drain, providerEntry, request } from "./_setup.ts";

const KEY = "sk-test-key-1234567890";

/** Hooks that record what the loop reported. */
function recorder() {
  const log: string[] = [];
  const delays: number[] = [];
  return {
    log,
    delays,
    hooks: {
      onAttempt: (m: ResolvedModel, n: number) => log.push(`attempt ${m.ref.provider} ${n}`),
      onRetry: (m: ResolvedModel, e: ProviderError, n: number, ms: number) => {
        delays.push(ms);
        log.push(`retry ${m.ref.provider} ${n} ${e.reason}`);
      },
      onFallback: (m: ResolvedModel, e: ProviderError, pos: number, outcome: string) =>
        log.push(`fallback ${m.ref.provider} ${pos} ${e.reason} ${outcome}`),
    },
  };
}

/** Real sleeps, but short: backoff is tested through the recorded delays. */
const fast = { retry: { baseMs: 5, capMs: 20 }, random: () => 0.5 };

Deno.test("stream() retries a 500 and succeeds on the next attempt", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 500, message: "stub forced failure" }]);
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
      fast,
    );
    const r = recorder();
    const { events, error } = await drain(
      catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks),
    );
    assert.equal(error, undefined);
    assert.equal(
      events.filter((e) => e.type === "text-delta").map((e) => e.delta).join(""),
      "Hello from stub.",
    );
    assert.deepEqual(r.log, ["attempt stub 1", "retry stub 1 server_error", "attempt stub 2"]);
    assert.equal(p.chatRequests().length, 2);
  } finally {
    await p.close();
  }
});

Deno.test("stream() waits at least the 429 Retry-After before retrying", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 429, headers: { "retry-after": "2" } }]);
    const slept: number[] = [];
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "anthropic-messages") }),
      {},
      {
        ...fast,
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve(true);
        },
      },
    );
    const r = recorder();
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks));
    assert.equal(error, undefined);
    assert.deepEqual(slept, [2000]);
    assert.deepEqual(r.delays, [2000]);
    assert.deepEqual(r.log, ["attempt stub 1", "retry stub 1 rate_limit", "attempt stub 2"]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() gives up on a model whose Retry-After exceeds the cap and falls back", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 429, headers: { "retry-after": "120" } }]);
    const config = configWith({
      stub: providerEntry(p, "openai-completions"),
      backup: providerEntry(p, "ollama"),
    }, ["stub/stub-model", "backup/stub-model"]);
    const catalog = createModelCatalog(config, {}, fast);
    const r = recorder();
    const { events, error } = await drain(
      catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks),
    );
    assert.equal(error, undefined);
    assert.deepEqual(r.log, [
      "attempt stub 1",
      "fallback stub 1 rate_limit next",
      "attempt backup 1",
    ]);
    assert.ok(events.every((e) => e.ref === "backup/stub-model"));
  } finally {
    await p.close();
  }
});

Deno.test("stream() falls back to the second model after the first keeps failing, then reports the chain", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 500 }, { status: 500 }, { status: 500 }]);
    const config = configWith({
      stub: providerEntry(p, "openai-completions"),
      backup: providerEntry(p, "anthropic-messages"),
    }, ["stub/stub-model", "backup/stub-model"]);
    const catalog = createModelCatalog(config, {}, fast);
    const r = recorder();
    const { events, error } = await drain(
      catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks),
    );
    assert.equal(error, undefined);
    assert.deepEqual(r.log, [
      "attempt stub 1",
      "retry stub 1 server_error",
      "attempt stub 2",
      "retry stub 2 server_error",
      "attempt stub 3",
      "fallback stub 1 server_error next",
      "attempt backup 1",
    ]);
    assert.equal(
      events.filter((e) => e.type === "text-delta").map((e) => e.delta).join(""),
      "Hello from stub.",
    );
    assert.deepEqual(p.chatRequests().map((q) => q.path), [
      "/v1/chat/completions",
      "/v1/chat/completions",
      "/v1/chat/completions",
      "/v1/messages",
    ]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() throws the last error, in the capture's wire form, when the chain is exhausted", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
      {
        ...fast,
        retry: { ...fast.retry, attempts: 2 },
      },
    );
    const r = recorder();
    const { error } = await drain(
      catalog.stream(catalog.defaultRefs(), request("FAIL500"), r.hooks),
    );
    assert.ok(error instanceof ProviderError);
    assert.equal(error.reason, "server_error");
    assert.equal(error.status, 500);
    assert.equal(error.message, "500 stub forced failure");
    assert.equal(r.log.at(-1), "fallback stub 1 server_error chain_exhausted");
  } finally {
    await p.close();
  }
});

Deno.test("stream() does not retry a 401 and names it auth", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
      fast,
    );
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("FAIL401")));
    assert.ok(error instanceof ProviderError);
    assert.equal(error.reason, "auth");
    assert.equal(error.retryable, false);
    assert.equal(p.chatRequests().length, 1);
  } finally {
    await p.close();
  }
});

Deno.test("stream() reports a provider that is down as unreachable, after retries", async () => {
  const port = closedPort();
  const down = { baseUrl: () => `http://127.0.0.1:${port}/v1` };
  const catalog = createModelCatalog(
    configWith({ stub: providerEntry(down, "openai-completions") }),
    {},
    fast,
  );
  const r = recorder();
  const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks));
  assert.ok(error instanceof ProviderError, String(error));
  assert.equal(error.reason, "unreachable");
  assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.equal(r.log.filter((l) => l.startsWith("attempt")).length, 3);
});

Deno.test("stream() fails a stalled stream with timeout after the idle window", async () => {
  const p = await startScriptedProvider();
  try {
    const entry = providerEntry(p, "openai-completions", { timeoutSeconds: 1 });
    const catalog = createModelCatalog(configWith({ stub: entry }), {}, {
      ...fast,
      retry: { ...fast.retry, attempts: 1 },
    });
    const started = Date.now();
    const { events, error } = await drain(catalog.stream(catalog.defaultRefs(), request("STALL")));
    const took = Date.now() - started;
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.reason, "timeout");
    assert.deepEqual(events, []);
    assert.ok(took >= 900 && took < 5000, `took ${took} ms`);
    await p.waitFor(() => p.requests[0].clientGone, 2000);
  } finally {
    await p.close();
  }
});

Deno.test("stream() stops mid-stream on abort, closes the connection and neither retries nor falls back", async () => {
  const p = await startScriptedProvider({ slowChunkMs: 100 });
  try {
    const config = configWith({
      stub: providerEntry(p, "openai-completions"),
      backup: providerEntry(p, "ollama"),
    }, ["stub/stub-model", "backup/stub-model"]);
    const catalog = createModelCatalog(config, {}, fast);
    const ctl = new AbortController();
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (
        const ev of catalog.stream(catalog.defaultRefs(), request("SLOW", { signal: ctl.signal }))
      ) {
        if (ev.type === "text-delta") {
          seen.push(ev.delta);
          if (seen.length === 2) ctl.abort();
        }
      }
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.reason, "aborted");
    assert.deepEqual(seen, ["tick0 ", "tick1 "]);
    await p.waitFor(() => p.requests[0].clientGone, 2000);
    assert.equal(p.chatRequests().length, 1);
  } finally {
    await p.close();
  }
});

Deno.test("stream() does not retry once output was yielded", async () => {
  const p = await startScriptedProvider();
  try {
    const entry = providerEntry(p, "openai-completions", { timeoutSeconds: 1 });
    p.script([{ stall: true, chunks: ["partial"] }]);
    const catalog = createModelCatalog(configWith({ stub: entry }), {}, fast);
    const { events, error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi")));
    assert.ok(error instanceof ProviderError);
    assert.equal(error.reason, "timeout");
    assert.deepEqual(events.map((e) => e.type), ["text-delta"]);
    assert.equal(p.chatRequests().length, 1);
  } finally {
    await p.close();
  }
});

Deno.test("stream() skips a model without credentials with the spec's message, then uses the fallback", async () => {
  const p = await startScriptedProvider();
  try {
    const { apiKey: _k, ...keyless } = providerEntry(p, "openai-completions");
    const config = configWith({
      nokey: keyless,
      stub: providerEntry(p, "openai-completions"),
    }, ["nokey/stub-model", "stub/stub-model"]);
    const catalog = createModelCatalog(config, {}, fast);
    const r = recorder();
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks));
    assert.equal(error, undefined);
    assert.deepEqual(r.log, ["fallback nokey 1 auth next", "attempt stub 1"]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() never puts the key in an error message, even when the provider echoes it", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([
      { status: 401, message: `Incorrect API key provided: ${KEY}` },
      { status: 400, body: { error: { message: `bad request for key ${KEY} Bearer ${KEY}` } } },
    ]);
    const port = closedPort();
    const config = configWith({
      a: providerEntry(p, "openai-completions"),
      b: providerEntry(p, "openai-completions"),
      c: providerEntry({ baseUrl: () => `http://127.0.0.1:${port}/v1` }, "openai-completions"),
    }, ["a/stub-model", "b/stub-model", "c/stub-model"]);
    const catalog = createModelCatalog(config, {}, {
      ...fast,
      retry: { ...fast.retry, attempts: 1 },
    });
    const messages: string[] = [];
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi"), {
      onFallback: (_m, e) =>
        messages.push(e.message, JSON.stringify(e), String((e.cause as Error)?.message ?? "")),
    }));
    assert.ok(error instanceof ProviderError);
    assert.equal(messages.length, 9);
    for (const m of messages) assert.ok(!m.includes(KEY) && !m.includes("1234567890"), m);
    assert.match(messages[0], /^401 Incorrect API key provided: \[redacted\]/);
  } finally {
    await p.close();
  }
});

Deno.test("stream() rotates to the next <P>_API_KEYS key on a rate limit, without waiting", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 429, headers: { "retry-after": "600" } }]);
    const { apiKey: _k, ...keyless } = providerEntry(p, "openai-completions");
    const catalog = createModelCatalog(configWith({ stub: keyless }), {
      STUB_API_KEYS: "k-one,k-two",
    }, fast);
    const r = recorder();
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi"), r.hooks));
    assert.equal(error, undefined);
    assert.deepEqual(p.chatRequests().map((q) => q.headers.authorization), [
      "Bearer k-one",
      "Bearer k-two",
    ]);
    assert.deepEqual(r.delays, [0]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() times out a provider that never sends headers (the watchdog starts with the request)", async () => {
  const p = await startScriptedProvider();
  try {
    const entry = providerEntry(p, "anthropic-messages", { timeoutSeconds: 1 });
    const catalog = createModelCatalog(configWith({ stub: entry }), {}, {
      ...fast,
      retry: { ...fast.retry, attempts: 1 },
    });
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("HANG")));
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.reason, "timeout");
    assert.equal(p.chatRequests().length, 1);
    // The client side is closed at once (FIN sent); Deno.serve may only notice
    // when it next touches the socket, so clientGone is not asserted here.
  } finally {
    await p.close();
  }
});

Deno.test("stream() with an already aborted signal makes no request", async () => {
  const p = await startScriptedProvider();
  try {
    const catalog = createModelCatalog(configWith({ stub: providerEntry(p, "ollama") }), {}, fast);
    const ctl = new AbortController();
    ctl.abort();
    const { error } = await drain(
      catalog.stream(catalog.defaultRefs(), request("hi", { signal: ctl.signal })),
    );
    assert.ok(error instanceof ProviderError);
    assert.equal(error.reason, "aborted");
    assert.equal(p.requests.length, 0);
  } finally {
    await p.close();
  }
});

Deno.test("stream() fails, without retrying, a response larger than the cap", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ text: Array.from({ length: 50 }, () => "x".repeat(100)), delayMs: 0 }]);
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
      {
        ...fast,
        maxResponseBytes: 2000,
      },
    );
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi")));
    assert.ok(error instanceof ProviderError, String(error));
    assert.match(error.message, /response passed 2000 bytes/);
    assert.equal(error.retryable, false);
    assert.equal(p.chatRequests().length, 1);
  } finally {
    await p.close();
  }
});

Deno.test("stream() does not count the consumer's own pauses as provider silence", async () => {
  const p = await startScriptedProvider();
  try {
    const entry = providerEntry(p, "openai-completions", { timeoutSeconds: 1 });
    const catalog = createModelCatalog(configWith({ stub: entry }), {}, fast);
    // The provider is silent for 1.3 s after "a", but only while the consumer is busy.
    p.script([{ text: ["a", "b"], delayMs: [0, 1300] }]);
    const seen: string[] = [];
    for await (const ev of catalog.stream(catalog.defaultRefs(), request("hi"))) {
      seen.push(ev.type === "text-delta" ? ev.delta : ev.type);
      if (seen.length === 1) await new Promise((r) => setTimeout(r, 1800));
    }
    assert.deepEqual(seen, ["a", "b", "finish"]);
  } finally {
    await p.close();
  }
});

Deno.test("stream() reports a proxy's HTML error page by its text, and 502 as server_error", async () => {
  const p = await startScriptedProvider();
  try {
    p.script([{ status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }]);
    const catalog = createModelCatalog(
      configWith({ stub: providerEntry(p, "openai-completions") }),
      {},
      {
        ...fast,
        retry: { ...fast.retry, attempts: 1 },
      },
    );
    const { error } = await drain(catalog.stream(catalog.defaultRefs(), request("hi")));
    assert.ok(error instanceof ProviderError);
    assert.equal(error.reason, "server_error");
    assert.equal(error.message, "502 502 Bad Gateway");
  } finally {
    await p.close();
  }
});
