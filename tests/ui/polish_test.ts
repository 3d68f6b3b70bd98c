/**
 * The control UI as one finished product, in a real headless Chromium against
 * a real gateway: the phone nav and every page used with the keyboard alone
 * (order, focus rings, labels, Escape on confirms), every page in dark mode,
 * the exec approval prompt taking the focus, `/chat?session=third` under its
 * canonical key, and a tab's `client.instanceId` keeping it to one presence
 * row across reloads (device-less, where the device id cannot dedupe it).
 */

import assert from "node:assert/strict";
import { startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_polish_driver.ts", import.meta.url);

interface PresenceRow {
  mode?: string;
  deviceId?: string;
  instanceId?: string;
  reason?: string;
}

Deno.test({
  name:
    "control UI polish in Chromium: phone nav by keyboard, dark pages, approval focus, one presence row per tab",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fx = await startAgentGateway({ extra: { tools: { exec: { mode: "ask" } } } });
    const result = await runDriver(DRIVER, [httpUrl(fx.gw.url), TEST_TOKEN]);
    const instanceId = result.instanceId as string;
    assert.match(instanceId, /^[\w-]{8,64}$/);
    const client = await fx.gw.connect({ scopes: ["operator.read"] });
    try {
      const rows = await client.request("system-presence", {}) as PresenceRow[];
      // Three connections of one device-less tab (open, reload, reload): one row.
      const tab = rows.filter((r) => r.instanceId === instanceId);
      assert.equal(tab.length, 1, JSON.stringify(rows));
      const deviceLess = rows.filter((r) => r.mode === "webchat" && !r.deviceId);
      assert.equal(deviceLess.length, 1, JSON.stringify(rows));
    } finally {
      await client.close();
    }
  },
});
