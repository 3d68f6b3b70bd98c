import assert from "node:assert/strict";
import { mergePatch } from "../../src/methods/config.ts";

// RFC 7396, Appendix A.
const rfcExamples: [unknown, unknown, unknown][] = [
  [{ a: "b" }, { a: "c" }, { a: "c" }],
  [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  [{ a: "b" }, { a: null }, {}],
  [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
  [{ a: ["b"] }, { a: "c" }, { a: "c" }],
  [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
  [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  [["a", "b"], ["c", "d"], ["c", "d"]],
  [{ a: "b" }, ["c"], ["c"]],
  [{ a: "foo" }, null, null],
  [{ a: "foo" }, "bar", "bar"],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: "b", c: null }, { a: "b" }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

for (const [i, [target, patch, want]] of rfcExamples.entries()) {
  Deno.test(`mergePatch() RFC 7396 example ${i + 1}`, () => {
    assert.deepEqual(mergePatch(target, patch), want);
  });
}

Deno.test("mergePatch() leaves its inputs untouched", () => {
  const target = { gateway: { port: 1, auth: { token: "t" } } };
  const patch = { gateway: { port: 2 } };
  const copy = structuredClone(target);
  assert.deepEqual(mergePatch(target, patch), { gateway: { port: 2, auth: { token: "t" } } });
  assert.deepEqual(target, copy);
});

Deno.test('mergePatch() keeps a "__proto__" key as data, never as a prototype', () => {
  const patch = JSON.parse('{"hooks": {"__proto__": {"polluted": true}}}');
  const out = mergePatch({}, patch) as { hooks: Record<string, unknown> };
  assert.equal(Object.getPrototypeOf(out.hooks), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(out.hooks), ["__proto__"]);
});
