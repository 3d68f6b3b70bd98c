import assert from "node:assert/strict";
import { watchFileFs } from "../../src/runtime/watch.ts";
import { waitUntil } from "../_helpers/reload.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-watch-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Waits until `calls()` grows past `from`. */
function grew(calls: () => number, from: number, what: string): Promise<true> {
  return waitUntil(() => calls() > from || undefined, what, 3_000);
}

Deno.test("watchFileFs() reports writes and editor-style renames of the file", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/openclaw.json`;
    await Deno.writeTextFile(path, "{}");
    let calls = 0;
    const watch = watchFileFs()(path, () => calls++);
    try {
      await Deno.writeTextFile(path, "{ a: 1 }");
      await grew(() => calls, 0, "a write event");
      const seen = calls;
      await Deno.writeTextFile(`${path}.swp`, "{ a: 2 }");
      await Deno.rename(`${path}.swp`, path);
      await grew(() => calls, seen, "a rename event");
    } finally {
      await watch.close();
    }
  });
});

Deno.test("watchFileFs() ignores other files in the folder", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/openclaw.json`;
    let calls = 0;
    const watch = watchFileFs()(path, () => calls++);
    try {
      await Deno.writeTextFile(`${dir}/other.json`, "{}");
      await Deno.writeTextFile(`${path}.bak`, "{}");
      await Deno.mkdir(`${dir}/logs`);
      // Then the file itself: its event arrives after the others were delivered.
      await Deno.writeTextFile(path, "{}");
      await grew(() => calls, 0, "the config's own event");
      await new Promise((r) => setTimeout(r, 50));
      const afterOwn = calls;
      await Deno.writeTextFile(`${dir}/other.json`, "{ x: 1 }");
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(calls, afterOwn);
    } finally {
      await watch.close();
    }
  });
});

Deno.test("watchFileFs() waits for a missing folder and watches it once it exists", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/later/openclaw.json`;
    let calls = 0;
    const errors: string[] = [];
    const watch = watchFileFs({ retryMs: 30, onError: (m) => errors.push(m) })(path, () => calls++);
    try {
      await waitUntil(() => errors.length > 0 || undefined, "the missing-folder report");
      assert.match(errors[0], /^Cannot watch .*\/later .*retrying every 30 ms$/);
      await Deno.mkdir(`${dir}/later`);
      await grew(() => calls, 0, "the change call when the folder appears");
      const seen = calls;
      await Deno.writeTextFile(path, "{}");
      await grew(() => calls, seen, "a write event in the new folder");
      assert.equal(errors.length, 1, "the outage is reported once");
    } finally {
      await watch.close();
    }
  });
});

Deno.test("watchFileFs() survives its folder being removed and created again", async () => {
  await withDir(async (root) => {
    const dir = `${root}/cfg`;
    await Deno.mkdir(dir);
    const path = `${dir}/openclaw.json`;
    let calls = 0;
    const watch = watchFileFs({ retryMs: 30 })(path, () => calls++);
    try {
      await new Promise((r) => setTimeout(r, 30));
      await Deno.remove(dir, { recursive: true });
      await grew(() => calls, 0, "the removal");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(path, "{}");
      await waitUntil(async () => {
        const before = calls;
        await Deno.writeTextFile(path, `{ n: ${before} }`);
        await new Promise((r) => setTimeout(r, 40));
        return calls > before || undefined;
      }, "events from the recreated folder");
    } finally {
      await watch.close();
    }
  });
});
