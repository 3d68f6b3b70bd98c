import assert from "node:assert/strict";
import { parseConfigText } from "../../src/config/load.ts";
import { writeFileAtomic } from "../../src/config/write.ts";
import { versionText } from "./_write_loop.ts";
import { within } from "../_helpers/limit.ts";

const FIXTURE = new URL("./_write_loop.ts", import.meta.url).pathname;

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "openclaw-write-" });
}

Deno.test("writeFileAtomic() replaces the file, keeps a .bak of the old one, mode 0600", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/sub/openclaw.json`;
    await writeFileAtomic(path, "{ a: 1 }");
    assert.equal(await Deno.readTextFile(path), "{ a: 1 }");
    await assert.rejects(Deno.stat(`${path}.bak`), Deno.errors.NotFound);
    await writeFileAtomic(path, "{ a: 2 }");
    assert.equal(await Deno.readTextFile(path), "{ a: 2 }");
    assert.equal(await Deno.readTextFile(`${path}.bak`), "{ a: 1 }");
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(`${dir}/sub`)).mode! & 0o777, 0o700);
    }
    const names = [];
    for await (const e of Deno.readDir(`${dir}/sub`)) names.push(e.name);
    assert.deepEqual(names.sort(), ["openclaw.json", "openclaw.json.bak"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() with backup false leaves no .bak", async () => {
  const dir = await tempDir();
  try {
    const path = `${dir}/c.json`;
    await writeFileAtomic(path, "1", { backup: false });
    await writeFileAtomic(path, "2", { backup: false });
    assert.equal(await Deno.readTextFile(path), "2");
    await assert.rejects(Deno.stat(`${path}.bak`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Fixed-seed PRNG (mulberry32) so kill moments are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function waitForReady(child: Deno.ChildProcess): Promise<void> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`write loop exited before it was ready: ${out}`);
    out += value;
  }
  reader.releaseLock();
}

Deno.test("writeFileAtomic() killed with SIGKILL mid-write always leaves a whole, valid config", async () => {
  const dir = await tempDir();
  const path = `${dir}/openclaw.json`;
  const padBytes = 1024 * 1024; // large, so a write takes long enough to be interrupted
  const random = rng(4);
  const leftovers = new Set<string>();
  try {
    for (let round = 0; round < 6; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", FIXTURE, path, String(padBytes)],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      await within(waitForReady(child), 10_000, "the write loop to be ready");
      await new Promise((r) => setTimeout(r, 10 + Math.floor(random() * 150)));
      child.kill("SIGKILL");
      const status = await within(child.status, 10_000, "the killed write loop to exit");
      await child.stdout.cancel().catch(() => {});
      assert.equal(status.signal, "SIGKILL");

      const raw = await Deno.readTextFile(path);
      const snap = await parseConfigText(path, raw, {});
      assert.ok(snap.config, `round ${round}: not a valid config: ${JSON.stringify(snap.issues)}`);
      const n = (snap.config.meta as { n: number }).n;
      assert.equal(raw, versionText(n, padBytes), `round ${round}: version ${n} is not whole`);
      const bak = await Deno.readTextFile(`${path}.bak`).catch(() => undefined);
      if (bak !== undefined) assert.ok((await parseConfigText(path, bak, {})).config);
      for await (const e of Deno.readDir(dir)) if (e.name.includes(".tmp-")) leftovers.add(e.name);
    }
    // Kills landing inside a write leave its temp file behind: evidence the test hit mid-write.
    console.log(`temp files left by interrupted writes: ${leftovers.size}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
