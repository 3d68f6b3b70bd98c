import assert from "node:assert/strict";
import { createProcessRegistry } from "../../../src/agent/tools/process_registry.ts";
import type { ProcessSession, ProcessStatus } from "../../../src/agent/tools/process_session.ts";

function fake(id: string, status: ProcessStatus, endedAt?: number, scopeKey = "s"): ProcessSession {
  return {
    id,
    command: "x",
    cwd: "/",
    pid: 1,
    startedAt: 0,
    scopeKey,
    status,
    exitCode: null,
    exitSignal: null,
    endedAt,
    backgrounded: false,
    totalChars: 0,
    droppedChars: 0,
    output: () => "",
    takeNew: () => "",
    onOutput: () => () => {},
    done: Promise.resolve(),
    write: () => Promise.resolve(),
    kill() {
      this.status = "killed";
    },
  };
}

Deno.test("createProcessRegistry() caps sessions, dropping finished ones first, and refuses when all run", () => {
  const reg = createProcessRegistry({ maxSessions: 2, now: () => 1000 });
  reg.add(fake("a", "completed", 900));
  reg.add(fake("b", "running"));
  reg.add(fake("c", "running")); // evicts finished "a"
  assert.deepEqual(reg.list("s").map((s) => s.id), ["b", "c"]);
  assert.throws(() => reg.add(fake("d", "running")), /Too many background processes \(2 running\)/);
});

Deno.test("createProcessRegistry() forgets finished sessions after the TTL and scopes by session key", () => {
  let now = 0;
  const reg = createProcessRegistry({ finishedTtlMs: 1000, now: () => now });
  const done = fake("done", "completed", 0);
  reg.add(done);
  reg.add(fake("other", "running", undefined, "t"));
  assert.equal(reg.get("done", "s"), done);
  assert.equal(reg.get("done", "t"), undefined, "another session cannot see it");
  assert.equal(reg.remove("done", "t"), false);
  now = 1001;
  assert.equal(reg.get("done", "s"), undefined);
  assert.deepEqual(reg.list("t").map((s) => s.id), ["other"]);
  assert.match(reg.newId(), /^[a-z]+-[a-z]+/);
});

Deno.test("createProcessRegistry().stop() kills running sessions and forgets all", async () => {
  const reg = createProcessRegistry();
  const run = fake("r", "running");
  reg.add(run);
  await reg.stop();
  assert.equal(run.status, "killed");
  assert.deepEqual(reg.list("s"), []);
});
