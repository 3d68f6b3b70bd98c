import assert from "node:assert/strict";
import { prepareCanvasRoot, serveCanvas } from "../../src/canvas/mod.ts";

async function fixture() {
  const base = await Deno.makeTempDir({ prefix: "openclaw-canvas-" });
  const root = `${base}/canvas`;
  await prepareCanvasRoot(root);
  await Deno.mkdir(`${root}/app`);
  await Deno.mkdir(`${root}/empty`);
  await Deno.writeTextFile(`${root}/app/index.html`, "<html><body><p>app</p></body></html>");
  await Deno.writeTextFile(`${root}/app/main.js`, "console.log(1)");
  await Deno.writeTextFile(`${base}/secret.txt`, "top secret");
  await Deno.symlink(`${base}/secret.txt`, `${root}/link.txt`);
  await Deno.symlink(base, `${root}/up`);
  return {
    root,
    get: (path: string, method = "GET") =>
      serveCanvas(new Request(`http://127.0.0.1${path}`, { method }), root),
    [Symbol.asyncDispose]: () => Deno.remove(base, { recursive: true }),
  };
}

Deno.test("serveCanvas() serves files, folder index.html with the bridge, and the demo page", async () => {
  await using fx = await fixture();
  const demo = (await fx.get("/__openclaw__/canvas/"))!;
  assert.equal(demo.status, 200);
  assert.equal(demo.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(demo.headers.get("cache-control"), "no-store");
  const html = await demo.text();
  assert.match(html, /OpenClaw Canvas/);
  assert.ok(html.indexOf("openclawCanvasA2UIAction") < html.lastIndexOf("</body>"));
  const app = await (await fx.get("/__openclaw__/canvas/app"))!.text();
  assert.match(app, /<p>app<\/p><script>/);
  assert.match(app, /__openclaw__\/ws/);
  const js = (await fx.get("/__openclaw__/canvas/app/main.js"))!;
  assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(await js.text(), "console.log(1)");
  const head = (await fx.get("/__openclaw__/canvas/app/main.js", "HEAD"))!;
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  assert.equal(await fx.get("/elsewhere"), undefined);
});

Deno.test("serveCanvas() refuses traversal, symlinks and other methods", async () => {
  await using fx = await fixture();
  for (
    const path of [
      "/__openclaw__/canvas/../secret.txt",
      "/__openclaw__/canvas/%2e%2e/secret.txt",
      "/__openclaw__/canvas/app/%2e%2e/%2e%2e/secret.txt",
      "/__openclaw__/canvas/link.txt",
      "/__openclaw__/canvas/up/secret.txt",
      "/__openclaw__/canvas/%00",
      "/__openclaw__/canvas/%E0%A4%A",
      "/__openclaw__/canvas/nope.html",
    ]
  ) {
    // A literal ".." is resolved by the URL parser to a path outside the prefix (not served).
    const res = await fx.get(path);
    if (!res) continue;
    const body = await res.text();
    assert.equal(res.status, 404, path);
    assert.ok(!body.includes("top secret"), path);
  }
  const missing = (await fx.get("/__openclaw__/canvas/empty/"))!;
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /Missing file\.\nCreate .*\/empty\/index\.html/);
  const post = (await fx.get("/__openclaw__/canvas/", "POST"))!;
  assert.equal(post.status, 405);
  await post.body?.cancel();
});
