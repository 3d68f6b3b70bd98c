import assert from "node:assert/strict";
import {
  applyPrefix,
  chunkText,
  isSilentReply,
  mayBecomeSilent,
} from "../../src/channels/chunk.ts";

Deno.test("chunkText() length mode cuts at whitespace within the limit", () => {
  const text = "aaaa bbbb cccc dddd";
  const chunks = chunkText(text, 10, "length");
  assert.ok(chunks.every((c) => c.length <= 10));
  assert.equal(chunks.join(" "), text);
  assert.deepEqual(chunkText("x".repeat(25), 10, "length"), [
    "x".repeat(10),
    "x".repeat(10),
    "x".repeat(5),
  ]);
  assert.deepEqual(chunkText("short", 4000, "length"), ["short"]);
  assert.deepEqual(chunkText("", 4000, "length"), []);
});

Deno.test("chunkText() newline mode keeps paragraphs together", () => {
  const text = "para one\n\npara two\n\npara three is longer";
  assert.deepEqual(chunkText(text, 20, "newline"), [
    "para one\n\npara two",
    "para three is longer",
  ]);
  const long = `${"y".repeat(30)}\n\nz`;
  for (const c of chunkText(long, 12, "newline")) assert.ok(c.length <= 12);
});

Deno.test("isSilentReply() and mayBecomeSilent() hold back NO_REPLY", () => {
  assert.equal(isSilentReply(" NO_REPLY \n"), true);
  assert.equal(isSilentReply("HEARTBEAT_OK"), true);
  assert.equal(isSilentReply("NO_REPLY, but more"), false);
  assert.equal(mayBecomeSilent("NO_"), true);
  assert.equal(mayBecomeSilent("Hello"), false);
  assert.equal(applyPrefix("hi", "[bot]"), "[bot] hi");
  assert.equal(applyPrefix("hi", undefined), "hi");
});
