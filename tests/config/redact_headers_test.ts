import assert from "node:assert/strict";
import {
  redactConfig,
  redactConfigText,
  REDACTED,
  restoreConfigText,
} from "../../src/config/redact.ts";

const BEARER = "Bearer sk-provider-0123456789abcdef";
const CONFIG = {
  models: {
    providers: {
      corp: {
        baseUrl: "https://llm.corp.example/v1",
        headers: { Authorization: BEARER, Cookie: "session=abc123def", "X-Team": "blue" },
        models: [{ id: "m", name: "M", headers: { "proxy-authorization": "Basic dXNlcjpwdw==" } }],
      },
    },
  },
};

Deno.test("redactConfig() masks provider Authorization / Cookie headers and keeps the others", () => {
  const shown = redactConfig(CONFIG);
  const corp = shown.models.providers.corp;
  assert.equal(corp.headers.Authorization, REDACTED);
  assert.equal(corp.headers.Cookie, REDACTED);
  assert.equal(corp.headers["X-Team"], "blue");
  assert.equal(corp.models[0].headers["proxy-authorization"], REDACTED);
  assert.ok(!JSON.stringify(shown).includes("sk-provider"));
});

Deno.test("redactConfigText() hides the header in the file text, and the mask round-trips", () => {
  const raw = JSON.stringify(CONFIG, null, 2);
  const text = redactConfigText(raw, CONFIG);
  assert.ok(!text.includes("sk-provider"), text);
  assert.ok(!text.includes("abc123def"), text);
  assert.ok(text.includes('"X-Team": "blue"'));
  // A file that does not parse is masked key by key.
  const broken = redactConfigText(raw.slice(0, -2), undefined);
  assert.ok(!broken.includes("sk-provider"), broken);
  // Saving the masked text back writes the stored header, not the mask.
  const restored = restoreConfigText(text, CONFIG);
  assert.deepEqual(restored.issues, []);
  assert.deepEqual(JSON.parse(restored.value), CONFIG);
});

Deno.test("restoreConfigText() refuses the placeholder spelled with escapes (it would be saved as is)", () => {
  const stored = { gateway: { auth: { token: "real-secret-0123456789abcdef" } } };
  const escaped = REDACTED.replace("R", "\\u0052");
  const raw = `{gateway: {auth: {token: "${escaped}"}}}`;
  const res = restoreConfigText(raw, stored);
  assert.equal(res.issues.length, 1);
  assert.equal(res.issues[0].path, "gateway.auth.token");
  assert.match(res.issues[0].message, /written with escapes/);
  // Escapes elsewhere change nothing.
  const plain = `{gateway: {auth: {token: "${REDACTED}"}}, meta: {note: "a\\tb"}}`;
  const ok = restoreConfigText(plain, stored);
  assert.deepEqual(ok.issues, []);
  assert.match(ok.value, /real-secret-0123456789abcdef/);
});

Deno.test("redactConfigText() stays fast with thousands of secrets (shown as JSON past 256)", () => {
  const meta: Record<string, string> = {};
  for (let i = 0; i < 16_000; i++) meta[`k${i}Token`] = `secret-value-${i}-abcdefgh`;
  const raw = `// mine\n${JSON.stringify({ meta }, null, 2)}`;
  const started = performance.now();
  const text = redactConfigText(raw, { meta });
  const ms = performance.now() - started;
  assert.ok(ms < 2_000, `took ${Math.round(ms)} ms`);
  assert.ok(!text.includes("secret-value-"));
  assert.deepEqual(JSON.parse(text).meta.k15999Token, REDACTED);
  // A few secrets keep the file's own text (its comment).
  const small = `// mine\n${JSON.stringify({ meta: { aToken: "secret-value-x" } })}`;
  assert.match(redactConfigText(small, { meta: { aToken: "secret-value-x" } }), /^\/\/ mine/);
});
