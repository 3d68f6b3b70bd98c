/**
 * The control UI's Sessions page in headless Chromium: sessions made by real
 * chat turns (scripted provider) are listed with their tokens; reset, delete
 * (confirmed; the main session refused with the gateway's error) and "open in
 * chat" work, and the list follows `sessions.changed`.
 */

import assert from "node:assert/strict";
import { recordingClient, startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_sessions_driver.ts", import.meta.url);

Deno.test({
  name: "sessions page: lists chat sessions with tokens; reset, delete, open in chat, live updates",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fx = await startAgentGateway();
    await using rec = await recordingClient(fx.gw);
    for (const sessionKey of ["main", "side", "side"]) {
      const idempotencyKey = crypto.randomUUID();
      await rec.client.request("chat.send", { sessionKey, message: "hello", idempotencyKey });
      const end = await rec.chatEnd(idempotencyKey, 15_000);
      assert.equal(end.state, "final", JSON.stringify(end));
    }
    const before = await rec.client.request<{ sessions: { key: string; inputTokens: number }[] }>(
      "sessions.list",
      {},
    );
    assert.ok(before.sessions.every((s) => s.inputTokens > 0), JSON.stringify(before));
    const result = await runDriver(DRIVER, [httpUrl(fx.gw.url), TEST_TOKEN]);
    const after = await rec.client.request<{ sessions: { key: string }[] }>("sessions.list", {});
    const keys = after.sessions.map((s) => s.key).sort();
    assert.deepEqual(keys, ["agent:main:main", "agent:main:third"]);
    console.log(`sessions page: ${JSON.stringify(result)}`);
  },
});
