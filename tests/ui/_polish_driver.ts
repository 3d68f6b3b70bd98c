/**
 * Browser half of the polish test (see `_page_kit.ts`). Arguments: the
 * gateway's HTTP base URL and its token. With the keyboard alone on a phone:
 * the page links sit in one sideways-scrolling row, Tab walks them in order
 * and keeps the focused one in view, Enter opens a page, each page's main
 * control is a few Tabs away with a visible focus ring, every input has a
 * label, Escape closes a confirm. Then every page in dark mode (screenshots),
 * the exec approval prompt taking focus, `/chat?session=third` shown under its
 * canonical key, and a device-less tab that reloads keeping one presence
 * instance id. Prints `{"instanceId": "..."}`; throws with the page's text on
 * any failed step.
 *
 * @module
 */

import type { Page } from "playwright-core";
import { launch, shoot, VIEWPORTS, withPageText } from "./_page_kit.ts";

const [base, token] = Deno.args;
const PAGES = ["Chat", "Overview", "Sessions", "Channels", "Nodes", "Config", "Logs"];
/** Each page's main control, reached by Tab from the page's own nav link. */
const MAIN_CONTROL: Record<string, [role: "textbox" | "button" | "checkbox", name: string]> = {
  Chat: ["textbox", "Message"],
  Overview: ["button", "Refresh"],
  Sessions: ["button", "Refresh"],
  Channels: ["button", "Refresh"],
  Nodes: ["button", "Refresh"],
  Config: ["textbox", "Config file"],
  Logs: ["checkbox", "trace"],
};

/** What has the focus: `role:name` of the active element. */
function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    const role = el.getAttribute("role") || el.tagName.toLowerCase();
    const name = el.getAttribute("aria-label") || el.labels?.[0]?.textContent || el.textContent;
    return role + ":" + (name || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  })()`);
}

/** Presses Tab until `want(focused)` holds; throws after `max` presses. */
async function tabTo(page: Page, want: (f: string) => boolean, max = 30): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    seen.push(f);
    if (want(f)) return seen;
  }
  throw new Error(`Tab never reached the target; focus went: ${seen.join(" | ")}`);
}

/** The focused element shows a focus ring (an outline that is drawn). */
async function assertRing(page: Page): Promise<void> {
  const ring = await page.evaluate(`(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle + " " + s.outlineWidth;
  })()`) as string;
  if (ring.startsWith("none") || ring.endsWith(" 0px")) {
    throw new Error(`No visible focus ring on ${await focused(page)}: ${ring}`);
  }
}

/** Inputs, selects and textareas on screen without an accessible label. */
function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll("input, select, textarea")]
    .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") ||
      el.getAttribute("aria-labelledby")))
    .map((el) => el.outerHTML.slice(0, 80))`);
}

/**
 * Polls `expr` (evaluated over CDP, which the page's CSP does not block, unlike
 * `waitForFunction` with a string) until it is true; throws after `ms`.
 */
async function waitTrue(page: Page, expr: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await page.evaluate(expr))) {
    if (Date.now() > until) throw new Error(`Not true after ${ms} ms: ${expr}`);
    await page.waitForTimeout(50);
  }
}

async function connected(page: Page): Promise<void> {
  await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
}

