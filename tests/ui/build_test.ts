/**
 * The committed `ui-dist/` is what a fresh clone (and the compiled binary)
 * serves: it must be the build of the current `src/ui/app/` sources.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(`${dir}/assets`)) names.push(`assets/${e.name}`);
  return names.sort();
}

Deno.test("ui-dist is the build of src/ui/app (run `deno task ui:build` and commit ui-dist/)", async () => {
  const out = await Deno.makeTempDir({ prefix: "ui-build-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--node-modules-dir=auto",
        "-A",
        "scripts/ui_build.ts",
        "--out",
        out,
      ],
      cwd: ROOT.pathname,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const res = await child.output();
    clearTimeout(timer);
    assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    assert.deepEqual(await listing(`${ROOT.pathname}ui-dist`), await listing(out));
    assert.equal(
      await Deno.readTextFile(`${ROOT.pathname}ui-dist/index.html`),
      await Deno.readTextFile(`${out}/index.html`),
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
