import assert from "node:assert/strict";
import JSON5 from "json5";
import {
  isSensitiveKey,
  redactConfig,
  redactConfigText,
  REDACTED,
  restoreConfigPatch,
  restoreConfigText,
} from "../../src/config/redact.ts";
import { previewChange, writeMode } from "../../src/config/change_preview.ts";
import type { ConfigSnapshot } from "../../src/config/load.ts";

const TOKEN = "tok-0123456789abcdef0123";
const BOT = "123456:bot-secret-value";

const RAW = `// my gateway
{
  gateway: {
    mode: "local",
    auth: { token: "${TOKEN}" }, // keep this
  },
  channels: { telegram: { botToken: '${BOT}', dmPolicy: "pairing" } },
  agents: { defaults: { maxTokens: 4096 } },
  models: { providers: { a: { apiKey: "\${A_KEY}" } } },
}
`;

Deno.test("isSensitiveKey() takes names ending in a secret word, not counts of tokens", () => {
  for (const k of ["token", "botToken", "password", "apiKey", "api_key", "webhookSecret"]) {
    assert.ok(isSensitiveKey(k), k);
  }
  for (const k of ["maxTokens", "contextTokens", "mode", "sessionKey", "auth"]) {
    assert.ok(!isSensitiveKey(k), k);
  }
});

Deno.test("redactConfigText() masks secret values in place, keeping comments and ${VAR}", () => {
  const parsed = JSON5.parse(RAW);
  const text = redactConfigText(RAW, parsed);
  assert.ok(!text.includes(TOKEN) && !text.includes(BOT));
  assert.ok(text.includes("// keep this") && text.includes("${A_KEY}"));
  assert.deepEqual(JSON5.parse(text), redactConfig(parsed));
  const shown = redactConfig(parsed) as {
    gateway: { auth: { token: string } };
    agents: { defaults: { maxTokens: number } };
  };
  assert.equal(shown.gateway.auth.token, REDACTED);
  assert.equal(shown.agents.defaults.maxTokens, 4096);
});

Deno.test("redactConfigText() falls back to masked JSON when a secret is also a plain value", () => {
  const raw = `{ gateway: { auth: { token: "${TOKEN}" } }, meta: { note: "${TOKEN}" } }`;
  const parsed = JSON5.parse(raw);
  const text = redactConfigText(raw, parsed);
  assert.deepEqual(JSON5.parse(text), redactConfig(parsed));
  // The plain value is kept (it is not at a secret key), the secret is not.
  assert.equal(JSON5.parse(text).gateway.auth.token, REDACTED);
});

Deno.test("redactConfigText() masks secret-named keys of a file that does not parse", () => {
  const raw = `{ gateway: { auth: { token: "${TOKEN}", } ,,, }`;
  const text = redactConfigText(raw, undefined);
  assert.ok(!text.includes(TOKEN));
  assert.ok(text.includes(`token: "${REDACTED}"`));
});

Deno.test("restoreConfigText() puts stored secrets back where the mask comes back", () => {
  const parsed = JSON5.parse(RAW);
  const edited = redactConfigText(RAW, parsed).replace("pairing", "open");
  const { value, issues } = restoreConfigText(edited, parsed);
  assert.deepEqual(issues, []);
  assert.ok(!value.includes(REDACTED));
  const back = JSON5.parse(value);
  assert.equal(back.gateway.auth.token, TOKEN);
  assert.equal(back.channels.telegram.botToken, BOT);
  assert.equal(back.channels.telegram.dmPolicy, "open");
  assert.ok(value.includes("// keep this"));
});

Deno.test("restoreConfigText() refuses a mask where no secret is stored, naming key and line", () => {
  const parsed = JSON5.parse(RAW);
  const moved = `{\n  hooks: {\n    token: "${REDACTED}",\n  },\n}\n`;
  const { issues } = restoreConfigText(moved, parsed);
  assert.deepEqual(issues.map((i) => [i.path, i.line]), [["hooks.token", 3]]);
  assert.match(issues[0].message, /no secret is stored at this key; type the real value/);
  const inside = restoreConfigText(`{ gateway: { auth: { token: "x${REDACTED}" } } }`, parsed);
  assert.match(inside.issues[0].message, /inside other text/);
});

Deno.test("restoreConfigPatch() keeps the stored secret for a masked patch value", () => {
  const parsed = JSON5.parse(RAW);
  const { value, issues } = restoreConfigPatch(
    { gateway: { auth: { token: REDACTED } }, logging: { level: "debug" } },
    parsed,
  );
  assert.deepEqual(issues, []);
  assert.deepEqual(value, { gateway: { auth: { token: TOKEN } }, logging: { level: "debug" } });
  assert.equal(
    restoreConfigPatch({ hooks: { token: REDACTED } }, parsed).issues[0].path,
    "hooks.token",
  );
});

function snap(config: Record<string, unknown>): ConfigSnapshot {
  return { path: "x", exists: true, raw: "", hash: "", config, issues: [] };
}

Deno.test("previewChange() says per key whether it applies live or restarts", () => {
  const before = snap({ gateway: { port: 1 }, logging: { level: "info" } });
  const after = snap({ gateway: { port: 2 }, logging: { level: "debug" }, session: { x: 1 } });
  const p = previewChange(before, after, "hybrid");
  assert.equal(p.restart, true);
  assert.deepEqual(p.changes, [
    { path: "gateway.port", effect: "restart" },
    { path: "logging.level", effect: "hot", action: "set-log-level" },
    { path: "session.x", effect: "none" },
  ]);
  const hotOnly = previewChange(before, snap({ ...before.config, logging: {} }), "hybrid");
  assert.equal(hotOnly.restart, false);
  assert.equal(writeMode("off", "off"), "hybrid");
  assert.equal(writeMode("off", "hot"), "hot");
  assert.equal(writeMode("restart", "hot"), "restart");
});