await using browser = await launch();
const context = await browser.newContext({ viewport: VIEWPORTS.phone });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
await page.goto(`${base}chat#token=${encodeURIComponent(token)}`);
await connected(page);
let instanceId = "";
await withPageText(page, async () => {
  // 1. Phone nav: one row of links under the brand, scrolling sideways.
  const nav = page.getByRole("navigation", { name: "Pages" });
  const links = nav.getByRole("link");
  const tops = new Set<number>();
  for (const box of await Promise.all((await links.all()).map((l) => l.boundingBox()))) {
    tops.add(Math.round(box!.y));
  }
  const header = (await page.locator("header.top").boundingBox())!;
  if (tops.size !== 1 || header.height > 100) {
    throw new Error(`Phone nav wraps: link rows at ${[...tops]}, header ${header.height} px`);
  }
  // ... and at 390 px all seven links fit without scrolling.
  const [scrollW, clientW] = await nav.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  if (scrollW > clientW) throw new Error(`Phone nav overflows: ${scrollW} > ${clientW} px`);

  // 2. Keyboard: Tab walks the links in order; the focused one is in view; Enter opens it.
  await page.locator("body").focus();
  const walk = await tabTo(page, (f) => f === "a:Logs");
  const order = walk.filter((f) => f.startsWith("a:")).map((f) => f.slice(2));
  if (order.join() !== PAGES.join()) throw new Error(`Nav order by Tab: ${order}`);
  const navBox = (await nav.boundingBox())!;
  const logsBox = (await links.filter({ hasText: "Logs" }).boundingBox())!;
  if (logsBox.x < navBox.x - 1 || logsBox.x + logsBox.width > navBox.x + navBox.width + 1) {
    throw new Error(`Focused link out of view: ${JSON.stringify({ navBox, logsBox })}`);
  }
  await assertRing(page);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Logs", level: 1 }).waitFor();
  if (!page.url().endsWith("/logs")) throw new Error(`Enter on Logs went to ${page.url()}`);
  await shoot(page, "polish-nav");

  // 3. Each page: its main control a few Tabs from its nav link, every input labelled.
  for (const name of PAGES) {
    const link = links.filter({ hasText: name });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.locator(`a[aria-current="page"]`).filter({ hasText: name }).waitFor();
    const [role, label] = MAIN_CONTROL[name];
    const target = page.getByRole(role, { name: label, exact: true }).first();
    await target.waitFor();
    await link.focus();
    for (
      let i = 0;
      i < 40 && !(await target.evaluate((el) => el.matches(":focus")));
      i++
    ) {
      await page.keyboard.press("Tab");
    }
    if (!(await target.evaluate((el) => el.matches(":focus")))) {
      throw new Error(`${name}: Tab never reached ${role} "${label}"`);
    }
    await assertRing(page);
    const bare = await unlabelled(page);
    if (bare.length) throw new Error(`${name}: inputs without a label: ${bare.join(" ")}`);
  }

  // 4. Escape closes a confirm and gives the focus back to its button.
  await links.filter({ hasText: "Nodes" }).click();
  const remove = page.getByRole("button", { name: "Remove", exact: true }).first();
  await remove.focus();
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("group", { name: /remove/i });
  await confirm.waitFor();
  if (!(await focused(page)).startsWith("button:Remove")) {
    throw new Error(`Confirm did not take the focus: ${await focused(page)}`);
  }
  await page.keyboard.press("Escape");
  await confirm.waitFor({ state: "detached" });
  if (!(await focused(page)).startsWith("button:Remove")) {
    throw new Error(`Escape left the focus on ${await focused(page)}`);
  }

  // 5. Dark mode: every page on the dark tokens, desktop and phone shots.
  await page.emulateMedia({ colorScheme: "dark" });
  for (const name of PAGES) {
    await links.filter({ hasText: name }).click();
    await page.locator(`a[aria-current="page"]`).filter({ hasText: name }).waitFor();
    await page.waitForTimeout(300);
    const bg = await page.evaluate(`getComputedStyle(document.body).backgroundColor`);
    if (bg !== "rgb(20, 20, 23)") throw new Error(`${name} is not dark: ${bg}`);
    await shoot(page, `polish-${name.toLowerCase()}-dark`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(VIEWPORTS.desktop);

  // 6. The exec approval prompt takes the focus; answering gives it back to the message box.
  await links.filter({ hasText: "Chat" }).click();
  const input = page.getByLabel("Message");
  await input.fill('TOOLTEST:exec:{"command":"echo polish-run"}');
  await input.press("Enter");
  const prompt = page.getByRole("alertdialog", { name: "Exec approval" });
  await prompt.waitFor();
  await waitTrue(page, `document.activeElement?.getAttribute("role") === "alertdialog"`);
  await page.keyboard.press("Tab");
  if ((await focused(page)) !== "button:Allow once") {
    throw new Error(`Tab from the prompt went to ${await focused(page)}`);
  }
  await page.keyboard.press("Enter");
  await prompt.waitFor({ state: "detached" });
  await waitTrue(page, `document.activeElement?.getAttribute("aria-label") === "Message"`);
  await page.locator('.msg[data-done="final"]').filter({ hasText: "Tool done:" }).last().waitFor();

  // 7. `/chat?session=third`: listed once, under the gateway's canonical key.
  await page.goto(`${base}chat?session=third`);
  await connected(page);
  const picker = page.getByLabel("Session");
  await waitTrue(page, `document.querySelector("#chat-session")?.value === "agent:main:third"`);
  await input.fill("hello third");
  await input.press("Enter");
  await page.locator('.msg[data-done="final"]').last().waitFor();
  await page.reload();
  await connected(page);
  await picker.locator('option[value="agent:main:third"]').waitFor({ state: "attached" });
  const options = await picker.locator("option").allTextContents();
  if (options.includes("third") || options.filter((o) => o === "agent:main:third").length !== 1) {
    throw new Error(`Session picker lists ${options}`);
  }
  if (new URL(page.url()).searchParams.get("session") !== "agent:main:third") {
    throw new Error(`Address not canonical: ${page.url()}`);
  }
});

// 8. A device-less tab (no Ed25519): reloads keep its one presence instance id.
const plain = await browser.newContext();
await plain.addInitScript(() => {
  const subtle = globalThis.crypto.subtle;
  const generateKey = subtle.generateKey.bind(subtle);
  subtle.generateKey = ((alg: { name?: string }, ...rest: unknown[]) =>
    alg?.name === "Ed25519"
      ? Promise.reject(new DOMException("Unrecognized name", "NotSupportedError"))
      : (generateKey as (...a: unknown[]) => Promise<unknown>)(alg, ...rest)) as never;
});
const tab = await plain.newPage();
tab.setDefaultTimeout(30_000);
await withPageText(tab, async () => {
  await tab.goto(`${base}overview#token=${encodeURIComponent(token)}`);
  await connected(tab);
  instanceId = await tab.evaluate(() => sessionStorage.getItem("openclaw.control.instance.v1")) ??
    "";
  for (let i = 0; i < 2; i++) {
    await tab.reload();
    await connected(tab);
  }
  const after = await tab.evaluate(() => sessionStorage.getItem("openclaw.control.instance.v1"));
  if (!instanceId || after !== instanceId) {
    throw new Error(`Instance id not stable per tab: ${instanceId} then ${after}`);
  }
});
console.log(JSON.stringify({ instanceId }));
