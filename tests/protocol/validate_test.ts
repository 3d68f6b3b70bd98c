import assert from "node:assert/strict";
import { Type } from "@sinclair/typebox";
import {
  check,
  checkConnectParams,
  checkParams,
  checkRequestFrame,
  describeErrors,
  validatorFor,
} from "../../protocol/validate.ts";
import { literals } from "../../protocol/literals.ts";

const closed = { additionalProperties: false } as const;
const Sample = Type.Object({
  name: Type.String(),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  kind: Type.Optional(literals(["a", "b"] as const)),
  version: Type.Optional(Type.Literal(3)),
  inner: Type.Optional(Type.Object({ id: Type.String() }, closed)),
  tags: Type.Optional(Type.Array(Type.String())),
}, closed);

/** The message `check` gives for `value` against `Sample`. */
function messageFor(value: unknown): string {
  const result = check(Sample, value);
  assert.equal(result.ok, false, `${JSON.stringify(value)} passed`);
  return result.ok ? "" : result.message;
}

Deno.test("describeErrors() names an unexpected property", () => {
  assert.equal(messageFor({ name: "x", colour: "red" }), 'unexpected property "colour"');
  assert.equal(
    messageFor({ name: "x", inner: { id: "1", extra: 1 } }),
    'unexpected property "inner.extra"',
  );
});

Deno.test("describeErrors() names a missing property", () => {
  assert.equal(messageFor({}), 'missing required property "name"');
  assert.equal(messageFor({ name: "x", inner: {} }), 'missing required property "inner.id"');
});

Deno.test("describeErrors() names the field with the wrong type", () => {
  assert.equal(messageFor({ name: 5 }), "name must be string");
  assert.equal(messageFor({ name: "x", count: -1 }), "count must be >= 0");
  assert.equal(messageFor({ name: "x", tags: ["ok", 1] }), "tags.1 must be string");
  assert.equal(messageFor("text"), "(root) must be object");
});

Deno.test("describeErrors() lists the allowed literals", () => {
  assert.equal(messageFor({ name: "x", kind: "c" }), 'kind must be one of "a", "b"');
  assert.equal(messageFor({ name: "x", version: 4 }), "version must be 3");
});

Deno.test("describeErrors() has a fallback for no errors", () => {
  assert.equal(describeErrors(null), "invalid value");
  assert.equal(describeErrors([]), "invalid value");
});

Deno.test("check() returns the value when it is valid", () => {
  const value = { name: "x", kind: "a" };
  assert.deepEqual(check(Sample, value), { ok: true, value });
});

Deno.test("validatorFor() compiles each schema once", () => {
  assert.equal(validatorFor(Sample), validatorFor(Sample));
});

Deno.test("checkRequestFrame() accepts a request and refuses other envelopes", () => {
  assert.equal(checkRequestFrame({ type: "req", id: "1", method: "health" }).ok, true);
  assert.equal(checkRequestFrame({ type: "req", id: "", method: "health" }).ok, false);
  const extra = checkRequestFrame({ type: "req", id: "1", method: "health", x: 1 });
  assert.deepEqual(extra, { ok: false, message: 'unexpected property "x"' });
});

Deno.test("checkConnectParams() names client.id when it is unknown", () => {
  const result = checkConnectParams({
    minProtocol: 3,
    maxProtocol: 4,
    client: { id: "mystery", version: "1", platform: "linux", mode: "cli" },
  });
  assert.equal(result.ok, false);
  assert.match(result.ok ? "" : result.message, /^client\.id must be one of "webchat-ui", /);
});

Deno.test("checkParams() treats absent params as {}", () => {
  assert.equal(checkParams("status", undefined).ok, true);
  assert.deepEqual(checkParams("system-event", undefined), {
    ok: false,
    message: 'missing required property "text"',
  });
});
