/** chunkText() never cuts an emoji (a UTF-16 surrogate pair) in two (QA 11). */

import assert from "node:assert/strict";
import { chunkText } from "../../src/channels/chunk.ts";

const SPLIT = /[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/;

Deno.test("chunkText() keeps surrogate pairs whole in length and newline mode", () => {
  // "a" first: every cut at 4096 lands between the halves of a pair.
  const text = "a" + "😀".repeat(5000);
  for (const mode of ["length", "newline"] as const) {
    const chunks = chunkText(text, 4096, mode);
    assert.ok(chunks.length > 1);
    assert.deepEqual(chunks.filter((c) => SPLIT.test(c)), [], `${mode}: a pair was split`);
    assert.ok(chunks.every((c) => c.length <= 4096), `${mode}: a chunk is over the limit`);
    assert.equal(chunks.join(""), text, `${mode}: text lost`);
  }
});

Deno.test("chunkText() with a tiny limit still makes progress on emoji", () => {
  assert.deepEqual(chunkText("😀😀", 1, "length"), ["😀", "😀"]);
  assert.deepEqual(chunkText("x😀y", 2, "length"), ["x", "😀", "y"]);
});
