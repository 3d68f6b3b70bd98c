import assert from "node:assert/strict";
import { deepEqual, diffConfigPaths } from "../../src/config/diff.ts";

const cases: [string, unknown, unknown, string[]][] = [
  ["equal configs", { gateway: { port: 1 } }, { gateway: { port: 1 } }, []],
  ["key order does not matter", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, []],
  ["changed leaf", { gateway: { port: 1 } }, { gateway: { port: 2 } }, ["gateway.port"]],
  [
    "added section reports its leaves",
    {},
    { logging: { level: "debug" } },
    ["logging.level"],
  ],
  [
    "removed section reports its leaves",
    { gateway: { auth: { token: "a", mode: "token" } } },
    { gateway: {} },
    ["gateway.auth.mode", "gateway.auth.token"],
  ],
  ["empty section appearing reports the section", {}, { hooks: {} }, ["hooks"]],
  ["nested empty section", { channels: {} }, { channels: { telegram: {} } }, [
    "channels.telegram",
  ]],
  ["arrays are whole values", { a: { list: [1, 2] } }, { a: { list: [1, 3] } }, ["a.list"]],
  ["equal arrays", { a: [{ x: 1 }] }, { a: [{ x: 1 }] }, []],
  ["type change object -> scalar", { meta: { a: 1 } }, { meta: 5 }, ["meta"]],
  ["null differs from missing", { a: {} }, { a: { b: null } }, ["a.b"]],
  [
    "several paths, sorted",
    { z: 1, gateway: { port: 1, bind: "loopback" } },
    { z: 2, gateway: { port: 2, bind: "lan" } },
    ["gateway.bind", "gateway.port", "z"],
  ],
];

for (const [name, before, after, want] of cases) {
  Deno.test(`diffConfigPaths() ${name}`, () => {
    assert.deepEqual(diffConfigPaths(before, after), want);
    // The same paths change in the other direction.
    assert.deepEqual(diffConfigPaths(after, before), want);
  });
}

Deno.test("deepEqual() compares structure, not identity or key order", () => {
  assert.equal(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
  assert.equal(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(deepEqual({ a: undefined }, {}), true);
  assert.equal(deepEqual({ a: null }, {}), false);
  assert.equal(deepEqual([], {}), false);
  assert.equal(deepEqual("1", 1), false);
});
