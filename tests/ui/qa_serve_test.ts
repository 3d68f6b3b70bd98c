import assert from "node:assert/strict";
import { type ControlUiSettings, createControlUi } from "../../src/ui/mod.ts";

/** A UI folder with an index.html like the built one. */
async function uiDir(): Promise<{ dir: URL; path: string }> {
  const path = await Deno.makeTempDir({ prefix: "qa-ui-" });
  await Deno.mkdir(`${path}/assets`);
  await Deno.writeTextFile(
    `${path}/index.html`,
    '<html data-base-path="/"><script type="module" src="./assets/app.js"></script></html>',
  );
  return { dir: new URL(`file://${path}/`), path };
}

function get(path: string): Request {
  return new Request(`http://127.0.0.1${path}`, { headers: { accept: "text/html" } });
}

Deno.test("createControlUi() remembers no misses: asked-for names cannot fill its cache", async () => {
  const { dir, path } = await uiDir();
  try {
    const settings: ControlUiSettings = { enabled: true, basePath: "/" };
    const ui = createControlUi(() => settings, dir);
    assert.equal(await ui(get("/assets/late.js")), undefined);
    for (let i = 0; i < 300; i++) {
      assert.equal(await ui(get(`/assets/nope-${i}.js`)), undefined);
    }
    // A build that lands after a miss is served.
    await Deno.writeTextFile(`${path}/assets/late.js`, "export {};");
    const res = await ui(get("/assets/late.js"));
    assert.equal(res?.status, 200);
    assert.equal(await res?.text(), "export {};");
  } finally {
    await Deno.remove(path, { recursive: true });
  }
});

Deno.test("createControlUi() writes the base path into index.html escaped", async () => {
  const { dir, path } = await uiDir();
  try {
    const settings: ControlUiSettings = { enabled: true, basePath: "/a&quot;b/" };
    const ui = createControlUi(() => settings, dir);
    const res = await ui(get("/a&quot;b/sessions"));
    assert.equal(res?.status, 200);
    const html = await res!.text();
    assert.match(html, /data-base-path="\/a&#38;quot;b\/"/);
    assert.match(html, /src="\/a&#38;quot;b\/assets\/app\.js"/);
  } finally {
    await Deno.remove(path, { recursive: true });
  }
});
