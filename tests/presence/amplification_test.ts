/**
 * Presence amplification: connect metadata and `system-event` fields are
 * capped in the schema, rows and their total size are bounded, and a client
 * without scopes adds nothing to what operators receive.
 */

import assert from "node:assert/strict";
import { GatewayCallError } from "../../src/client/gateway_client.ts";
import { PRESENCE_MAX_LIST, PresenceStore } from "../../src/server/presence.ts";
import { CONNECT_LIMITS } from "../../protocol/schemas/connect.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

Deno.test("connect refuses client metadata past its length caps", async () => {
  await using gw = await startTestGateway();
  const long = "x".repeat(CONNECT_LIMITS.name + 1);
  const client = { id: "test", version: "1", platform: "test", mode: "test" };
  for (
    const over of [
      { client: { ...client, version: "v".repeat(CONNECT_LIMITS.word + 1) } },
      { client: { ...client, platform: "p".repeat(CONNECT_LIMITS.word + 1) } },
      { client: { ...client, displayName: long } },
      { client: { ...client, instanceId: long } },
      { scopes: Array(CONNECT_LIMITS.items + 1).fill("operator.read") },
      { caps: ["c".repeat(CONNECT_LIMITS.word + 1)] },
    ]
  ) {
    const raw = await RawWs.open(gw.url);
    const res = await raw.handshake(over);
    assert.equal(res.ok, false, `accepted ${JSON.stringify(over).slice(0, 80)}`);
    await raw.close();
  }
});

Deno.test("a scope-less node client adds no presence row to what operators receive", async () => {
  await using gw = await startTestGateway();
  const operator = await gw.connect();
  const before = await operator.request<unknown[]>("system-presence", {});
  const node = await RawWs.connect(gw.url, {
    role: "node",
    scopes: [],
    client: {
      id: "node-host",
      version: "1".repeat(CONNECT_LIMITS.word),
      platform: "test",
      mode: "node",
      displayName: "n".repeat(CONNECT_LIMITS.name),
    },
  });
  // Past the 100 ms presence coalescing window.
  await new Promise((r) => setTimeout(r, 250));
  const after = await operator.request<{ host?: string }[]>("system-presence", {});
  assert.equal(after.length, before.length, JSON.stringify(after).slice(0, 200));
  const second = await gw.connect();
  await second.close();
  await node.close();
  await operator.close();
});

Deno.test("system-event refuses oversized tags and fields", async () => {
  await using gw = await startTestGateway();
  const admin = await gw.connect({ token: TEST_TOKEN });
  for (
    const params of [
      { text: "hi", tags: Array(33).fill("t") },
      { text: "hi", tags: ["t".repeat(65)] },
      { text: "hi", host: "h".repeat(129) },
    ]
  ) {
    const err = await admin.request("system-event", params).then(() => undefined, (e) => e);
    assert.ok(err instanceof GatewayCallError, `accepted ${JSON.stringify(params).slice(0, 60)}`);
    assert.equal(err.error.code, "INVALID_REQUEST");
  }
  await admin.close();
});

Deno.test("PresenceStore bounds the total size of its rows and the length of merged lists", () => {
  const store = new PresenceStore({ host: "gw" }, { maxBytes: 4096 });
  for (let i = 0; i < 100; i++) {
    store.upsert(`k${i}`, { host: `h${i}`, text: "y".repeat(200) });
  }
  assert.ok(store.bytes <= 4096, `rows take ${store.bytes} bytes`);
  assert.ok(JSON.stringify(store.list()).length <= 4096 + store.size * 2);
  assert.ok(store.list().some((e) => e.host === "gw"), "the gateway's own row stays");
  assert.ok(store.list().some((e) => e.host === "h99"), "the newest row stays");
  for (let i = 0; i < 100; i++) store.upsert("grow", { scopes: [`s${i}`], tags: [`t${i}`] });
  const row = store.list().find((e) => e.scopes)!;
  assert.equal(row.scopes!.length, PRESENCE_MAX_LIST);
});
