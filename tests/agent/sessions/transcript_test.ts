import assert from "node:assert/strict";
import { historyFromRows, modelContextFromRows } from "../../../src/agent/sessions/history.ts";
import {
  type ChainRow,
  openTranscript,
  readTranscript,
  TRANSCRIPT_VERSION,
} from "../../../src/agent/sessions/transcript.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "oc-transcript-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const user = (text: string, ts = 1) => ({
  type: "message" as const,
  message: { role: "user", content: text, timestamp: ts },
});
const assistant = (content: unknown[], extra: Record<string, unknown> = {}) => ({
  type: "message" as const,
  message: { role: "assistant", content, timestamp: 2, ...extra },
});

Deno.test("openTranscript() writes the header and chains rows by id/parentId", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/s1.jsonl`;
    const t = openTranscript(path, { sessionId: "s1", cwd: "/ws", now: () => 1796003513286 });
    const a = await t.append(user("hello chat"));
    const b = await t.append({ type: "thinking_level_change", thinkingLevel: "off" });
    const c = await t.append(assistant([{ type: "text", text: "Hello from stub." }]));
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines[0], {
      type: "session",
      version: TRANSCRIPT_VERSION,
      id: "s1",
      timestamp: "2026-11-30T01:51:53.286Z",
      cwd: "/ws",
    });
    assert.equal(lines[1].parentId, null);
    assert.match(a.id, /^[0-9a-f-]{36}$/, "message rows get a UUID");
    assert.match(b.id, /^[0-9a-f]{8}$/, "other rows the short form");
    assert.equal(b.parentId, a.id);
    assert.equal(c.parentId, b.id);
    assert.deepEqual(Object.keys(lines[2]).slice(0, 4), ["type", "id", "parentId", "timestamp"]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  });
});

Deno.test("a torn last line is skipped by readers and closed by the next append", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/s.jsonl`;
    const first = openTranscript(path, { sessionId: "s", cwd: "" });
    const a = await first.append(user("one"));
    // What a SIGKILL in the middle of a write leaves behind.
    await Deno.writeTextFile(path, '{"type":"message","id":"torn","parentId"', { append: true });
    let read = await readTranscript(path);
    assert.equal(read.skipped, 1);
    assert.equal(read.rows.length, 1);

    const again = openTranscript(path, { sessionId: "s", cwd: "" });
    const b = await again.append(user("two"));
    assert.equal(b.parentId, a.id, "chains to the last complete row");
    read = await readTranscript(path);
    assert.equal(read.skipped, 1);
    assert.deepEqual(read.rows.map((r) => r.id), [a.id, b.id]);
  });
});

Deno.test("a reopened transcript chains past a last row bigger than the tail window", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/s.jsonl`;
    const first = openTranscript(path, { sessionId: "s", cwd: "" });
    await first.append(user("small"));
    const big = await first.append(user("z".repeat(1_200_000)));
    const again = openTranscript(path, { sessionId: "s", cwd: "" });
    const next = await again.append(user("after"));
    assert.equal(next.parentId, big.id);
  });
});

Deno.test("readTranscript() reads only the tail of an over-long file", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/s.jsonl`;
    const t = openTranscript(path, { sessionId: "s", cwd: "" });
    for (let i = 0; i < 50; i++) await t.append(user(`m${i} ${"x".repeat(100)}`));
    const read = await readTranscript(path, 1000);
    assert.equal(read.partial, true);
    assert.ok(read.rows.length > 0 && read.rows.length < 10);
    assert.equal(read.skipped, 0);
  });
});

async function rowsOf(rows: Array<Parameters<ReturnType<typeof openTranscript>["append"]>[0]>) {
  const dir = await Deno.makeTempDir();
  try {
    const t = openTranscript(`${dir}/x.jsonl`, { sessionId: "x", cwd: "" });
    const out: ChainRow[] = [];
    for (const r of rows) out.push(await t.append(r));
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("historyFromRows() starts at the latest reset and tags messages with id and seq", async () => {
  const rows = await rowsOf([
    user("old"),
    { type: "reset", reason: "new" },
    user("/status"),
    assistant([{ type: "text", text: "card" }], { excludeFromContext: true }),
    { type: "custom", customType: "model-snapshot", data: {} },
    {
      type: "custom",
      customType: "run-failed-before-reply",
      content: "This turn ended before a reply: x",
      display: true,
    },
    user("new"),
  ]);
  const { messages, total } = historyFromRows(rows);
  assert.equal(total, 5);
  assert.deepEqual(messages.map((m) => m.role), ["system", "user", "assistant", "custom", "user"]);
  assert.deepEqual(messages[0].content, [{ type: "text", text: "Reset" }]);
  assert.equal(messages[1].__openclaw.id, rows[2].id);
  assert.equal(messages[1].__openclaw.seq, 3);
  assert.equal(messages[3].customType, "run-failed-before-reply");
  const capped = historyFromRows(rows, { maxBytes: 300 }).messages;
  assert.ok(capped.length >= 1 && capped.length < 5, `byte cap drops the oldest: ${capped.length}`);
  assert.equal(capped.at(-1)?.content, "new");
  assert.deepEqual(historyFromRows(rows, { limit: 2 }).messages.map((m) => m.content), [
    "This turn ended before a reply: x",
    "new",
  ]);
});

Deno.test("modelContextFromRows() starts at the latest compaction with the summary as a user message", async () => {
  const rows = await rowsOf([
    user("first"),
    assistant([{ type: "text", text: "a1" }]),
    user("second"),
    assistant([{ type: "text", text: "a2" }]),
  ]);
  // Compaction keeps from "second".
  const compaction = {
    type: "compaction" as const,
    id: "c0mpact1",
    parentId: rows[3].id,
    timestamp: new Date(5).toISOString(),
    summary: "## Decisions\nNone.",
    firstKeptEntryId: rows[2].id,
    tokensBefore: 100,
  };
  const after = { ...rows[0], id: "after001", parentId: "c0mpact1" } as ChainRow;
  (after as { message: unknown }).message = { role: "user", content: "third", timestamp: 6 };
  const ctx = modelContextFromRows([...rows, compaction, after]);
  assert.equal(ctx.length, 4);
  assert.equal(ctx[0].role, "user");
  assert.match(String(ctx[0].content), /compacted into the following summary:[\s\S]*## Decisions/);
  assert.deepEqual(ctx.slice(1).map((m) => m.role === "user" ? m.content : "A"), [
    "second",
    "A",
    "third",
  ]);
  assert.ok(ctx.every((m) => !("__openclaw" in m)));
});

Deno.test("modelContextFromRows() drops context-free replies and repairs tool pairs", async () => {
  const rows = await rowsOf([
    user("/status"),
    assistant([{ type: "text", text: "card" }], { __openclaw: { contextFreeCommand: true } }),
    user("run it"),
    assistant([{ type: "toolCall", id: "call_1", name: "exec", arguments: {} }], {
      stopReason: "toolUse",
    }),
    // no toolResult: the gateway was killed mid-tool
    assistant([], { stopReason: "error", errorMessage: "500" }),
    {
      type: "message",
      message: {
        role: "toolResult",
        toolCallId: "orphan",
        toolName: "read",
        content: [],
        isError: false,
        timestamp: 3,
      },
    },
    user("again"),
  ]);
  const ctx = modelContextFromRows(rows);
  assert.deepEqual(ctx.map((m) => m.role), ["user", "user", "assistant", "toolResult", "user"]);
  const synthetic = ctx[3];
  assert.ok(
    synthetic.role === "toolResult" && synthetic.isError && synthetic.toolCallId === "call_1",
  );
});
