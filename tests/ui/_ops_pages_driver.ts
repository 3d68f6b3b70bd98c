/**
 * Browser half of the ops pages test (see `_page_kit.ts`). Arguments: the
 * gateway's HTTP base URL, its token and the gateway's log file. Checks the
 * Overview cards and presence table, the browser's device identity (stored
 * key, device token, a later visit signed in by the device token alone) and
 * the Logs page's level filter, follow toggle and export. Prints
 * `{"deviceId": "..."}`; throws with the page's text on any failed step.
 *
 * @module
 */

import type { Page } from "playwright-core";
import { launch, shoot, VIEWPORTS, withPageText } from "./_page_kit.ts";

const [base, token, logFile] = Deno.args;
const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];

async function appendLog(tag: string, n = 1): Promise<void> {
  const lines = [];
  for (let i = 0; i < n; i++) {
    for (const level of LEVELS) {
      const time = new Date().toISOString();
      lines.push(JSON.stringify({ time, level, subsystem: "test", msg: `${tag}-${level}-${i}` }));
    }
  }
  await Deno.writeTextFile(logFile, lines.join("\n") + "\n", { append: true });
}

async function expectText(page: Page, testId: string, re: RegExp): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: re }).waitFor();
}

await using browser = await launch();
// One profile for every tab (localStorage is shared, sessionStorage is not).
const context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
await page.goto(`${base}overview#token=${encodeURIComponent(token)}`);
await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
await withPageText(page, async () => {
  // Overview: cards with the gateway's facts, the presence table with this browser.
  const gatewayCard = page.getByRole("region", { name: "Gateway" });
  await gatewayCard.getByText("0.1.0", { exact: true }).waitFor();
  await gatewayCard.getByText(/^loopback \(127\.0\.0\.1:\d+\)$/).waitFor();
  await gatewayCard.getByText("token", { exact: true }).waitFor();
  await page.getByRole("region", { name: "Model" }).getByText("stub/stub-model").waitFor();
  await page.getByRole("region", { name: "Health" }).getByText("valid", { exact: true })
    .waitFor();
  const rows = page.getByRole("region", { name: "Connected clients" }).getByRole("row");
  await rows.filter({ hasText: "openclaw-control-ui" }).filter({ hasText: "webchat" }).first()
    .waitFor();
  await page.getByText("Raw snapshots").waitFor();

  // Refreshed every 5 s while shown: the uptime moves on without any action.
  const uptime = gatewayCard.locator("dt:text-is('Uptime') + dd");
  const firstUptime = await uptime.innerText();
  await uptime.filter({ hasNotText: firstUptime }).waitFor({ timeout: 8_000 });
  // A presence change refreshes at once: with the timer pushed out to 10 min,
  // another browser (another device) still appears in the table.
  const rowsBefore = await rows.count();
  await page.evaluate(
    "(() => { const el = document.querySelector('oc-overview'); el.refreshMs = 600000; return el.load(); })()",
  );
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  other.setDefaultTimeout(30_000);
  await other.goto(`${base}overview#token=${encodeURIComponent(token)}`);
  await other.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  await rows.nth(rowsBefore).waitFor({ timeout: 10_000 });
  await otherCtx.close();

  // Device identity: a key pair in localStorage and a device token from hello-ok.
  const stored = await page.evaluate(() => ({
    identity: JSON.parse(localStorage.getItem("openclaw-device-identity-v1") ?? "null"),
    auth: Object.keys(localStorage).find((k) => k.startsWith("openclaw.device.auth.v1:")),
  }));
  const deviceId = stored.identity?.deviceId as string;
  if (!/^[0-9a-f]{64}$/.test(deviceId ?? "") || stored.identity.version !== 1) {
    throw new Error(`No device identity stored: ${JSON.stringify(stored)}`);
  }
  if (!stored.auth) throw new Error("No device token stored");
  await expectText(page, "this-device", new RegExp(`device ${deviceId.slice(0, 12)}`));

  // A second tab (same browser profile, no token in its URL or sessionStorage)
  // signs in with the device token.
  const tab = await context.newPage();
  tab.setDefaultTimeout(30_000);
  await tab.goto(`${base}overview`);
  await tab.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  await expectText(tab, "this-device", /signed in with its device token/);
  // A reload of the first tab keeps the same identity.
  await page.reload();
  await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  await expectText(page, "this-device", new RegExp(`device ${deviceId.slice(0, 12)}`));
  await shoot(page, "overview");
  await page.emulateMedia({ colorScheme: "dark" });
  await shoot(page, "overview-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Signing out forgets the device token and shows the sign-in form.
  const deviceToken = () =>
    page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("openclaw.device.auth.v1:"));
      return key ? JSON.parse(localStorage.getItem(key)!).tokens?.operator?.token : undefined;
    });
  const before = await deviceToken();
  await tab.getByRole("button", { name: "Sign out" }).click();
  // ...and revokes it on the gateway: the first tab's socket (same device) is
  // closed, it signs in again with its secret and stores a new device token.
  await page.waitForFunction(
    (old) => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("openclaw.device.auth.v1:"));
      const now = key ? JSON.parse(localStorage.getItem(key)!).tokens?.operator?.token : undefined;
      return now !== undefined && now !== old;
    },
    before,
    { timeout: 15_000 },
  );
  // The tab that signed out (it had no secret, only the device token) asks for one.
  await tab.getByLabel("Gateway token").waitFor();
  await tab.close();

  // Logs: every level shows; unticking levels hides them; export takes what shows.
  await appendLog("first");
  await page.getByRole("link", { name: "Logs" }).click();
  const log = page.getByTestId("log-lines");
  await log.filter({ hasText: "first-fatal-0" }).waitFor();
  await log.filter({ hasText: "first-trace-0" }).waitFor();
  for (const level of ["trace", "debug", "info"]) {
    await page.getByRole("checkbox", { name: level, exact: true }).uncheck();
  }
  const shown = await log.innerText();
  if (/first-(trace|debug|info)-0/.test(shown) || !/first-warn-0/.test(shown)) {
    throw new Error(`Level filter not applied:\n${shown}`);
  }
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export visible" }).click(),
  ]);
  const exported = await Deno.readTextFile(await download.path());
  if (!exported.includes("first-error-0") || exported.includes("first-info-0")) {
    throw new Error(`Export is not the visible lines:\n${exported}`);
  }
  await shoot(page, "logs");

  // Follow off: new lines arrive (polling goes on) but the view stays put.
  await page.getByRole("checkbox", { name: "Follow" }).uncheck();
  await log.evaluate((el) => (el.scrollTop = 0));
  await appendLog("second", 40);
  await log.filter({ hasText: "second-fatal-39" }).waitFor();
  if (await log.evaluate((el) => el.scrollTop) !== 0) throw new Error("Scrolled with follow off");
  await page.getByRole("checkbox", { name: "Follow" }).check();
  await appendLog("third");
  await log.filter({ hasText: "third-fatal-0" }).waitFor();
  await log.evaluate((el) =>
    new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const check = () => {
        if (el.scrollTop > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 2) resolve();
        else if (Date.now() - t0 > 10_000) reject(new Error(`Not following: ${el.scrollTop}`));
        else setTimeout(check, 50);
      };
      check();
    })
  );

  // A browser without Ed25519 in Web Crypto signs in device-less (no key stored).
  const plain = await browser.newContext();
  await plain.addInitScript(() => {
    const subtle = globalThis.crypto.subtle;
    const generateKey = subtle.generateKey.bind(subtle);
    subtle.generateKey = ((alg: { name?: string }, ...rest: unknown[]) =>
      alg?.name === "Ed25519"
        ? Promise.reject(new DOMException("Unrecognized name", "NotSupportedError"))
        : (generateKey as (...a: unknown[]) => Promise<unknown>)(alg, ...rest)) as never;
  });
  const legacy = await plain.newPage();
  legacy.setDefaultTimeout(30_000);
  await legacy.goto(`${base}overview#token=${encodeURIComponent(token)}`);
  await legacy.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  await expectText(legacy, "this-device", /no device identity/);
  const keys = await legacy.evaluate(() => Object.keys(localStorage).join(","));
  if (keys.includes("openclaw-device-identity-v1") || keys.includes("openclaw.device.auth")) {
    throw new Error(`Device-less browser stored identity keys: ${keys}`);
  }
  await plain.close();
  console.log(JSON.stringify({ deviceId }));
});
