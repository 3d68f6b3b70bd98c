import assert from "node:assert/strict";
import { LaneCancelled, Lanes } from "../../src/agent/lanes.ts";
import { RunCache } from "../../src/agent/run_cache.ts";
import { RunEmitter } from "../../src/agent/run_events.ts";
import type { RunEvent, RunResult } from "../../src/agent/types.ts";
import { emptyUsage } from "../../src/agent/run.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

Deno.test("Lanes.run() runs one at a time per session, in order", async () => {
  const lanes = new Lanes(() => 10);
  const order: string[] = [];
  const gate = deferred();
  const a = lanes.run("s", async () => {
    order.push("a:start");
    await gate.promise;
    order.push("a:end");
  });
  const b = lanes.run("s", () => Promise.resolve(order.push("b")));
  const c = lanes.run("other", () => Promise.resolve(order.push("c")));
  await c;
  assert.deepEqual(order, ["a:start", "c"], "another session is not blocked");
  gate.resolve();
  await Promise.all([a, b]);
  assert.deepEqual(order, ["a:start", "c", "a:end", "b"]);
  assert.equal(lanes.depth("s"), 0);
});

Deno.test("Lanes.run() holds runs over the global cap until a slot frees", async () => {
  const lanes = new Lanes(() => 1);
  const gate = deferred();
  let second = false;
  const a = lanes.run("x", () => gate.promise);
  const b = lanes.run("y", () => Promise.resolve(second = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(second, false);
  assert.equal(lanes.waiting, 1);
  gate.resolve();
  await Promise.all([a, b]);
  assert.equal(second, true);
});

Deno.test("Lanes.run() rejects a queued run whose signal aborts, and the lane moves on", async () => {
  const lanes = new Lanes(() => 4);
  const gate = deferred();
  const a = lanes.run("s", () => gate.promise);
  const ctl = new AbortController();
  let ran = false;
  const b = lanes.run("s", () => Promise.resolve(ran = true), ctl.signal);
  ctl.abort();
  await assert.rejects(b, LaneCancelled);
  const c = lanes.run("s", () => Promise.resolve("c"));
  gate.resolve();
  await a;
  assert.equal(await c, "c");
  assert.equal(ran, false);
});

function result(runId: string, text = "hi"): RunResult {
  return {
    runId,
    sessionKey: "agent:main:main",
    sessionId: "s1",
    agentId: "main",
    status: "ok",
    text,
    usage: emptyUsage(),
    startedAt: 1,
    endedAt: 2,
  };
}

Deno.test("RunCache keeps finished runs across a reload and skips a torn last line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/sub/runs.jsonl`;
    const cache = new RunCache({ path });
    cache.started("k1", { runId: "k1", sessionKey: "agent:main:main", agentId: "main" });
    cache.done("k1", result("k1"));
    cache.started("k2", { runId: "k2", sessionKey: "agent:main:main", agentId: "main" });
    await cache.flush();
    await Deno.writeTextFile(path, '{"k":"k3","s":"do', { append: true });
    const again = new RunCache({ path });
    await again.load();
    const k1 = again.get("k1");
    assert.equal(k1?.state, "done");
    assert.equal(k1?.state === "done" && k1.result.text, "hi");
    assert.equal(again.get("k2")?.state, "started");
    assert.equal(again.get("k3"), undefined);
    // The load compacted the file: every line parses.
    for (const line of (await Deno.readTextFile(path)).split("\n").filter(Boolean)) {
      JSON.parse(line);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RunCache forgets entries past the TTL and beyond the bound", () => {
  let now = 0;
  const cache = new RunCache({ ttlMs: 100, maxEntries: 2, now: () => now });
  cache.done("a", result("a"));
  cache.done("b", result("b"));
  cache.done("c", result("c"));
  assert.equal(cache.get("a"), undefined, "oldest dropped past the bound");
  assert.ok(cache.get("c"));
  now = 200;
  assert.equal(cache.get("c"), undefined, "expired");
});

Deno.test("RunEmitter sends the first delta at once and coalesces the rest", async () => {
  const events: RunEvent[] = [];
  const em = new RunEmitter(
    { runId: "r", sessionKey: "k", agentId: "main" },
    (e) => events.push(e),
    50,
  );
  em.delta("Hel");
  const chats = () => events.filter((e) => e.event === "chat").map((e) => e.payload);
  assert.equal(chats().length, 1, "first chunk is not held back");
  em.delta("lo");
  em.delta(" there");
  assert.equal(chats().length, 1);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(chats().length, 2);
  assert.equal(chats()[1].deltaText, "lo there");
  const agentSeq = events.filter((e) => e.event === "agent").map((e) => e.payload.seq);
  assert.deepEqual(chats().map((c) => c.seq), agentSeq, "chat seq mirrors the agent event");
  assert.equal(em.text, "Hello there");
  em.close();
});
