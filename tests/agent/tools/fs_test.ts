import assert from "node:assert/strict";
import { createEditTool } from "../../../src/agent/tools/edit.ts";
import { createLsTool } from "../../../src/agent/tools/ls.ts";
import { createReadTool } from "../../../src/agent/tools/read.ts";
import { createWriteTool } from "../../../src/agent/tools/write.ts";
import { tempWorkspace, testContext, text } from "./_ctx.ts";

const on = { workspaceOnly: true };

Deno.test("read() returns the first lines with the spec's continuation suffix", async () => {
  const ws = await tempWorkspace();
  try {
    const lines = Array.from({ length: 44 }, (_, i) => `line ${i + 1}`);
    await Deno.writeTextFile(`${ws.dir}/SOUL.md`, lines.join("\n"));
    const read = createReadTool(on);
    const r = await read.execute({ path: "SOUL.md", limit: 5 }, testContext(ws.dir));
    assert.equal(r.isError, undefined);
    assert.equal(
      text(r),
      "line 1\nline 2\nline 3\nline 4\nline 5\n\n[39 more lines in file. Use offset=6 to continue.]",
    );
    assert.equal(read.title?.({ path: "SOUL.md", limit: 5 }), "Read first 5 lines of SOUL.md");
    const r2 = await read.execute({ path: "SOUL.md", offset: 43 }, testContext(ws.dir));
    assert.equal(text(r2), "line 43\nline 44");
    const r3 = await read.execute({ path: "SOUL.md", offset: 99 }, testContext(ws.dir));
    assert.equal(r3.isError, true);
    assert.match(text(r3), /Offset 99 is beyond the end of SOUL\.md \(44 lines\)/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("read() caps output at 2000 lines and at 50 KB", async () => {
  const ws = await tempWorkspace();
  try {
    await Deno.writeTextFile(
      `${ws.dir}/many.txt`,
      Array.from({ length: 2500 }, (_, i) => `${i + 1}`).join("\n"),
    );
    const read = createReadTool(on);
    const r = await read.execute({ path: "many.txt" }, testContext(ws.dir));
    const t = text(r);
    assert.ok(t.startsWith("1\n2\n"));
    assert.ok(t.includes("\n2000\n\n[500 more lines in file. Use offset=2001 to continue.]"));
    assert.ok(!t.includes("\n2001\n"));

    const wide = "x".repeat(999);
    await Deno.writeTextFile(`${ws.dir}/wide.txt`, Array(200).fill(wide).join("\n"));
    const r2 = await read.execute({ path: "wide.txt" }, testContext(ws.dir));
    const kept = text(r2).split("\n\n[")[0].split("\n").length;
    assert.equal(kept, 51); // 51 * 1000 bytes fits in 51200, 52 does not
    assert.match(text(r2), /\[149 more lines in file\. Use offset=52 to continue\.\]$/);
    assert.equal((r2.details?.truncation as { truncatedBy: string }).truncatedBy, "bytes");

    await Deno.writeTextFile(`${ws.dir}/oneline.txt`, "y".repeat(300_000));
    const r3 = await read.execute({ path: "oneline.txt" }, testContext(ws.dir));
    assert.match(text(r3), /Line 1 of oneline\.txt is \d+ bytes, over the 51200-byte limit/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("read() attaches images and names missing files", async () => {
  const ws = await tempWorkspace();
  try {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await Deno.writeFile(`${ws.dir}/a.png`, png);
    const read = createReadTool(on);
    const r = await read.execute({ path: "a.png" }, testContext(ws.dir));
    const img = r.content.find((p) => p.type === "image");
    assert.ok(img && img.type === "image");
    assert.equal(img.mimeType, "image/png");
    assert.equal(atob(img.data).length, png.length);
    const miss = await read.execute({ path: "nope.md" }, testContext(ws.dir));
    assert.equal(miss.isError, true);
    assert.match(text(miss), /File not found: nope\.md/);
    // A FIFO would block forever: refused before it is opened.
    await new Deno.Command("mkfifo", { args: [`${ws.dir}/pipe`] }).output();
    const fifo = await read.execute({ path: "pipe" }, testContext(ws.dir));
    assert.match(text(fifo), /pipe is not a regular file/);
    const wfifo = await createWriteTool(on).execute(
      { path: "pipe", content: "x" },
      testContext(ws.dir),
    );
    assert.match(text(wfifo), /pipe is not a regular file/);
    const bad = await read.execute({}, testContext(ws.dir));
    assert.match(text(bad), /Missing or non-string argument "path"/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("file tools refuse .. and absolute paths outside the workspace", async () => {
  const ws = await tempWorkspace();
  const outside = await Deno.realPath(await Deno.makeTempDir({ prefix: "openclaw-outside-" }));
  try {
    await Deno.writeTextFile(`${outside}/secret.txt`, "secret");
    const ctx = testContext(ws.dir);
    for (const path of ["../x.txt", `${outside}/secret.txt`, "a/../../x.txt"]) {
      const r = await createReadTool(on).execute({ path }, ctx);
      assert.equal(r.isError, true, path);
      assert.match(text(r), /outside the workspace/);
      assert.ok(!text(r).includes("secret\n"));
      const w = await createWriteTool(on).execute({ path, content: "pwned" }, ctx);
      assert.equal(w.isError, true, path);
    }
    assert.equal(await Deno.readTextFile(`${outside}/secret.txt`), "secret");
    // Off: the same absolute path works.
    const r = await createReadTool({ workspaceOnly: false }).execute(
      { path: `${outside}/secret.txt` },
      ctx,
    );
    assert.equal(text(r), "secret");
  } finally {
    await ws.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("file tools refuse symlink escapes (file, folder, and new files below a linked folder)", async () => {
  const ws = await tempWorkspace();
  const outside = await Deno.realPath(await Deno.makeTempDir({ prefix: "openclaw-outside-" }));
  try {
    await Deno.writeTextFile(`${outside}/secret.txt`, "secret");
    await Deno.symlink(`${outside}/secret.txt`, `${ws.dir}/link.txt`);
    await Deno.symlink(outside, `${ws.dir}/linkdir`);
    const ctx = testContext(ws.dir);
    const r = await createReadTool(on).execute({ path: "link.txt" }, ctx);
    assert.equal(r.isError, true);
    assert.match(text(r), /"link\.txt" resolves through a symlink outside the workspace/);
    const w = await createWriteTool(on).execute(
      { path: "linkdir/new/evil.txt", content: "x" },
      ctx,
    );
    assert.equal(w.isError, true);
    assert.equal(await Deno.stat(`${outside}/new`).then(() => true, () => false), false);
    const e = await createEditTool(on).execute(
      { path: "link.txt", edits: [{ oldText: "secret", newText: "pwned" }] },
      ctx,
    );
    assert.equal(e.isError, true);
    const l = await createLsTool(on).execute({ path: "linkdir" }, ctx);
    assert.equal(l.isError, true);
    assert.equal(await Deno.readTextFile(`${outside}/secret.txt`), "secret");
    // A link that stays inside is fine.
    await Deno.writeTextFile(`${ws.dir}/real.txt`, "inside");
    await Deno.symlink(`${ws.dir}/real.txt`, `${ws.dir}/ok.txt`);
    assert.equal(text(await createReadTool(on).execute({ path: "ok.txt" }, ctx)), "inside");
  } finally {
    await ws.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("write() refuses dangling symlinks whose target is outside the workspace", async () => {
  const ws = await tempWorkspace();
  const outside = await Deno.realPath(await Deno.makeTempDir({ prefix: "openclaw-outside-" }));
  try {
    await Deno.symlink(`${outside}/escaped.txt`, `${ws.dir}/notes.md`);
    await Deno.symlink(`${outside}/newdir`, `${ws.dir}/dlink`);
    await Deno.symlink("../../../../../../../../../../tmp/rel-escape.txt", `${ws.dir}/rel.md`);
    const ctx = testContext(ws.dir);
    const write = createWriteTool(on);
    for (const path of ["notes.md", "dlink/x.txt", "rel.md"]) {
      const r = await write.execute({ path, content: "written by agent" }, ctx);
      assert.equal(r.isError, true, path);
      assert.match(text(r), /resolves through a symlink outside the workspace/, path);
    }
    assert.equal(await Deno.stat(`${outside}/escaped.txt`).then(() => true, () => false), false);
    assert.equal(await Deno.stat(`${outside}/newdir`).then(() => true, () => false), false);
    // A dangling link that points inside creates its target inside.
    await Deno.symlink(`${ws.dir}/later.md`, `${ws.dir}/inside.md`);
    const ok = await write.execute({ path: "inside.md", content: "fine" }, ctx);
    assert.equal(ok.isError, undefined, text(ok));
    assert.equal(await Deno.readTextFile(`${ws.dir}/later.md`), "fine");
    await Deno.symlink(`${ws.dir}/loop-b`, `${ws.dir}/loop-a`);
    await Deno.symlink(`${ws.dir}/loop-a`, `${ws.dir}/loop-b`);
    const loop = await write.execute({ path: "loop-a", content: "x" }, ctx);
    assert.equal(loop.isError, true);
  } finally {
    await ws.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("write() replaces a file by rename and keeps its mode", async () => {
  const ws = await tempWorkspace();
  try {
    await Deno.writeTextFile(`${ws.dir}/run.sh`, "old", { mode: 0o750 });
    await Deno.chmod(`${ws.dir}/run.sh`, 0o750);
    const r = await createWriteTool(on).execute(
      { path: "run.sh", content: "new" },
      testContext(ws.dir),
    );
    assert.equal(r.isError, undefined, text(r));
    assert.equal(await Deno.readTextFile(`${ws.dir}/run.sh`), "new");
    assert.equal((await Deno.stat(`${ws.dir}/run.sh`)).mode! & 0o777, 0o750);
    const names = [];
    for await (const e of Deno.readDir(ws.dir)) names.push(e.name);
    assert.deepEqual(names, ["run.sh"], "no temp file left behind");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("write() creates parents and reports bytes", async () => {
  const ws = await tempWorkspace();
  try {
    const r = await createWriteTool(on).execute(
      { path: "a/b/c.txt", content: "héllo" },
      testContext(ws.dir),
    );
    assert.equal(r.isError, undefined);
    assert.equal(text(r), "Successfully wrote 6 bytes to a/b/c.txt");
    assert.equal(await Deno.readTextFile(`${ws.dir}/a/b/c.txt`), "héllo");
    const big = await createWriteTool({ workspaceOnly: true, maxBytes: 10 }).execute(
      { path: "big.txt", content: "x".repeat(11) },
      testContext(ws.dir),
    );
    assert.match(text(big), /11 bytes, over the 10-byte limit/);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("edit() replaces unique matches and refuses missing, ambiguous or overlapping ones", async () => {
  const ws = await tempWorkspace();
  try {
    const path = `${ws.dir}/notes.txt`;
    await Deno.writeTextFile(path, "alpha\nbeta\ngamma\nbeta\n");
    const edit = createEditTool(on);
    const ctx = testContext(ws.dir);
    const amb = await edit.execute({
      path: "notes.txt",
      edits: [{ oldText: "beta", newText: "B" }],
    }, ctx);
    assert.equal(amb.isError, true);
    assert.equal(
      text(amb),
      "Edit 1: oldText matches more than once in notes.txt: add surrounding lines so it is unique",
    );
    const miss = await edit.execute({
      path: "notes.txt",
      edits: [{ oldText: "delta", newText: "D" }],
    }, ctx);
    assert.match(text(miss), /Edit 1: oldText was not found in notes\.txt/);
    const overlap = await edit.execute({
      path: "notes.txt",
      edits: [{ oldText: "alpha\nbeta", newText: "x" }, { oldText: "beta\ngamma", newText: "y" }],
    }, ctx);
    assert.match(text(overlap), /Edits 1 and 2 overlap in notes\.txt/);
    assert.equal(
      await Deno.readTextFile(path),
      "alpha\nbeta\ngamma\nbeta\n",
      "nothing written on error",
    );
    const ok = await edit.execute({
      path: "notes.txt",
      edits: [{ oldText: "alpha", newText: "A" }, { oldText: "gamma\nbeta", newText: "G\nB" }],
    }, ctx);
    assert.equal(ok.isError, undefined);
    assert.equal(text(ok), "Successfully replaced 2 block(s) in notes.txt.");
    assert.equal(ok.details!.firstChangedLine, 1);
    assert.equal(await Deno.readTextFile(path), "A\nbeta\nG\nB\n");
    // CRLF files match LF oldText and stay CRLF.
    await Deno.writeTextFile(`${ws.dir}/win.txt`, "one\r\ntwo\r\n");
    await edit.execute({ path: "win.txt", edits: [{ oldText: "one\ntwo", newText: "1\n2" }] }, ctx);
    assert.equal(await Deno.readTextFile(`${ws.dir}/win.txt`), "1\r\n2\r\n");
  } finally {
    await ws.cleanup();
  }
});

Deno.test("ls() lists in binary order with / on folders and pages with after", async () => {
  const ws = await tempWorkspace();
  try {
    for (const f of ["b.txt", "A.txt", ".hidden", "a.txt"]) {
      await Deno.writeTextFile(`${ws.dir}/${f}`, "");
    }
    await Deno.mkdir(`${ws.dir}/dir`);
    const ls = createLsTool(on);
    const ctx = testContext(ws.dir);
    const r = await ls.execute({}, ctx);
    assert.equal(text(r), '".hidden"\n"A.txt"\n"a.txt"\n"b.txt"\n"dir"/');
    const p1 = await ls.execute({ limit: 2 }, ctx);
    assert.equal(
      text(p1),
      '".hidden"\n"A.txt"\n\n[3 more entries. Use after="A.txt" to continue.]',
    );
    const p2 = await ls.execute({ after: "A.txt", limit: 2 }, ctx);
    assert.ok(text(p2).startsWith('"a.txt"\n"b.txt"'));
    const notDir = await ls.execute({ path: "a.txt" }, ctx);
    assert.match(text(notDir), /a\.txt is not a directory/);
  } finally {
    await ws.cleanup();
  }
});
