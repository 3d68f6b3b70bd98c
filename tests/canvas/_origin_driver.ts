/**
 * Browser driver of `origin_test.ts` (runs under `deno run -A`): the Control
 * UI origin holds a secret in localStorage (as the UI holds the device key
 * and token); a canvas page served on the gateway port tries to read it,
 * then must still live-reload when its file changes.
 *
 * Args: the gateway's HTTP base URL, the canvas page path, the page file.
 * Prints one JSON line: `{ stolen, reloaded }`.
 *
 * @module
 */

import { launch } from "../ui/_page_kit.ts";

const [base, pagePath, pageFile] = Deno.args;
await using browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(30_000);
// The Control UI's origin keeps its secrets in localStorage.
await page.goto(base);
// Expressions as strings: they run in the page (this file has no DOM types).
await page.evaluate(`localStorage.setItem("openclaw-device-identity-v1", "SECRET-KEY")`);
// Agent-written canvas content on the same port.
await page.goto(base.replace(/\/$/, "") + pagePath);
await page.waitForFunction(`document.title.startsWith("read:")`);
const stolen = (await page.title()).slice("read:".length);
// The live-reload socket still works for the page: a write reloads it.
await new Promise((r) => setTimeout(r, 500));
const html = await Deno.readTextFile(pageFile);
await Deno.writeTextFile(pageFile, html.replace("<!--v1-->", "<!--v2-->"));
let reloaded = false;
try {
  await page.waitForFunction(`document.documentElement.innerHTML.includes("<!--v2-->")`, null, {
    timeout: 10_000,
  });
  reloaded = true;
} catch {
  reloaded = false;
}
console.log(JSON.stringify({ stolen, reloaded }));
