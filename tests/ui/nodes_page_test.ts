/**
 * The Nodes page in a real headless Chromium: a fake node knocking from a
 * LAN address shows up as a pending device (live, from the pairing event),
 * is approved in the page, connects, asks for its commands, gets them
 * approved in the page and shows as connected with its capability chips;
 * removing it (after a confirm step) unpairs and disconnects it.
 */

import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";
import { startTestControl } from "./_test_control.ts";

const DRIVER = new URL("./_nodes_driver.ts", import.meta.url);

Deno.test({
  name: "nodes page in Chromium: a LAN node is approved as a device, then its commands; remove",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Sockets opened while `lan` is on look like they came from 192.0.2.7
    // (only the fake node's; the page connected before).
    let lan = false;
    const tweak = (s: GatewaySettings): GatewaySettings => ({
      ...s,
      peerAddress: (ip) => (lan ? "192.0.2.7" : ip),
      nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] },
    });
    await using gw = await startTestGateway({ tweak });
    const key = await DeviceKey.create();
    const fromLan = async <T>(fn: () => Promise<T>) => {
      lan = true;
      try {
        return await fn();
      } finally {
        lan = false;
      }
    };
    let node: FakeNode | undefined;
    await using ctl = startTestControl({
      // First contact: refused until an operator approves the device.
      knock: async () => {
        const { ws, res } = await fromLan(() => connectSigned(gw.url, key, nodeParams()));
        await ws.close();
        if (res.error?.code !== "NOT_PAIRED") throw new Error(JSON.stringify(res));
        return (res.error.details as { requestId: string }).requestId;
      },
      // After approval the node connects (and asks for its commands).
      connect: async () => {
        node = await fromLan(() =>
          FakeNode.connect(gw.url, key, (req) => ({ ok: true, payload: { echoed: req.params } }))
        );
        return node.nodeId;
      },
      // The approved command runs on the node.
      invoke: async () => {
        await using op = await RawWs.connect(gw.url, { scopes: ["operator.write"] });
        const res = await op.request("node.invoke", {
          nodeId: key.id,
          command: "fake.echo",
          params: { hi: 1 },
          idempotencyKey: crypto.randomUUID(),
        });
        if (!res.ok) throw new Error(JSON.stringify(res.error));
        return res.payload;
      },
    });
    try {
      const result = await runDriver(DRIVER, [httpUrl(gw.url), TEST_TOKEN, ctl.url]);
      assert.deepEqual(ctl.errors, []);
      assert.deepEqual(result.caps, ["system"]);
      assert.deepEqual(result.commands, ["fake.echo", "system.notify"]);
      assert.ok(node, "the node connected");
      // Removed in the page: unpaired, and its socket was closed.
      await using op = await RawWs.connect(gw.url, { scopes: ["operator.pairing"] });
      const list = (await op.request("device.pair.list", {})).payload;
      assert.equal(list.paired.some((d: { deviceId: string }) => d.deviceId === key.id), false);
      assert.ok(node.ws.isClosed, "the removed node was disconnected");
    } finally {
      await node?.close();
    }
  },
});
