import assert from "node:assert/strict";
import {
  ensureWorkspace,
  loadWorkspaceFiles,
  MAX_FILE_READ_BYTES,
  resolveWorkspaceDir,
  SEEDED_FILES,
} from "../../src/agent/workspace.ts";

Deno.test("resolveWorkspaceDir() follows agent entry, defaults, env, state dir", () => {
  const stateDir = "/s";
  assert.equal(resolveWorkspaceDir({ agentId: "main", env: {}, stateDir }), "/s/workspace");
  assert.equal(
    resolveWorkspaceDir({ agentId: "main", env: { OPENCLAW_WORKSPACE_DIR: "/e" }, stateDir }),
    "/e",
  );
  assert.equal(
    resolveWorkspaceDir({
      agentId: "main",
      env: { OPENCLAW_WORKSPACE_DIR: "/e" },
      stateDir,
      agents: { defaults: { workspace: "~/ws" } },
      home: "/home/me",
    }),
    "/home/me/ws",
    "config wins over env",
  );
  const agents = { list: [{ id: "work", workspace: "/w" }], entries: { ops: { workspace: "/o" } } };
  assert.equal(resolveWorkspaceDir({ agentId: "work", env: {}, stateDir, agents }), "/w");
  assert.equal(resolveWorkspaceDir({ agentId: "ops", env: {}, stateDir, agents }), "/o");
  assert.equal(
    resolveWorkspaceDir({ agentId: "other", env: {}, stateDir, agents }),
    "/s/workspace-other",
  );
});

Deno.test("ensureWorkspace() creates a private folder and seeds the five files once", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-ws-" });
  try {
    const dir = `${root}/workspace`;
    const first = await ensureWorkspace(dir);
    assert.equal(first.created, true);
    assert.deepEqual(first.seeded, [...SEEDED_FILES]);
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    for (const name of SEEDED_FILES) {
      assert.equal((await Deno.stat(`${dir}/${name}`)).mode! & 0o777, 0o600);
    }
    await Deno.writeTextFile(`${dir}/SOUL.md`, "mine");
    await Deno.remove(`${dir}/BOOTSTRAP.md`);
    const second = await ensureWorkspace(dir);
    assert.deepEqual(second.seeded, [], "existing files are kept; BOOTSTRAP.md does not come back");
    assert.equal(await Deno.readTextFile(`${dir}/SOUL.md`), "mine");

    const skipped = await ensureWorkspace(`${root}/bare`, { skipBootstrap: true });
    assert.deepEqual(skipped.seeded, []);
    assert.deepEqual([...Deno.readDirSync(`${root}/bare`)], []);

    // A planted symlink is not written through.
    const evil = `${root}/evil`;
    await Deno.mkdir(evil);
    await Deno.symlink(`${root}/target.txt`, `${evil}/AGENTS.md`);
    await ensureWorkspace(evil);
    await assert.rejects(() => Deno.stat(`${root}/target.txt`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadWorkspaceFiles() reads head and tail of a huge file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-ws-" });
  try {
    const big = "HEAD" + "x".repeat(MAX_FILE_READ_BYTES * 2) + "TAIL";
    await Deno.writeTextFile(`${dir}/AGENTS.md`, big);
    const files = await loadWorkspaceFiles(dir, { includeMemory: false });
    const agents = files.find((f) => f.name === "AGENTS.md")!;
    assert.equal(agents.rawChars, big.length);
    assert.ok(agents.content!.length <= MAX_FILE_READ_BYTES + 1);
    assert.ok(agents.content!.startsWith("HEAD") && agents.content!.endsWith("TAIL"));
    assert.ok(!files.some((f) => f.name === "MEMORY.md"));
    assert.equal(files.find((f) => f.name === "SOUL.md")?.content, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadWorkspaceFiles() does not inject a file that links outside the workspace", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-ws-" });
  const outside = await Deno.makeTempDir({ prefix: "oc-ws-out-" });
  try {
    await Deno.writeTextFile(
      `${outside}/openclaw.json`,
      '{"gateway":{"auth":{"token":"GW-SECRET"}}}',
    );
    await Deno.symlink(`${outside}/openclaw.json`, `${dir}/MEMORY.md`);
    await Deno.mkdir(`${dir}/notes`);
    await Deno.writeTextFile(`${dir}/notes/soul.md`, "inside soul");
    await Deno.symlink(`${dir}/notes/soul.md`, `${dir}/SOUL.md`);
    const files = await loadWorkspaceFiles(dir);
    const memory = files.find((f) => f.name === "MEMORY.md")!;
    assert.ok(!JSON.stringify(files).includes("GW-SECRET"));
    assert.match(memory.content!, /^\[SKIPPED\] MEMORY\.md links outside the workspace/);
    assert.equal(files.find((f) => f.name === "SOUL.md")?.content, "inside soul");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
