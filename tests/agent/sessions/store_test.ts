import assert from "node:assert/strict";
import { createSessionStore } from "../../../src/agent/sessions/mod.ts";
import type { AssistantMessage, Usage } from "../../../src/agent/types.ts";

const KEY = "agent:main:main";

async function withState(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "oc-sessions-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function usage(input: number, output: number): Usage {
  return {
    input,
    output,
    cacheRead: 0,
    cacheWrite: 0,
    totalTokens: input + output,
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0.5 },
  };
}

Deno.test("createSessionStore() writes a private sessions.json with the spec's row fields", async () => {
  await withState(async (dir) => {
    let t = 1_000;
    const store = createSessionStore({ stateDir: dir, now: () => t });
    const { entry, created } = await store.ensure(KEY);
    assert.equal(created, true);
    assert.equal((await store.ensure(KEY)).created, false);
    const path = `${dir}/agents/main/sessions/sessions.json`;
    assert.equal(store.indexPath("main"), path);
    const onDisk = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(onDisk[KEY], entry);
    assert.equal(entry.createdAt, 1000);
    assert.equal(entry.sessionStartedAt, 1000);
    assert.equal(entry.createdVia, "operator");
    assert.equal(entry.chatType, "direct");
    assert.equal(entry.compactionCount, 0);
    assert.match(entry.sessionId, /^[0-9a-f-]{36}$/);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/agents/main/sessions`)).mode! & 0o777, 0o700);

    t = 2_000;
    const patched = await store.patch(KEY, { label: "hello", thinkingLevel: "high" });
    assert.equal(patched.label, "hello");
    assert.equal(patched.updatedAt, 2000);
    const cleared = await store.patch(KEY, { label: null, sessionId: "hijack" });
    assert.equal(cleared.label, undefined);
    assert.equal(cleared.sessionId, entry.sessionId, "sessionId is not patchable");
    await assert.rejects(
      () => store.patch("agent:main:nope", {}),
      /Unknown session "agent:main:nope"/,
    );
    const up = await store.upsert("agent:main:new", { label: "fresh" }, { createdVia: "channel" });
    assert.equal(up.label, "fresh");
    assert.equal(up.createdVia, "channel");
  });
});

Deno.test("createSessionStore() uses the given sessionId; an unsafe one never names a file", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    const { entry } = await store.ensure("agent:main:explicit:idem-1", { sessionId: "idem-1" });
    assert.equal(entry.sessionId, "idem-1");
    assert.equal(entry.sessionFile, "idem-1.jsonl");
    const odd = await store.ensure("agent:main:x", { sessionId: "../../etc" });
    assert.equal(odd.entry.sessionId, "../../etc");
    assert.match(String(odd.entry.sessionFile), /^[0-9a-f-]{36}\.jsonl$/);
    await store.append("agent:main:x", { type: "reset", reason: "new" });
    await Deno.stat(`${dir}/agents/main/sessions/${odd.entry.sessionFile}`);
    await assert.rejects(
      () => store.ensure("agent:main:y", { sessionId: "a\nb" }),
      /Invalid sessionId/,
    );
  });
});

Deno.test("two session keys given the same sessionId get separate transcripts", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    const alice = await store.ensure("agent:main:alice-private", { sessionId: "shared-id" });
    const bob = await store.ensure("agent:main:bob", { sessionId: "shared-id" });
    assert.equal(bob.entry.sessionId, "shared-id", "the id is kept as given");
    assert.equal(alice.entry.sessionFile, "shared-id.jsonl");
    assert.match(String(bob.entry.sessionFile), /^shared-id-[0-9a-f]{8}\.jsonl$/);
    await store.append("agent:main:alice-private", {
      type: "message",
      message: { role: "user", content: "ALICE-SECRET-NOTE", timestamp: 1 },
    });
    await store.append("agent:main:bob", {
      type: "message",
      message: { role: "user", content: "hello from bob", timestamp: 2 },
    });
    const bobHistory = JSON.stringify(await store.history("agent:main:bob"));
    assert.ok(!bobHistory.includes("ALICE-SECRET-NOTE"), bobHistory);
    assert.ok(!JSON.stringify(await store.modelContext("agent:main:bob")).includes("ALICE"));
    await store.delete("agent:main:bob");
    assert.equal((await store.history("agent:main:alice-private")).total, 1);
  });
});

Deno.test("delete keeps a transcript another row still names", async () => {
  await withState(async (dir) => {
    const sessions = `${dir}/agents/main/sessions`;
    await Deno.mkdir(sessions, { recursive: true });
    const row = { sessionId: "legacy", sessionFile: "legacy.jsonl", updatedAt: 1, createdAt: 1 };
    await Deno.writeTextFile(
      `${sessions}/sessions.json`,
      JSON.stringify({ "agent:main:a": row, "agent:main:b": row }),
    );
    const store = createSessionStore({ stateDir: dir });
    await store.append("agent:main:a", { type: "reset", reason: "x" });
    assert.equal(await store.delete("agent:main:b"), true);
    await Deno.stat(`${sessions}/legacy.jsonl`);
    assert.equal((await store.rows("agent:main:a")).length, 1);
  });
});

Deno.test("a row without sessionFile never lets its sessionId name a path outside", async () => {
  await withState(async (dir) => {
    const victim = await Deno.makeTempDir({ prefix: "oc-victim-" });
    try {
      await Deno.writeTextFile(`${victim}/precious.jsonl`, "do not delete\n");
      const sessions = `${dir}/agents/main/sessions`;
      await Deno.mkdir(sessions, { recursive: true });
      const traversal = "../".repeat(12) + victim.slice(1) + "/precious";
      await Deno.writeTextFile(
        `${sessions}/sessions.json`,
        JSON.stringify({
          "agent:main:legacy": { sessionId: traversal, updatedAt: 1, createdAt: 1 },
        }),
      );
      const seen: string[] = [];
      const store = createSessionStore({ stateDir: dir, onIssue: (m) => seen.push(m) });
      const h = await store.history("agent:main:legacy");
      assert.deepEqual(h.messages, []);
      assert.deepEqual(await store.rows("agent:main:legacy"), []);
      const listed = await store.list({ includeLastMessage: true });
      assert.equal(listed.total, 1);
      await assert.rejects(
        () => store.append("agent:main:legacy", { type: "reset", reason: "x" }),
        /no usable transcript file/,
      );
      assert.equal(await store.delete("agent:main:legacy"), true);
      assert.equal(await Deno.readTextFile(`${victim}/precious.jsonl`), "do not delete\n");
      assert.equal(seen.length, 1);
      assert.match(seen[0], /sessionId is not a safe file name/);
    } finally {
      await Deno.remove(victim, { recursive: true });
    }
  });
});

Deno.test("reset appends a reset row, keeps sessionId and zeroes token counts", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    const { entry } = await store.ensure(KEY);
    await store.append(KEY, {
      type: "message",
      message: { role: "user", content: "hi", timestamp: 1 },
    });
    await store.recordUsage(KEY, usage(1234, 7), { contextTokens: 128000 });
    await store.recordUsage(KEY, usage(1300, 5));
    const before = await store.get(KEY);
    assert.equal(before?.inputTokens, 2534, "input accumulates");
    assert.equal(before?.outputTokens, 12);
    assert.equal(before?.totalTokens, 1305, "total is the last call's context fill");
    assert.equal(before?.contextTokens, 128000);
    assert.equal(before?.costTotal, 1);

    const after = await store.reset(KEY, "new");
    assert.equal(after.sessionId, entry.sessionId);
    assert.equal(after.inputTokens, 0);
    assert.equal(after.totalTokens, 0);
    assert.match(String(after.lifecycleRevision), /^[0-9a-f-]{36}$/);
    const rows = await store.rows(KEY);
    assert.equal(rows.at(-1)?.type, "reset");
    assert.equal((rows.at(-1) as { reason: string }).reason, "new");
    assert.match(rows.at(-1)!.id, /^[0-9a-f]{8}$/);
    // History restarts at the reset.
    const h = await store.history(KEY);
    assert.equal(h.messages.length, 1);
    assert.equal(h.messages[0].role, "system");
    assert.deepEqual(await store.modelContext(KEY), []);
  });
});

Deno.test("list() returns rows with computed fields, newest first, filtered and limited", async () => {
  await withState(async (dir) => {
    let t = 0;
    const store = createSessionStore({
      stateDir: dir,
      now: () => (t += 1000),
      activeRuns: (key) => key === KEY ? ["run-1"] : [],
    });
    await store.ensure(KEY);
    await store.ensure("agent:main:explicit:abc", { label: "exp" });
    await store.ensure("agent:work:main");
    await store.append(KEY, {
      type: "message",
      message: {
        role: "assistant",
        content: [{ type: "text", text: "Hello  from\nstub." }],
        timestamp: 1,
      },
    }, { touch: true });
    const all = await store.list({ includeLastMessage: true });
    assert.equal(all.total, 3);
    assert.deepEqual(all.rows.map((r) => r.key), [
      KEY,
      "agent:work:main",
      "agent:main:explicit:abc",
    ]);
    const main = all.rows[0];
    assert.equal(main.isMain, true);
    assert.equal(main.kind, "direct");
    assert.equal(main.classification, "main");
    assert.equal(main.hasActiveRun, true);
    assert.deepEqual(main.activeRunIds, ["run-1"]);
    assert.equal(main.status, "running");
    assert.equal(main.lastMessagePreview, "Hello from stub.");
    assert.equal(all.rows[2].classification, "explicit");
    assert.equal((await store.list({ agentId: "work" })).total, 1);
    assert.equal((await store.list({ search: "EXP" })).rows[0].key, "agent:main:explicit:abc");
    assert.equal((await store.list({ limit: 1 })).rows.length, 1);
  });
});

Deno.test("delete removes the row and its transcript", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    const { entry } = await store.ensure(KEY);
    await store.append(KEY, {
      type: "message",
      message: { role: "user", content: "x", timestamp: 1 },
    });
    const file = `${dir}/agents/main/sessions/${entry.sessionFile}`;
    await Deno.stat(file);
    assert.equal(await store.delete(KEY), true);
    assert.equal(await store.delete(KEY), false);
    await assert.rejects(() => Deno.stat(file), Deno.errors.NotFound);
    assert.equal(await store.get(KEY), undefined);
  });
});

Deno.test("a corrupt index is kept aside and reported, not silently reset", async () => {
  await withState(async (dir) => {
    const sessions = `${dir}/agents/main/sessions`;
    await Deno.mkdir(sessions, { recursive: true });
    await Deno.writeTextFile(
      `${sessions}/sessions.json`,
      '{"agent:main:main": {"sessionId": "a", "upd',
    );
    const seen: string[] = [];
    const store = createSessionStore({ stateDir: dir, onIssue: (m) => seen.push(m) });
    assert.equal(await store.get(KEY), undefined);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /is not valid JSON .*kept aside as .*sessions\.json\.corrupt-/);
    const aside = [...Deno.readDirSync(sessions)].find((e) => e.name.includes(".corrupt-"));
    assert.ok(aside, "the damaged file is still there");
    assert.match(await Deno.readTextFile(`${sessions}/${aside.name}`), /"upd$/);
    assert.deepEqual(store.issues(), seen);

    // A file with one bad row keeps the good rows and a copy of the original.
    const dir2 = `${dir}/two`;
    await Deno.mkdir(`${dir2}/agents/main/sessions`, { recursive: true });
    await Deno.writeTextFile(
      `${dir2}/agents/main/sessions/sessions.json`,
      JSON.stringify({ [KEY]: { sessionId: "s1", updatedAt: 1 }, "agent:main:bad": 42 }),
    );
    const store2 = createSessionStore({ stateDir: dir2 });
    assert.equal((await store2.get(KEY))?.sessionId, "s1");
    assert.match(store2.issues()[0], /1 unreadable row\(s\) \("agent:main:bad"\)/);
  });
});

Deno.test("concurrent updates are serialised: no write is lost", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.ensure(`agent:main:s${i}`)));
    await Promise.all(
      Array.from(
        { length: 30 },
        (_, i) =>
          store.append(KEY.replace("main:main", `main:s${i % 3}`), {
            type: "message",
            message: { role: "user", content: String(i), timestamp: i },
          }),
      ),
    );
    const fresh = createSessionStore({ stateDir: dir });
    assert.equal((await fresh.list({ limit: 1000 })).total, 30);
    for (let s = 0; s < 3; s++) {
      const rows = await fresh.rows(`agent:main:s${s}`);
      assert.equal(rows.length, 10);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i].parentId, rows[i - 1].id);
    }
  });
});

Deno.test("assistant rows keep usage as written", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    await store.ensure(KEY);
    const msg: AssistantMessage = {
      role: "assistant",
      content: [{ type: "text", text: "Hello from stub." }],
      api: "openai-completions",
      provider: "stub",
      model: "stub-model",
      usage: usage(1234, 7),
      stopReason: "stop",
      timestamp: 5,
      responseId: "chatcmpl-stub2",
    };
    await store.append(KEY, { type: "message", message: msg });
    const h = await store.history(KEY);
    const { __openclaw, ...rest } = h.messages[0];
    assert.deepEqual(rest, msg);
    assert.equal(__openclaw.seq, 1);
  });
});

Deno.test("concurrent index updates share writes, and each resolves only once its row is on disk", async () => {
  await withState(async (dir) => {
    const store = createSessionStore({ stateDir: dir });
    const path = `${dir}/agents/main/sessions/sessions.json`;
    await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      await store.ensure(`agent:main:g${i}`);
      // Read straight from disk the moment this update resolves.
      const onDisk = JSON.parse(await Deno.readTextFile(path));
      assert.ok(onDisk[`agent:main:g${i}`], `row g${i} not on disk when its update resolved`);
    }));
  });
});
