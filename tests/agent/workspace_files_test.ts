import assert from "node:assert/strict";
import {
  loadWorkspaceFiles,
  RACY_MS,
  WorkspaceFileCache,
} from "../../src/agent/workspace_files.ts";
import { createPrompt } from "../../src/agent/prompt_engine.ts";
import type { ResolvedModel } from "../../src/agent/types.ts";

/** A clock far enough ahead that no file counts as just modified. */
const later = () => Date.now() + 10 * RACY_MS;

async function withWorkspace(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "oc-wsf-" });
  try {
    await fn(await Deno.realPath(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const contentOf = (files: { name: string; content?: string }[], name: string) =>
  files.find((f) => f.name === name)?.content;

Deno.test("loadWorkspaceFiles() serves an unchanged file from the cache without reading it", async () => {
  await withWorkspace(async (dir) => {
    await Deno.writeTextFile(`${dir}/SOUL.md`, "soul on disk");
    const cache = new WorkspaceFileCache(later);
    assert.equal(contentOf(await loadWorkspaceFiles(dir, { cache }), "SOUL.md"), "soul on disk");
    assert.equal(cache.size, 1, "the one present file is kept");
    // Same lstat, different kept text: only a cache hit can answer this.
    const info = await Deno.lstat(`${dir}/SOUL.md`);
    cache.set(`${dir}/SOUL.md`, info, { text: "soul from cache", chars: 15 });
    const files = await loadWorkspaceFiles(dir, { cache });
    assert.equal(contentOf(files, "SOUL.md"), "soul from cache");
    assert.equal(files.find((f) => f.name === "SOUL.md")?.rawChars, 15);
  });
});

Deno.test("loadWorkspaceFiles() sees an edited SOUL.md on the next load", async () => {
  await withWorkspace(async (dir) => {
    const cache = new WorkspaceFileCache(later);
    await Deno.writeTextFile(`${dir}/SOUL.md`, "first soul");
    assert.equal(contentOf(await loadWorkspaceFiles(dir, { cache }), "SOUL.md"), "first soul");
    await Deno.writeTextFile(`${dir}/SOUL.md`, "second, longer soul");
    assert.equal(
      contentOf(await loadWorkspaceFiles(dir, { cache }), "SOUL.md"),
      "second, longer soul",
    );
    await Deno.remove(`${dir}/SOUL.md`);
    assert.equal(contentOf(await loadWorkspaceFiles(dir, { cache }), "SOUL.md"), undefined);
  });
});

Deno.test("loadWorkspaceFiles() does not keep a file modified just now (same-size edit)", async () => {
  await withWorkspace(async (dir) => {
    const cache = new WorkspaceFileCache();
    await Deno.writeTextFile(`${dir}/SOUL.md`, "aaaa");
    assert.equal(contentOf(await loadWorkspaceFiles(dir, { cache }), "SOUL.md"), "aaaa");
    assert.equal(cache.size, 0, "a racily clean file is read again next time");
    await Deno.writeTextFile(`${dir}/SOUL.md`, "bbbb");
    assert.equal(contentOf(await loadWorkspaceFiles(dir, { cache }), "SOUL.md"), "bbbb");
  });
});

Deno.test("loadWorkspaceFiles() checks a cached file swapped for a link out of the workspace", async () => {
  await withWorkspace(async (dir) => {
    const outside = await Deno.makeTempFile({ prefix: "oc-secret-" });
    try {
      await Deno.writeTextFile(outside, "SECRET");
      await Deno.mkdir(`${dir}/ws`);
      await Deno.writeTextFile(`${dir}/ws/MEMORY.md`, "plain memory");
      const cache = new WorkspaceFileCache(later);
      const first = await loadWorkspaceFiles(`${dir}/ws`, { cache });
      assert.equal(contentOf(first, "MEMORY.md"), "plain memory");
      await Deno.remove(`${dir}/ws/MEMORY.md`);
      await Deno.symlink(outside, `${dir}/ws/MEMORY.md`);
      const memory = contentOf(await loadWorkspaceFiles(`${dir}/ws`, { cache }), "MEMORY.md");
      assert.match(memory ?? "", /^\[SKIPPED\] MEMORY\.md links outside/);
    } finally {
      await Deno.remove(outside);
    }
  });
});

Deno.test("createPrompt() puts an edited SOUL.md in the next turn's system prompt", async () => {
  await withWorkspace(async (dir) => {
    const prompt = createPrompt({ timeZone: "UTC", host: { host: "vm" } });
    const input = {
      agentId: "main",
      sessionKey: "agent:main:main",
      sessionId: "s1",
      workspace: dir,
      model: { ref: { provider: "stub", model: "stub-model" } } as ResolvedModel,
      tools: [],
      channel: "webchat",
      firstTurn: false,
    };
    await Deno.writeTextFile(`${dir}/SOUL.md`, "SOUL-ONE");
    assert.ok((await prompt.build(input)).system.includes("SOUL-ONE"));
    await Deno.writeTextFile(`${dir}/SOUL.md`, "SOUL-TWO");
    const next = (await prompt.build(input)).system;
    assert.ok(next.includes("SOUL-TWO") && !next.includes("SOUL-ONE"), "the edit is seen");
  });
});

Deno.test("createPrompt() builds from the files its prefetch read, for that workspace and session only", async () => {
  await withWorkspace(async (dir) => {
    const prompt = createPrompt({ timeZone: "UTC", host: { host: "vm" } });
    const input = {
      agentId: "main",
      sessionKey: "agent:main:main",
      sessionId: "s1",
      workspace: dir,
      model: { ref: { provider: "stub", model: "stub-model" } } as ResolvedModel,
      tools: [],
      channel: "webchat",
      firstTurn: false,
    };
    await Deno.writeTextFile(`${dir}/SOUL.md`, "SOUL-AHEAD");
    const prefetched = prompt.prefetch!(dir, input.sessionKey);
    await prefetched.files;
    await Deno.writeTextFile(`${dir}/SOUL.md`, "SOUL-AFTER");
    // The turn's files were read ahead: the build uses them, not a second read.
    assert.ok((await prompt.build({ ...input, prefetched })).system.includes("SOUL-AHEAD"));
    const other = { ...input, sessionKey: "agent:main:telegram:group:1", prefetched };
    assert.ok((await prompt.build(other)).system.includes("SOUL-AFTER"), "another session reads");
  });
});

Deno.test("createPrompt() rethrows a failed prefetch from build, never as an unhandled rejection", async () => {
  await withWorkspace(async (dir) => {
    await Deno.symlink(`${dir}/SOUL.md`, `${dir}/SOUL.md`); // a loop: reading it fails
    const prompt = createPrompt({ timeZone: "UTC", host: { host: "vm" } });
    const prefetched = prompt.prefetch!(dir, "agent:main:main");
    await new Promise((r) => setTimeout(r, 20)); // an unhandled rejection would fail the test here
    await assert.rejects(
      prompt.build({
        agentId: "main",
        sessionKey: "agent:main:main",
        sessionId: "s1",
        workspace: dir,
        model: { ref: { provider: "stub", model: "stub-model" } } as ResolvedModel,
        tools: [],
        channel: "webchat",
        firstTurn: false,
        prefetched,
      }),
    );
  });
});
