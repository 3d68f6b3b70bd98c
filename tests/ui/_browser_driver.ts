/**
 * Browser half of the chat test (see `_page_kit.ts`). Arguments: the
 * gateway's HTTP base URL and token. Prints `{"usableMs": n}` on success;
 * throws (exit code 1) with the page's text on any failed step.
 *
 * @module
 */

import { launch, shoot, withPageText } from "./_page_kit.ts";

const [base, token] = Deno.args;
await using browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(30_000);
await withPageText(page, async () => {
  const t0 = performance.now();
  await page.goto(`${base}#token=${token}`);
  await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  await page.getByLabel("Message").waitFor();
  const usableMs = Math.round(performance.now() - t0);
  if (page.url().includes("token=")) throw new Error(`Token not stripped from ${page.url()}`);
  const stored = await page.evaluate(() => JSON.stringify(Object.keys(sessionStorage)));
  if (!stored.includes("openclaw.control.token.v1:")) {
    throw new Error(`Token not in sessionStorage: ${stored}`);
  }

  await page.getByLabel("Message").fill("hello there");
  await page.getByLabel("Message").press("Enter");
  // A partial reply is visible before the run ends (streamed deltas).
  await page.locator('.msg[data-role="assistant"]:not([data-done])')
    .filter({ hasText: "Hi from" }).waitFor();
  await page.locator('.msg[data-done="final"]').filter({ hasText: "Hi from the stub" }).waitFor();
  await shoot(page, "chat");

  await page.getByLabel("Message").fill("SLOW please");
  await page.getByLabel("Message").press("Enter");
  await page.locator('.msg[data-role="assistant"]:not([data-done])')
    .filter({ hasText: "tick" }).waitFor();
  await page.getByRole("button", { name: "Abort" }).click();
  await page.locator('.msg[data-done="aborted"]').waitFor();

  // Logs page follows logs.tail; the address is a real path (back works).
  await page.getByRole("link", { name: "Logs" }).click();
  await page.getByText(/^Following /).waitFor();
  if (!new URL(page.url()).pathname.endsWith("/logs")) throw new Error(`URL ${page.url()}`);
  await shoot(page, "logs");
  await page.goBack();
  await page.getByLabel("Message").waitFor();

  // A wrong token: a clear message and the sign-in form, nothing stored.
  const other = await browser.newPage();
  other.setDefaultTimeout(30_000);
  await other.goto(`${base}#token=wrong-token`);
  await other.getByRole("alert").filter({ hasText: "Sign-in failed" }).waitFor();
  await other.getByLabel("Gateway token").waitFor();
  await shoot(other, "sign-in");
  console.log(JSON.stringify({ usableMs }));
});
