import assert from "node:assert/strict";
import { createSessionStore } from "../../../src/agent/sessions/mod.ts";
import { readTranscript } from "../../../src/agent/sessions/transcript.ts";

const CHILD = new URL("./_append_loop.ts", import.meta.url).pathname;

async function waitForLine(stream: ReadableStream<Uint8Array>, want: string, ms: number) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const deadline = setTimeout(() => reader.cancel().catch(() => {}), ms);
  try {
    while (!buf.includes(want)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`child ended before printing ${want}: ${buf}`);
      buf += value;
    }
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
}

Deno.test("sessions survive SIGKILL mid-write: index and transcript always readable", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-crash-" });
  try {
    let lastCount = 0;
    for (let run = 0; run < 5; run++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--no-check", CHILD, stateDir],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      await waitForLine(child.stdout, "ready", 20_000);
      // Let it write for a while, at a different moment each run.
      await new Promise((r) => setTimeout(r, 60 + run * 37));
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL");

      const indexPath = `${stateDir}/agents/main/sessions/sessions.json`;
      const index = JSON.parse(await Deno.readTextFile(indexPath));
      const entry = index["agent:main:main"];
      assert.ok(entry?.sessionId, "main row present");
      assert.equal((await Deno.stat(indexPath)).mode! & 0o777, 0o600);

      const read = await readTranscript(`${stateDir}/agents/main/sessions/${entry.sessionFile}`);
      assert.ok(read.header, "header line present");
      assert.ok(read.skipped <= run + 1, `at most one torn line per kill, got ${read.skipped}`);
      assert.ok(read.rows.length > lastCount, "the run appended rows");
      lastCount = read.rows.length;
      // The chain is unbroken even across kills: each row points at the one before.
      for (let i = 1; i < read.rows.length; i++) {
        assert.equal(read.rows[i].parentId, read.rows[i - 1].id, `row ${i} chains`);
      }
      // The store opens it again and sees the same rows.
      const store = createSessionStore({ stateDir });
      assert.equal((await store.rows("agent:main:main")).length, read.rows.length);
      assert.deepEqual(store.issues(), []);
      const leftovers = [...Deno.readDirSync(`${stateDir}/agents/main/sessions`)]
        .filter((e) => e.name.includes(".tmp-"));
      assert.deepEqual(leftovers, [], "temp files of interrupted writes are cleaned on load");
    }
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
