/**
 * Browser half of the control UI test, run as `deno run -A` (playwright-core
 * needs more than the test run's permissions). Arguments: the gateway's HTTP
 * base URL, its token, the Chromium path. Prints `{"usableMs": n}` on success;
 * throws (exit code 1) with the page's text on any failed step.
 *
 * @module
 */

import { chromium } from "playwright-core";

const [base, token, executablePath] = Deno.args;
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"], timeout: 30_000 });
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  try {
    const t0 = performance.now();
    await page.goto(`${base}#token=${token}`);
    await page.getByTestId("conn").filter({ hasText: "connected" }).waitFor();
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

    await page.getByLabel("Message").fill("SLOW please");
    await page.getByLabel("Message").press("Enter");
    const abort = page.getByRole("button", { name: "Abort" });
    await page.locator('.msg[data-role="assistant"]:not([data-done])')
      .filter({ hasText: "tick" }).waitFor();
    await abort.click();
    await page.locator('.msg[data-done="aborted"]').waitFor();

    // Logs page follows logs.tail.
    await page.getByRole("link", { name: "logs" }).click();
    await page.getByText(/^Following /).waitFor();

    // A wrong token: a clear message and the sign-in form, nothing stored.
    const other = await browser.newPage();
    other.setDefaultTimeout(30_000);
    await other.goto(`${base}#token=wrong-token`);
    await other.getByRole("alert").filter({ hasText: "Sign-in failed" }).waitFor();
    await other.getByLabel("Gateway token").waitFor();
    console.log(JSON.stringify({ usableMs }));
  } catch (err) {
    console.log(await page.locator("body").innerText().catch(() => "(no page text)"));
    throw err;
  }
} finally {
  await browser.close();
}
