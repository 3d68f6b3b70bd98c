/**
 * Browser half of `channels_page_test.ts`. Arguments: the gateway's HTTP
 * base URL, its token, and the test's control URL (`_test_control.ts`).
 * Prints `{"qrWidth": n, "reply": "..."}` on success.
 *
 * @module
 */

import { launch, shoot, signedIn, withPageText } from "./_page_kit.ts";
import { callAction } from "./_test_control.ts";

const [base, token, ctl] = Deno.args;
await using browser = await launch();
const page = await signedIn(browser, base, token, "channels");
await withPageText(page, async () => {
  await page.getByRole("heading", { name: "Channels", level: 1 }).waitFor();
  const wa = page.locator('[data-account="whatsapp/default"]');
  await wa.locator(".badge").filter({ hasText: /^not linked$/ }).waitFor();

  // Link: the QR is a real decoded image, the phone scans it, the page says linked.
  await wa.getByRole("button", { name: "Link WhatsApp" }).click();
  const qr = page.getByRole("img", { name: "WhatsApp QR code" });
  await qr.waitFor();
  // (Browser-side code as strings: this file is type-checked without the DOM lib.)
  await page.waitForFunction(
    `(() => { const i = document.querySelector("img.qr"); return !!i && i.complete && i.naturalWidth > 100; })()`,
  );
  const qrWidth = await qr.evaluate((img) =>
    (img as unknown as { naturalWidth: number }).naturalWidth
  );
  await shoot(page, "channels-qr");
  await callAction(ctl, "scan");
  await page.getByTestId("channels-note").filter({ hasText: "Linked as +15550001111" }).waitFor();
  await wa.locator(".badge").filter({ hasText: /^connected$/ }).waitFor();
  await wa.getByText("+15550001111").waitFor();
  if (await qr.count() !== 0) throw new Error("The QR stayed on screen after linking");

  // Two unknown senders ask; the page lists both (it re-reads every 5 s).
  await callAction(ctl, "dm", { peer: "bob" });
  await callAction(ctl, "dm", { peer: "carol" });
  const requests = page.getByRole("list", { name: "DM access requests" });
  const bob = requests.getByRole("listitem").filter({ hasText: "+15553334444" });
  const carol = requests.getByRole("listitem").filter({ hasText: "+15556667777" });
  await bob.waitFor({ timeout: 15_000 });
  await carol.waitFor({ timeout: 15_000 });
  if (!(await bob.innerText()).includes("Bob")) throw new Error("The sender's name is not shown");
  await shoot(page, "channels");

  // Approve Bob: his row goes, and he can talk to the agent.
  await bob.getByRole("button", { name: "Approve" }).click();
  await bob.waitFor({ state: "detached" });
  await page.getByRole("status").filter({ hasText: "Approved Bob" }).waitFor();
  const reply = await callAction(ctl, "talk", { peer: "bob" });
  // The traffic shows on the account after a refresh.
  await page.getByRole("button", { name: "Refresh" }).click();
  await wa.locator("dt", { hasText: "Last in" }).locator("+ dd").filter({ hasText: /s ago$/ })
    .waitFor();

  // Dismiss Carol: her row goes too.
  await carol.getByRole("button", { name: "Dismiss" }).click();
  await carol.waitFor({ state: "detached" });
  await requests.waitFor({ state: "detached" });
  await page.getByText("No pending requests.").waitFor();

  // Log out asks first; Cancel keeps the link, confirming unlinks.
  await wa.getByRole("button", { name: "Log out" }).click();
  await wa.getByRole("group", { name: /Unlink WhatsApp account default/ }).waitFor();
  await wa.getByRole("button", { name: "Cancel" }).click();
  // The keyboard alone: Enter asks, focus moves to the confirm button, Enter confirms.
  await wa.getByRole("button", { name: "Log out" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(`document.activeElement?.classList.contains("danger")`);
  await page.keyboard.press("Enter");
  await wa.locator(".badge").filter({ hasText: /^not linked$/ }).waitFor();
  await wa.getByRole("button", { name: "Link WhatsApp" }).waitFor();
  console.log(JSON.stringify({ qrWidth, reply }));
});
