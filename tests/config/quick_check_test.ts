import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { Value } from "@sinclair/typebox/value";
import { ConfigSchema } from "../../src/config/schema.ts";
import { parseConfigText } from "../../src/config/load.ts";

// The loader accepts a config on TypeBox's quick check alone; AJV judges
// only what that check rejects. So the quick check must never accept what
// AJV rejects: every keyword the schema uses is exercised here.
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(
  ConfigSchema,
);

const VALID: unknown[] = [
  {},
  { gateway: { mode: "local", auth: { token: "t".repeat(40) }, port: 18789 } },
  {
    models: {
      providers: {
        stub: {
          baseUrl: "http://127.0.0.1:9/v1",
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "m", name: "M", contextWindow: 1000, maxTokens: 100 }],
        },
      },
    },
    agents: { defaults: { model: { primary: "stub/m", fallbacks: [] }, timeoutSeconds: 0 } },
  },
  { channels: { telegram: { accounts: { main_1: { botToken: "1:abc" } } } } },
];

const INVALID: unknown[] = [
  [],
  "text",
  { gateway: { mode: "bogus" } },
  { gateway: { modex: "local" } },
  { gateway: { port: 1.5 } },
  { gateway: { port: "80" } },
  { agents: { list: [{ id: "" }] } },
  { agents: { defaults: { model: { primary: "" } } } },
  { agents: { defaults: { timeoutSeconds: -1 } } },
  { models: { providers: { stub: { api: "nope" } } } },
  { models: { providers: { stub: { models: [{ id: "" }] } } } },
  { channels: { telegram: { accounts: { ok: { unknownField: 1 } } } } },
  { gateway: { http: { endpoints: { chatCompletions: { enabled: "yes" } } } } },
];

Deno.test("the quick config check agrees with AJV on valid and invalid configs", () => {
  for (const cfg of [...VALID, ...INVALID]) {
    assert.equal(Value.Check(ConfigSchema, cfg), ajv(cfg), `disagree on ${JSON.stringify(cfg)}`);
  }
  for (const cfg of VALID) assert.ok(ajv(cfg), `not valid: ${JSON.stringify(cfg)}`);
  for (const cfg of INVALID) assert.ok(!ajv(cfg), `not invalid: ${JSON.stringify(cfg)}`);
});

Deno.test("a config the quick check rejects still gets AJV's issues, naming the path", async () => {
  const snap = await parseConfigText("/x/openclaw.json", JSON.stringify(INVALID[3]), {});
  assert.equal(snap.config, undefined);
  assert.ok(snap.issues.some((i) => i.path.startsWith("gateway")), JSON.stringify(snap.issues));
});
