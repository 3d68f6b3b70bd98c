/**
 * The chat page with tools, in a real headless Chromium against a real
 * gateway and the scripted provider: an `exec` call in ask mode shows a
 * running tool card and an approval prompt; approving runs the command (the
 * marker file appears, the output lands in the card), denying does not; the
 * `/new` and `/status` slash commands answer in the chat.
 */

import assert from "node:assert/strict";
import { startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_chat_tools_driver.ts", import.meta.url);

Deno.test({
  name: "chat in Chromium: exec tool card, approve and deny inline, /new and /status",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fx = await startAgentGateway({ extra: { tools: { exec: { mode: "ask" } } } });
    const workspace = `${fx.gw.proc.paths.stateDir}/workspace`;
    const result = await runDriver(DRIVER, [httpUrl(fx.gw.url), TEST_TOKEN, workspace]);
    assert.equal(result.ok, true);
    assert.ok(await Deno.stat(`${workspace}/ran-approved`), "the approved command ran");
  },
});
