/**
 * Browser half of `config_page_test.ts` (see `_page_kit.ts`). Arguments: the
 * gateway's HTTP base URL, its token, the config file's path, and the hooks
 * secret written in it. Prints `{"checkMs": n}` (edit to verdict shown).
 *
 * @module
 */

import type { Page } from "playwright-core";
import { launch, shoot, signedIn, withPageText } from "./_page_kit.ts";

const [base, token, path, hooksToken] = Deno.args;

function fail(what: string): never {
  throw new Error(what);
}

async function sameBytes(before: Uint8Array, what: string) {
  const now = await Deno.readFile(path);
  if (now.length !== before.length || now.some((b, i) => b !== before[i])) {
    fail(`${what}: the config file changed on disk`);
  }
}

async function edit(page: Page, change: (text: string) => string) {
  const editor = page.getByLabel("Config file");
  await editor.fill(change(await editor.inputValue()));
}

await using browser = await launch();
const page = await signedIn(browser, base, token, "settings");
await withPageText(page, async () => {
  const editor = page.getByLabel("Config file");
  await page.getByRole("status").filter({ hasText: /^Editing / }).waitFor();
  const shown = await editor.inputValue();
  // Secrets are masked; comments and layout are the file's own.
  if (!shown.includes("__OPENCLAW_REDACTED__")) fail(`no mask in ${shown}`);
  if (!shown.includes("// hooks keep their own secret")) fail("comments lost");
  const html = await page.content();
  if (html.includes(hooksToken) || html.includes(token)) fail("a secret reached the page");
  const original = await Deno.readFile(path);

  // A schema error: shown with its line and key; Save writes nothing.
  await edit(page, (t) => t.replace('level: "info"', 'level: "loud"'));
  await page.getByRole("button", { name: "Save" }).click();
  const issues = page.getByTestId("config-issues");
  await issues.locator('li[data-key="logging.level"][data-line="10"]').waitFor();
  await issues.getByText("Line 10").waitFor();
  await shoot(page, "config-error");
  await sameBytes(original, "after a schema error");

  // A parse error: line and column; "Line 10, column 3" moves the caret there.
  await edit(
    page,
    (t) => t.replace('level: "loud"', 'level: "info"').replace(`" },\n  logging`, `" }\n  logging`),
  );
  await page.getByRole("button", { name: "Save" }).click();
  await issues.getByText(/not valid JSON5/).waitFor();
  await issues.getByRole("button", { name: /^Line 10, column \d+$/ }).click();
  if (!(await editor.evaluate((el) => el === el.ownerDocument.activeElement))) {
    fail("go to line did not focus the editor");
  }
  await sameBytes(original, "after a parse error");

  // A restart-needing key is announced as such before anything is saved.
  const t0 = performance.now();
  await edit(page, () => shown.replace("debounceMs: 50 }", "debounceMs: 50 },\n    port: 18999"));
  const changes = page.getByTestId("config-changes");
  await changes.locator('li[data-effect="restart"]').filter({ hasText: "gateway.port" }).waitFor();
  const checkMs = Math.round(performance.now() - t0);
  await changes.getByText(/Saving restarts the gateway/).waitFor();
  await sameBytes(original, "after a preview");

  // A valid live change: saved, the file changed (secrets and comments kept), "hot" shown.
  await edit(page, () => shown.replace('level: "info"', 'level: "debug"'));
  await changes.locator('li[data-effect="hot"]').filter({ hasText: "logging.level" }).waitFor();
  await page.getByRole("button", { name: "Save" }).click();
  const saved = page.getByTestId("config-saved");
  await saved.locator('li[data-effect="hot"]').filter({ hasText: "logging.level" }).waitFor();
  await saved.getByText("applied live").first().waitFor();
  const after = await Deno.readTextFile(path);
  if (!after.includes('level: "debug"')) fail(`not saved: ${after}`);
  if (!after.includes(hooksToken) || after.includes("__OPENCLAW_REDACTED__")) {
    fail(`secret not kept: ${after}`);
  }
  if (!after.includes("// hooks keep their own secret")) fail("comments lost on save");
  await shoot(page, "config");

  // Someone edits the file behind the page: the page's save is refused, clearly.
  const theirs = after.replace("debounceMs: 50", "debounceMs: 60");
  await Deno.writeTextFile(path, theirs);
  await edit(page, (t) => t.replace('level: "debug"', 'level: "warn"'));
  await page.getByRole("button", { name: "Save" }).click();
  const conflict = page.getByTestId("config-conflict");
  await conflict.getByText("Not saved: the file changed on disk").waitFor();
  if (await Deno.readTextFile(path) !== theirs) fail("the conflicting save overwrote the file");
  await shoot(page, "config-conflict");
  await conflict.getByRole("button", { name: /Reload the file/ }).click();
  await conflict.waitFor({ state: "detached" });
  if (!(await editor.inputValue()).includes("debounceMs: 60")) fail("reload did not load theirs");
  console.log(JSON.stringify({ checkMs }));
});
