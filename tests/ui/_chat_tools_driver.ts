/**
 * Browser half of the chat tools test (see `_page_kit.ts`). Arguments: the
 * gateway's HTTP base URL, its token and the agent's workspace folder. Runs an
 * exec tool call that waits for approval: the running tool card, the prompt
 * (command, directory, agent, session, expiry), approving and the output in
 * the card, the final reply; then a denied run; then `/new` and `/status`.
 * Prints `{"ok": true}`; throws with the page's text on any failed step.
 *
 * @module
 */

import { launch, shoot, signedIn, withPageText } from "./_page_kit.ts";

const [base, token, workspace] = Deno.args;
const marker = `${workspace}/ran-approved`;
await using browser = await launch();
const page = await signedIn(browser, base, token, "chat");
await withPageText(page, async () => {
  const input = page.getByLabel("Message");
  const send = async (text: string) => {
    await input.fill(text);
    await input.press("Enter");
  };

  // 1. Approve: the card runs, the prompt shows the details, the output lands in the card.
  await send('TOOLTEST:exec:{"command":"touch ran-approved && echo approved-run"}');
  const card = page.locator('details.tool[data-tool="exec"]').first();
  await card.and(page.locator('[data-state="running"]')).waitFor();
  const prompt = page.getByRole("alertdialog", { name: "Exec approval" });
  await prompt.waitFor();
  await prompt.getByLabel("Command").filter({ hasText: "echo approved-run" }).waitFor();
  for (const text of [/workspace/, /^main$/, /agent:main:main|^main$/, /expires in \d+ min/]) {
    if (!(await prompt.locator("dd").filter({ hasText: text }).count())) {
      throw new Error(`Approval prompt lacks ${text}: ${await prompt.innerText()}`);
    }
  }
  await shoot(page, "chat-approval");
  if (await Deno.stat(marker).then(() => true, () => false)) {
    throw new Error("The command ran before the approval");
  }
  await prompt.getByRole("button", { name: "Allow once" }).click();
  await prompt.waitFor({ state: "detached" });
  await card.and(page.locator('[data-state="done"]')).locator("pre.tool-output")
    .filter({ hasText: "approved-run" }).waitFor();
  await page.locator('.msg[data-done="final"]').filter({ hasText: "Tool done:" }).waitFor();
  await shoot(page, "chat-tools");

  // 2. Deny: the card shows the denial, the reply still arrives.
  await send('TOOLTEST:exec:{"command":"echo second-run"}');
  await prompt.waitFor();
  await prompt.getByLabel("Command").filter({ hasText: "echo second-run" }).waitFor();
  await prompt.getByRole("button", { name: "Deny" }).click();
  const denied = page.locator('details.tool[data-tool="exec"]').nth(1);
  await denied.locator("pre.tool-output").filter({ hasText: /denied/i }).waitFor();
  await page.locator('.msg[data-done="final"]').filter({ hasText: /Tool done: Exec denied/ })
    .waitFor();

  // 3. /new: the earlier turns leave the screen, the gateway's reply shows.
  await send("/new");
  await page.getByRole("separator").filter({ hasText: "Session reset" }).waitFor();
  await page.locator('.msg[data-done="final"]').filter({ hasText: "New session started" })
    .waitFor();
  const left = await page.getByTestId("messages").innerText();
  if (/approved-run|second-run/.test(left)) throw new Error(`History not reset: ${left}`);

  // 4. /status: the status reply shows (model and session lines).
  await send("/status");
  await page.locator('.msg[data-done="final"]').filter({ hasText: "Model: stub/stub-model" })
    .filter({ hasText: "Session: agent:main:main" }).waitFor();
  console.log(JSON.stringify({ ok: true }));
});
