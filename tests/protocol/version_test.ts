import assert from "node:assert/strict";
import { MAX_PROTOCOL, MIN_PROTOCOL, negotiateProtocol } from "../../protocol/version.ts";

Deno.test("negotiateProtocol() speaks protocols 3 and 4", () => {
  assert.equal(MIN_PROTOCOL, 3);
  assert.equal(MAX_PROTOCOL, 4);
});

Deno.test("negotiateProtocol() picks the highest version both sides speak", () => {
  assert.equal(negotiateProtocol(3, 3), 3);
  assert.equal(negotiateProtocol(4, 4), 4);
  assert.equal(negotiateProtocol(3, 4), 4);
  assert.equal(negotiateProtocol(3, 9), 4);
  assert.equal(negotiateProtocol(1, 3), 3);
  assert.equal(negotiateProtocol(1, 100), 4);
});

Deno.test("negotiateProtocol() returns undefined when the ranges do not overlap", () => {
  assert.equal(negotiateProtocol(5, 6), undefined);
  assert.equal(negotiateProtocol(1, 2), undefined);
  assert.equal(negotiateProtocol(4, 3), undefined, "an empty client range");
});
