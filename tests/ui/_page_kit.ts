/**
 * Driver side of the control UI browser tests (runs under `deno run -A`):
 * launches Debian's headless Chromium through playwright-core, signs in with
 * the token in the URL, and takes desktop and phone screenshots.
 *
 * @module
 */

import { type Browser, chromium, type Page } from "playwright-core";

/** Desktop and phone viewports for screenshots. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** Launches the browser; close it with `await using`. */
export async function launch(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("OPENCLAW_CHROMIUM") ?? "/usr/bin/chromium-headless-shell",
    args: ["--no-sandbox"],
    timeout: 30_000,
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

/** Opens `base + path` with `#token=`, waits until connected; 30 s per step. */
export async function signedIn(
  browser: Browser,
  base: string,
  token: string,
  path = "",
): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
  page.setDefaultTimeout(30_000);
  await page.goto(`${base}${path}#token=${encodeURIComponent(token)}`);
  await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  return page;
}

/** Screenshots `page` at desktop and phone size as `<name>-desktop.png` / `-phone.png`. */
export async function shoot(page: Page, name: string): Promise<void> {
  const dir = Deno.env.get("OPENCLAW_UI_SHOTS");
  if (!dir) return;
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${dir}/${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

/** Runs `steps`; on failure prints the page's text before rethrowing. */
export async function withPageText<T>(page: Page, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (err) {
    console.log(await page.locator("body").innerText().catch(() => "(no page text)"));
    throw err;
  }
}
