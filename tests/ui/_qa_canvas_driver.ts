/**
 * Browser half of `qa_canvas_test.ts`. Arguments: the gateway's HTTP base
 * URL, its token. Signs in to the control UI (which stores its device
 * identity and token in localStorage), then opens a canvas page in the same
 * tab. Prints `{"stored": [...keys], "canvas": "<what the page saw>"}`.
 *
 * @module
 */

import { launch, signedIn, withPageText } from "./_page_kit.ts";

const [base, token] = Deno.args;
await using browser = await launch();
const page = await signedIn(browser, base, token);
const stored = await withPageText(page, async () => {
  // The device token arrives with hello-ok; wait until the UI has kept it.
  await page.waitForFunction(() =>
    Object.keys(localStorage).some((k) => k.startsWith("openclaw.device.auth"))
  );
  return await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith("openclaw"))
  );
});
// The same tab goes on to the canvas page: same profile, same address.
await page.goto(`${base}__openclaw__/canvas/probe.html`);
const seen = page.locator("#out").filter({ hasText: /socket/ });
await seen.waitFor();
console.log(JSON.stringify({ stored, canvas: await seen.innerText() }));
