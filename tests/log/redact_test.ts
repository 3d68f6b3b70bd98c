import assert from "node:assert/strict";
import { Redactor } from "../../src/log/redact.ts";

Deno.test("Redactor.text() masks every occurrence of every known secret", () => {
  const r = new Redactor();
  r.setSecrets(["s3cret-token", "hunter22", undefined]);
  assert.equal(
    r.text("token=s3cret-token pass=hunter22 again s3cret-token"),
    "token=*** pass=*** again ***",
  );
  assert.equal(r.text("nothing to hide"), "nothing to hide");
});

Deno.test("Redactor.setSecrets() replaces the set and masks even secrets shorter than 4 characters", () => {
  const r = new Redactor();
  r.setSecrets(["old-secret"]);
  r.setSecrets(["new-secret", "abc", ""]);
  assert.equal(r.text("old-secret new-secret abc"), "old-secret *** ***");
  // The longer secret is masked whole even when a shorter one is part of it.
  r.setSecrets(["ab", "xxabyy"]);
  assert.equal(r.text("xxabyy ab"), "*** ***");
});

Deno.test("Redactor.setSubstituted() shows a value substituted from the environment as its reference", () => {
  const r = new Redactor();
  r.setSubstituted([["sk-live-0123456789", "PROVIDER_API_KEY"], ["$&", "ODD"]]);
  assert.equal(
    r.text("Cannot bind sk-live-0123456789:18789 ($&)"),
    "Cannot bind ${PROVIDER_API_KEY}:18789 (${ODD})",
  );
  assert.deepEqual(r.value({ host: "sk-live-0123456789" }), { host: "${PROVIDER_API_KEY}" });
});

Deno.test("Redactor.value() drops secret-named keys and masks secret values anywhere, without touching the input", () => {
  const r = new Redactor();
  r.setSecrets(["s3cret-token"]);
  const input = {
    token: "anything",
    password: "pw",
    apiKey: "k",
    api_key: "k",
    Authorization: "Bearer x",
    clientSecret: "cs",
    note: "sent s3cret-token by mistake",
    empty: { token: "" },
    nested: { auth: { token: "t", mode: "token" }, list: ["s3cret-token", 3, null] },
    count: 2,
  };
  const before = structuredClone(input);
  assert.deepEqual(r.value(input), {
    token: "[redacted]",
    password: "[redacted]",
    apiKey: "[redacted]",
    api_key: "[redacted]",
    Authorization: "[redacted]",
    clientSecret: "[redacted]",
    note: "sent *** by mistake",
    empty: { token: "" },
    nested: { auth: { token: "[redacted]", mode: "token" }, list: ["***", 3, null] },
    count: 2,
  });
  assert.deepEqual(input, before);
  assert.equal(r.value("s3cret-token"), "***");
  assert.equal(r.value(42), 42);
});

Deno.test("Redactor.value() keeps secrets out of deeply nested fields too", () => {
  const r = new Redactor();
  r.setSecrets(["s3cret-token"]);
  // Ten levels deep: a depth limit must cut the value off, never pass it through unmasked.
  let deep: Record<string, unknown> = { token: "named-secret", note: "has s3cret-token" };
  for (let i = 0; i < 10; i++) deep = { level: deep };
  const out = JSON.stringify(r.value(deep));
  assert.ok(!out.includes("s3cret-token"), `known secret leaked: ${out}`);
  assert.ok(!out.includes("named-secret"), `secret-named field leaked: ${out}`);
});
