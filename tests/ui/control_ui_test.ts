/**
 * The control UI end to end: HTTP serving (headers, caching, SPA fallback,
 * off switch) and, in a real headless Chromium driven by playwright-core,
 * sign-in from the URL token, a streamed chat reply, and aborting a slow one.
 */

import assert from "node:assert/strict";
import { startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { controlUiSettings } from "../../src/ui/mod.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_browser_driver.ts", import.meta.url);

Deno.test("control UI: served with strict headers, hashed assets immutable, SPA fallback", async () => {
  await using gw = await startTestGateway();
  const base = httpUrl(gw.url);
  const page = await fetch(base, { headers: { accept: "text/html" } });
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("x-frame-options"), "DENY");
  assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
  assert.equal(page.headers.get("cache-control"), "no-cache");
  const js = html.match(/assets\/app-[0-9a-f]{10}\.js/)?.[0];
  assert(js, "index.html references a hashed app bundle");
  const asset = await fetch(base + js, { headers: { "accept-encoding": "gzip" } });
  await asset.arrayBuffer();
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
  assert.match(asset.headers.get("content-type") ?? "", /javascript/);
  const deep = await fetch(base + "chat/some/route", { headers: { accept: "text/html" } });
  assert.equal(await deep.text(), html);
  // File names and the gateway's reserved paths are not page routes: no fallback.
  for (const path of ["secret.txt", "__openclaw__/nothing"]) {
    const res = await fetch(base + path, { headers: { accept: "text/html" } });
    await res.body?.cancel();
    assert.equal(res.status, 404, path);
  }
  const missing = await fetch(base + "assets/nope-0000000000.js");
  await missing.body?.cancel();
  assert.equal(missing.status, 404);
  const health = await fetch(base + "health");
  assert.equal((await health.json()).ok, true);
});

Deno.test("control UI: gateway.controlUi.enabled=false turns it off; basePath moves it", async () => {
  assert.equal(controlUiSettings({ basePath: "ui" }).basePath, "/ui/");
  {
    await using gw = await startTestGateway({
      config: {
        gateway: { mode: "local", auth: { token: TEST_TOKEN }, controlUi: { enabled: false } },
      },
    });
    const res = await fetch(httpUrl(gw.url), { headers: { accept: "text/html" } });
    await res.body?.cancel();
    assert.equal(res.status, 404);
  }
  {
    await using gw = await startTestGateway({
      config: {
        gateway: { mode: "local", auth: { token: TEST_TOKEN }, controlUi: { basePath: "/ui" } },
      },
    });
    // A deep route under the base path loads assets from the base path, not relative to itself.
    const html = await (await fetch(httpUrl(gw.url) + "ui/sessions/x", {
      headers: { accept: "text/html" },
    })).text();
    assert.match(html, /data-base-path="\/ui\/"/);
    const js = html.match(/"(\/ui\/assets\/app-[0-9a-f]{10}\.js)"/)?.[1];
    assert(js, html);
    const asset = await fetch(httpUrl(gw.url) + js.slice(1));
    await asset.body?.cancel();
    assert.equal(asset.status, 200);
    const root = await fetch(httpUrl(gw.url), { headers: { accept: "text/html" } });
    await root.body?.cancel();
    assert.equal(root.status, 404);
  }
});

Deno.test({
  name:
    "control UI in Chromium: URL token sign-in, streamed reply, abort a slow reply, logs page, wrong token",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fx = await startAgentGateway({
      respond: (text) =>
        text.includes("hello")
          ? { text: ["Hi ", "from ", "the ", "stub"], delayMs: 400 }
          : undefined,
    });
    const result = await runDriver(DRIVER, [httpUrl(fx.gw.url), TEST_TOKEN]);
    console.log(`navigation to chat usable: ${result.usableMs} ms`);
  },
});
