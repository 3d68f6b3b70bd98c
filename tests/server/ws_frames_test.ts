import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { encodeText, FrameDecoder } from "../../src/server/ws_frames.ts";
import { maskedTextFrame } from "../_helpers/stalled_ws.ts";
import { sha1 } from "../../src/server/_sha1.ts";
import { isImmutable, markImmutable, responseText, toJson } from "../../src/server/_json_memo.ts";
import { HealthMonitor, withoutPaths } from "../../src/server/health.ts";

/** The text of an unmasked server text frame; asserts its header matches its length. */
function unwrap(f: Uint8Array): string {
  let len = f[1] & 0x7f;
  let off = 2;
  if (len === 126) (len = (f[2] << 8) | f[3], off = 4);
  else if (len === 127) {
    len = Number(new DataView(f.buffer, f.byteOffset).getBigUint64(2));
    off = 10;
  }
  assert.equal(f[0], 0x81, "not a final text frame");
  assert.equal(f.length, off + len, "frame length does not match its header");
  return new TextDecoder().decode(f.subarray(off));
}

Deno.test("encodeText round-trips every header size and multi-byte text", () => {
  for (const n of [0, 1, 125, 126, 1000, 1365, 1366, 3000, 20000, 65535, 65536, 90000, 300000]) {
    for (const ch of ["a", "é", "€", "😀"]) {
      const text = ch.repeat(Math.ceil(n / ch.length));
      assert.equal(unwrap(encodeText(text)), text, `${n} x ${ch}`);
    }
  }
});

Deno.test("encodeText gives a large frame a buffer of its exact size, not 3x the text", () => {
  const text = "x".repeat(2500); // about a hello-ok
  const frame = encodeText(text);
  assert.equal(frame.length, 4 + 2500);
  assert.equal(frame.buffer.byteLength, frame.length, "frame holds an oversized buffer");
  // Consecutive frames do not share the scratch buffer they were encoded in.
  const other = encodeText("y".repeat(2500));
  assert.equal(unwrap(frame), text);
  assert.notEqual(other.buffer, frame.buffer);
});

Deno.test("sha1 matches node:crypto, including inputs past its scratch buffer", () => {
  for (const n of [0, 1, 55, 56, 60, 63, 64, 119, 120, 200, 1000]) {
    const data = crypto.getRandomValues(new Uint8Array(n));
    const want = [...createHash("sha1").update(data).digest()];
    assert.deepEqual([...sha1(data)], want, `${n} bytes`);
    assert.deepEqual([...sha1(data)], want, `${n} bytes, twice`);
  }
});

Deno.test("a marked payload is serialized once; unmarked ones every time", () => {
  const marked = markImmutable({ a: 1 });
  const first = toJson(marked);
  // Never done to a marked object; here it shows the cached text is what is sent.
  (marked as { a: number }).a = 2;
  assert.equal(toJson(marked), first);
  assert.equal(
    responseText({ type: "res", id: 'q"1', ok: true, payload: marked }),
    `{"type":"res","id":"q\\"1","ok":true,"payload":{"a":1}}`,
  );
  const plain = { a: 1 };
  assert.equal(toJson(plain), '{"a":1}');
  plain.a = 2;
  assert.equal(toJson(plain), '{"a":2}');
  const frame = { type: "res" as const, id: "2", ok: true, payload: plain };
  assert.equal(responseText(frame), JSON.stringify(frame));
});

Deno.test("the cached health snapshot and its path-less view are marked immutable", () => {
  const health = new HealthMonitor({
    version: "t",
    startedAt: 0,
    sessionsPath: "/nonexistent/sessions.json",
    configState: () => ({ path: "/x/openclaw.json", valid: true, hash: "h", issues: [] }),
  });
  const snap = health.snapshot();
  assert.ok(isImmutable(snap));
  assert.equal(health.snapshot(), snap, "cache not reused");
  const limited = withoutPaths(snap);
  assert.equal(withoutPaths(snap), limited, "limited view rebuilt per call");
  assert.ok(isImmutable(limited));
  assert.equal(limited.config.path, "");
  assert.equal(limited.sessions.path, "");
  assert.equal(JSON.parse(toJson(limited)).config.path, "");
});

Deno.test("FrameDecoder.push reads only up to `end` of a reused read buffer", () => {
  const got: string[] = [];
  const d = new FrameDecoder({
    onText: (s) => got.push(s),
    onBinary: () => got.push("binary"),
    onPing: () => got.push("ping"),
    onPeerClose: () => got.push("close"),
    onViolation: (code, reason) => got.push(`fail:${code}:${reason}`),
    maxMessageBytes: () => 1000,
  });
  const buf = new Uint8Array(64).fill(0x0f); // stale bytes past `end`: reserved bits
  const frame = maskedTextFrame("hello");
  buf.set(frame);
  d.push(buf, frame.length);
  // The header of the next frame split across two reads, then its payload.
  const next = maskedTextFrame("world");
  buf.fill(0x0f).set(next.subarray(0, 3));
  d.push(buf, 3);
  buf.fill(0x0f).set(next.subarray(3));
  d.push(buf, next.length - 3);
  assert.deepEqual(got, ["hello", "world"]);
});
