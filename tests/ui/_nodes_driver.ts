/**
 * Browser half of `nodes_page_test.ts`. Arguments: the gateway's HTTP base
 * URL, its token, and the test's control URL (`_test_control.ts`). Prints
 * `{"caps": [...], "commands": [...]}` (the node's chips) on success.
 *
 * @module
 */

import { launch, shoot, signedIn, withPageText } from "./_page_kit.ts";
import { callAction } from "./_test_control.ts";

const [base, token, ctl] = Deno.args;
await using browser = await launch();
// `/devices` is the real UI's other name for this page.
const page = await signedIn(browser, base, token, "devices");
await withPageText(page, async () => {
  await page.getByRole("heading", { name: "Nodes and devices", level: 1 }).waitFor();
  await page.getByText("Nothing waiting for approval.").waitFor();
  await page.getByText("No nodes yet.", { exact: false }).waitFor();
  const pending = page.getByRole("list", { name: "Pending requests" });
  const nodes = page.getByRole("list", { name: "Nodes" });

  // The node knocks from the LAN: its request appears without a reload.
  await callAction(ctl, "knock");
  const asked = pending.getByRole("listitem").filter({ hasText: "fake-node" }).first();
  await asked.getByText("approval needed").waitFor();
  await shoot(page, "nodes-pending");
  await asked.getByRole("button", { name: "Approve" }).click();
  await page.getByRole("status").filter({ hasText: "Approved fake-node" }).waitFor();
  await page.getByText("Nothing waiting for approval.").waitFor();

  // It connects and asks for its commands: approve those too.
  await callAction(ctl, "connect");
  const card = nodes.getByRole("listitem").filter({ hasText: "fake-node" }).first();
  await card.locator(".badge").filter({ hasText: /^connected$/ }).waitFor();
  const commandsAsked = pending.getByRole("listitem").filter({ hasText: "commands need approval" });
  await commandsAsked.getByRole("listitem").filter({ hasText: "fake.echo" }).waitFor();
  await commandsAsked.getByRole("button", { name: "Approve" }).click();
  await commandsAsked.waitFor({ state: "detached" });
  const commandChips = card.getByRole("list", { name: "Commands" }).getByRole("listitem");
  await commandChips.filter({ hasText: "system.notify" }).waitFor();
  const chips = async (name: string) =>
    await card.getByRole("list", { name }).getByRole("listitem").allInnerTexts();
  const caps = await chips("Capabilities");
  const commands = await chips("Commands");
  if (await card.getByText("approval needed").count() !== 0) {
    throw new Error("Still marked as needing approval");
  }
  await card.getByText("192.0.2.7").waitFor();
  await shoot(page, "nodes");
  await callAction(ctl, "invoke");

  // Remove asks first, then the node is gone.
  await card.getByRole("button", { name: "Remove" }).click();
  await card.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("status").filter({ hasText: "Removed fake-node" }).waitFor();
  await page.getByText("No nodes yet.", { exact: false }).waitFor();
  console.log(JSON.stringify({ caps, commands }));
});
