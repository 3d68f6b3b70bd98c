/**
 * Browser half of `sessions_page_test.ts` (see `_page_kit.ts`). Arguments:
 * the gateway's HTTP base URL and token. Expects sessions `agent:main:main`
 * (one turn) and `agent:main:side` (two turns). Prints `{"listedMs": n}`.
 *
 * @module
 */

import { launch, shoot, signedIn, withPageText } from "./_page_kit.ts";

const [base, token] = Deno.args;
const MAIN = "agent:main:main";
const SIDE = "agent:main:side";

await using browser = await launch();
const page = await signedIn(browser, base, token, "sessions");
await withPageText(page, async () => {
  const t0 = performance.now();
  const table = page.getByRole("table", { name: "Sessions" });
  const row = (key: string) => table.locator(`tr[data-key="${key}"]`);
  await row(MAIN).waitFor();
  await row(SIDE).waitFor();
  const listedMs = Math.round(performance.now() - t0);
  // Tokens from the provider's usage: two turns on "side", one on "main".
  const tokens = await row(SIDE).locator('td[data-label="Tokens"]').innerText();
  if (!/^[1-9][\d.k]* in \/ [1-9][\d.k]* out \/ [1-9]/.test(tokens.trim())) {
    throw new Error(`Side session tokens: ${tokens}`);
  }
  for (const text of ["direct", "stub/stub-model (default)", "s ago"]) {
    await row(SIDE).getByText(text, { exact: false }).first().waitFor();
  }
  await shoot(page, "sessions");

  // The main session cannot be deleted: the confirm step, then the gateway's error.
  await page.getByRole("button", { name: `Delete ${MAIN}` }).click();
  await page.getByRole("group", { name: `Confirm delete of ${MAIN}` })
    .getByRole("button", { name: "Yes, delete" }).click();
  await page.getByRole("alert").filter({ hasText: "Cannot delete the main session" }).waitFor();
  await row(MAIN).waitFor();

  // Reset empties the side session's counters.
  await page.getByRole("button", { name: `Reset ${SIDE}` }).click();
  await page.getByRole("status").filter({ hasText: `Reset ${SIDE}` }).waitFor();
  await row(SIDE).locator('td[data-label="Tokens"]').filter({
    hasText: /^\s*0 in \/ 0 out \/ 0\s*$/,
  })
    .waitFor();

  // Delete asks first; Cancel keeps the row, then "Yes, delete" removes it.
  await page.getByRole("button", { name: `Delete ${SIDE}` }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  // Escape cancels too, and focus comes back to the row's Delete button.
  await row(SIDE).getByRole("button", { name: `Delete ${SIDE}` }).click();
  await page.keyboard.press("Escape");
  const back = row(SIDE).getByRole("button", { name: `Delete ${SIDE}` });
  await back.waitFor();
  if (!(await back.evaluate((el) => el === el.ownerDocument.activeElement))) {
    throw new Error("Escape did not return focus to Delete");
  }
  await page.keyboard.press("Enter");
  // Keyboard: the confirm button has focus; Enter deletes.
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: `Deleted ${SIDE}` }).waitFor();
  await row(SIDE).waitFor({ state: "detached" });

  // Another tab starts a session: this list shows it without a refresh (sessions.changed).
  const other = await signedIn(browser, base, token, "chat?session=third");
  await other.getByLabel("Message").fill("hello third");
  await other.getByLabel("Message").press("Enter");
  await other.locator('.msg[data-done="final"]').waitFor();
  await row("agent:main:third").waitFor();
  await other.close();

  // Open in chat: the chat page with that session selected and its history.
  await page.getByRole("link", { name: `Open ${MAIN} in chat` }).click();
  await page.getByLabel("Message").waitFor();
  const url = new URL(page.url());
  if (!url.pathname.endsWith("/chat") || url.searchParams.get("session") !== MAIN) {
    throw new Error(`Open in chat went to ${page.url()}`);
  }
  const picked = await page.getByLabel("Session").inputValue();
  if (picked !== MAIN) throw new Error(`Chat picked ${picked}`);
  await page.locator('.msg[data-role="assistant"]').first().waitFor();
  console.log(JSON.stringify({ listedMs }));
});
