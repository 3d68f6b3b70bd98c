/**
 * Overview, Logs and the browser's device identity, in a real headless
 * Chromium against a real gateway: the cards and presence table, the level
 * filter / follow / export of the logs, and a browser that signs its connect
 * and is then listed by `device.pair.list` as a paired control UI device
 * (a browser without Ed25519 connects device-less instead).
 */

import assert from "node:assert/strict";
import { startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_ops_pages_driver.ts", import.meta.url);

Deno.test({
  name: "overview, logs filter and device identity in Chromium",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using fx = await startAgentGateway();
    const client = await fx.gw.connect({ scopes: ["operator.admin", "operator.pairing"] });
    try {
      const status = await client.request("status", {}) as { gateway: { logFile: string } };
      const result = await runDriver(DRIVER, [
        httpUrl(fx.gw.url),
        TEST_TOKEN,
        status.gateway.logFile,
      ]);
      const list = await client.request("device.pair.list", {}) as {
        paired: { deviceId: string; clientId?: string; clientMode?: string }[];
      };
      const row = list.paired.find((d) => d.deviceId === result.deviceId);
      assert.ok(row, `browser device ${result.deviceId} not in ${JSON.stringify(list)}`);
      assert.equal(row.clientId, "openclaw-control-ui");
      assert.equal(row.clientMode, "webchat");
    } finally {
      await client.close();
    }
  },
});
