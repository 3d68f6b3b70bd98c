import assert from "node:assert/strict";
import { parseConfigText } from "../../../src/config/load.ts";

async function issues(text: string, env: Record<string, string> = {}) {
  const snap = await parseConfigText("/tmp/openclaw.json", text, env);
  return { snap, paths: snap.issues.map((i) => `${i.path}: ${i.message}`) };
}

Deno.test("schema_agent accepts the spec's stub-provider config with ${ENV} keys", async () => {
  const { snap, paths } = await issues(
    JSON.stringify({
      models: {
        mode: "merge",
        providers: {
          stub: {
            baseUrl: "http://127.0.0.1:28800/v1",
            apiKey: "${STUB_KEY}",
            api: "openai-completions",
            timeoutSeconds: 30,
            models: [{
              id: "stub-model",
              name: "Stub Model",
              contextWindow: 128000,
              maxTokens: 4096,
            }],
          },
        },
      },
      agents: {
        defaults: {
          model: { primary: "stub/stub-model", fallbacks: ["other/m"] },
          workspace: "/tmp/ws",
          timeoutSeconds: 600,
          maxConcurrent: 4,
          bootstrapMaxChars: 20000,
          bootstrapTotalMaxChars: 60000,
          skipBootstrap: true,
          thinkingDefault: "off",
          compaction: { keepRecentTokens: 20000 },
        },
        list: [{ id: "main", model: "stub/stub-model" }],
      },
      tools: {
        profile: "full",
        deny: ["web_fetch"],
        exec: { mode: "ask", timeoutSeconds: 30, approvalTimeoutSeconds: 60, allowlist: ["echo"] },
        fs: { workspaceOnly: true },
        web: { fetch: { enabled: false, maxChars: 5000, allowPrivateNetwork: false } },
      },
      session: {
        mainKey: "main",
        dmScope: "per-peer",
        scope: "per-sender",
        reset: { mode: "idle", idleMinutes: 60 },
      },
      messages: { responsePrefix: "[bot]", queue: { mode: "steer" } },
    }),
    { STUB_KEY: "sk-from-env" },
  );
  assert.deepEqual(paths, []);
  assert.deepEqual(snap.config?.models?.providers?.stub.apiKey, "sk-from-env");
});

Deno.test("schema_agent rejects unknown keys and bad enums naming the key", async () => {
  const { paths } = await issues(JSON.stringify({
    models: { providers: { p: { baseUrl: "x", models: [{ id: "m", name: "M", ctxWindow: 1 }] } } },
    tools: { exec: { mode: "sometimes" } },
    agents: { defaults: { modle: "a/b" } },
  }));
  assert(
    paths.some((p) => p.startsWith("models.providers.p.models.0.ctxWindow: unknown key")),
    paths.join("\n"),
  );
  assert.ok(paths.some((p) => p.startsWith("tools.exec.mode: must be one of")), paths.join("\n"));
  assert.ok(
    paths.some((p) => p.startsWith("agents.defaults.modle: unknown key")),
    paths.join("\n"),
  );
});

Deno.test("schema_agent rejects a model choice that is neither a string nor {primary}", async () => {
  const { paths } = await issues(
    JSON.stringify({ agents: { defaults: { model: { fallbacks: [] } } } }),
  );
  assert.ok(paths.some((p) => p.startsWith("agents.defaults.model")), paths.join("\n"));
});

Deno.test("schema_agent accepts every api the spec names, so a real-gateway config loads", async () => {
  const { paths } = await issues(JSON.stringify({
    models: { providers: { p: { baseUrl: "x", api: "openai-responses", models: [] } } },
  }));
  assert.deepEqual(paths, []);
  const bad = await issues(
    JSON.stringify({ models: { providers: { p: { api: "smoke-signals" } } } }),
  );
  assert.ok(
    bad.paths.some((p) => p.startsWith("models.providers.p.api: must be one of")),
    bad.paths.join("\n"),
  );
});
