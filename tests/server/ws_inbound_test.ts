import assert from "node:assert/strict";
import { readInbound } from "../../src/server/ws_inbound.ts";
import { CloseCodes } from "../../src/server/handshake.ts";

const req = JSON.stringify({ type: "req", id: "1", method: "health" });

Deno.test("readInbound() accepts a request frame within the limit", () => {
  const got = readInbound(req, { pending: false, limit: 1024 });
  assert.equal(got.ok, true);
  assert.equal(got.ok && got.req.method, "health");
});

Deno.test("readInbound() closes before hello-ok and answers after it", () => {
  const pending = readInbound("{nope", { pending: true, limit: 1024 });
  assert.deepEqual(pending, {
    ok: false,
    close: { code: CloseCodes.POLICY_VIOLATION, reason: "invalid request frame: malformed JSON" },
  });
  const open = readInbound("{nope", { pending: false, limit: 1024 });
  assert.equal(open.ok, false);
  assert.equal(!open.ok && open.close, undefined);
  assert.equal(!open.ok && open.malformedBytes, 5);
  assert.equal(!open.ok && open.reply?.ok, false);
});

Deno.test("readInbound() closes on an oversized message in either phase", () => {
  for (const pending of [true, false]) {
    const got = readInbound(req, { pending, limit: 10 });
    assert.equal(!got.ok && got.close?.code, CloseCodes.MESSAGE_TOO_BIG);
  }
  // Multi-byte text is measured in UTF-8 bytes, not UTF-16 units.
  const wide = JSON.stringify({ type: "req", id: "1", method: "é".repeat(20) });
  assert.equal(readInbound(wide, { pending: false, limit: wide.length + 5 }).ok, false);
});

Deno.test("readInbound() tells a pending request-shaped frame which field is wrong", () => {
  const got = readInbound(JSON.stringify({ type: "req", id: "7" }), { pending: true, limit: 1024 });
  assert.equal(got.ok, false);
  assert.equal(!got.ok && got.reply?.id, "7");
  assert.equal(!got.ok && got.close?.code, CloseCodes.POLICY_VIOLATION);
  const binary = readInbound(new Uint8Array(2), { pending: false, limit: 1024 });
  assert.equal(!binary.ok && binary.close, undefined);
  assert.equal(!binary.ok && binary.reply?.ok, false);
});
