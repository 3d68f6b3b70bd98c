import assert from "node:assert/strict";
import { DeviceKey, FakeNode } from "../_helpers/fake_node.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { waitUntil } from "../_helpers/reload.ts";
import {
  approvedCanvasNode,
  BASE,
  canvasNodeParams,
  CAP,
  closeSocket,
  get,
  helloCanvasUrl,
  openSocket,
  pathOf,
  rawGet,
} from "./_canvas.ts";

/**
 * A gateway with its own canvas port whose HTTP peers can be made to look
 * remote (`remote.on = true`) after the sockets that must stay local connected.
 */
async function remoteableGateway(extra: Record<string, unknown> = {}, ttlMs?: number) {
  const remote = { on: false };
  const gw = await startTestGateway({
    config: { ...BASE, canvasHost: { port: 0, ...extra } },
    tweak: (s) => ({
      ...s,
      peerAddress: (ip) => remote.on ? "203.0.113.9" : ip,
      canvas: { ...s.canvas, ...(ttlMs ? { capabilityTtlMs: ttlMs } : {}) },
    }),
  });
  return { gw, remote, canvasPort: gw.proc.instance.canvasPort()! };
}

Deno.test("hello-ok: an approved canvas node gets pluginSurfaceUrls.canvas (protocol 4) in the captured shape", async () => {
  const { gw, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, firstHello, hello } = await approvedCanvasNode(gw, 4);
  await using _op = op;
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  assert.equal(firstHello.payload.pluginSurfaceUrls, undefined, "not before the approval");
  assert.equal(firstHello.payload.canvasHostUrl, undefined);
  const url = hello.payload.pluginSurfaceUrls?.canvas as string;
  assert.match(
    url,
    new RegExp(`^http://127\\.0\\.0\\.1:${canvasPort}/__openclaw__/cap/${CAP.source}$`),
  );
  assert.deepEqual(Object.keys(hello.payload.pluginSurfaceUrls), ["canvas"]);
  assert.equal(hello.payload.canvasHostUrl, undefined, "protocol 4 has no canvasHostUrl");
});

Deno.test("hello-ok: a protocol 3 node gets canvasHostUrl; an unapproved or capless node none", async () => {
  const { gw, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw, 3);
  await using _op = op;
  await node.close();
  assert.equal(hello.payload.protocol, 3);
  assert.match(
    hello.payload.canvasHostUrl,
    new RegExp(`^http://127\\.0\\.0\\.1:${canvasPort}/__openclaw__/cap/${CAP.source}$`),
  );
  assert.equal(hello.payload.pluginSurfaceUrls, undefined);
  // A node that never declared canvas gets nothing even once approved.
  const key = await DeviceKey.create();
  const plain = await FakeNode.connect(gw.url, key, () => undefined);
  const asked = await op.nextEvent("node.pair.requested");
  await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  await plain.close();
  const again = await FakeNode.connect(gw.url, key, () => undefined);
  assert.equal(helloCanvasUrl(again.hello), undefined);
  const refused = await again.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(refused.error?.code, "UNAVAILABLE");
  assert.equal(refused.error?.message, "canvas host unavailable for this node session");
  await again.close();
});

Deno.test("capability URL: serves canvas files to a remote peer without the secret, only canvas paths", async () => {
  const { gw, remote, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  const base = pathOf(helloCanvasUrl(hello)!);
  const root = gw.proc.instance.settings.canvas.root;
  remote.on = true;
  assert.equal((await get(canvasPort, "/__openclaw__/canvas/")).status, 401, "remote, no secret");
  for (const port of [canvasPort, gw.port]) {
    const page = await get(port, `${base}/__openclaw__/canvas/`);
    assert.equal(page.status, 200, `port ${port}`);
    assert.match(page.body, /OpenClaw Canvas/);
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    await Deno.writeTextFile(`${root}/app.js`, "x=1");
    assert.equal((await get(port, `${base}/__openclaw__/canvas/app.js`)).body, "x=1");
    // The `?oc_cap=` form the 2026.9.6 gateway also took.
    const cap = base.split("/").at(-1)!;
    assert.equal((await get(port, `/__openclaw__/canvas/app.js?oc_cap=${cap}`)).body, "x=1");
    // Nothing but the canvas behind the prefix.
    for (const other of ["/", "/health", "/v1/models", "/__openclaw__/a2ui/"]) {
      const res = await get(port, `${base}${other}`);
      assert.equal(res.status, 404, `${other} on port ${port}`);
    }
  }
});

Deno.test("capability URL: unknown, malformed, and other nodes' old capabilities answer 401 with no hint", async () => {
  const { gw, remote, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  const cap = pathOf(helloCanvasUrl(hello)!).split("/").at(-1)!;
  // Loopback does not rescue a bad capability: under the prefix the capability alone decides.
  for (const on of [false, true]) {
    remote.on = on;
    for (
      const path of [
        "/__openclaw__/cap/AAAAAAAAAAAAAAAAAAAAAAAA/__openclaw__/canvas/",
        // One character off (never the real one: its last character may be "A").
        `/__openclaw__/cap/${cap.slice(0, -1)}${
          cap.endsWith("A") ? "B" : "A"
        }/__openclaw__/canvas/`,
        `/__openclaw__/cap/${cap}`,
        "/__openclaw__/cap/",
        "/__openclaw__/canvas/?oc_cap=AAAAAAAAAAAAAAAAAAAAAAAA",
      ]
    ) {
      if (!on && path.startsWith("/__openclaw__/canvas/")) continue; // loopback reads that anyway
      const res = await get(canvasPort, path);
      assert.equal(res.status, 401, `${path} (remote ${on})`);
      assert.doesNotMatch(res.body, new RegExp(cap), "no valid capability in the answer");
      assert.doesNotMatch(res.body, /OpenClaw Canvas/);
    }
  }
});

Deno.test("capability URL: refresh renews it (both protocols' shapes), the old one dies, so does a disconnect", async () => {
  const { gw, remote, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  const first = pathOf(helloCanvasUrl(hello)!);
  const v4 = await node.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
  assert.equal(v4.ok, true, JSON.stringify(v4.error));
  assert.deepEqual(Object.keys(v4.payload).sort(), ["expiresAtMs", "pluginSurfaceUrls", "surface"]);
  assert.equal(v4.payload.surface, "canvas");
  assert.ok(Math.abs(v4.payload.expiresAtMs - (Date.now() + 600_000)) < 5_000);
  const second = pathOf(v4.payload.pluginSurfaceUrls.canvas);
  assert.notEqual(second, first);
  const v3 = await node.ws.request("node.canvas.capability.refresh", {});
  assert.equal(v3.ok, true, JSON.stringify(v3.error));
  assert.deepEqual(Object.keys(v3.payload).sort(), [
    "canvasCapability",
    "canvasCapabilityExpiresAtMs",
    "canvasHostUrl",
  ]);
  assert.match(v3.payload.canvasCapability, new RegExp(`^${CAP.source}$`));
  assert.equal(
    v3.payload.canvasHostUrl,
    `http://127.0.0.1:${canvasPort}/__openclaw__/cap/${v3.payload.canvasCapability}`,
  );
  const third = pathOf(v3.payload.canvasHostUrl);
  const bad = await node.ws.request("node.pluginSurface.refresh", { surface: "a2ui" });
  assert.equal(bad.error?.code, "INVALID_REQUEST");
  // Operators may not call the node-only refresh.
  assert.equal((await op.request("node.pluginSurface.refresh", { surface: "canvas" })).ok, false);

  remote.on = true;
  const page = (p: string) => get(canvasPort, `${p}/__openclaw__/canvas/`).then((r) => r.status);
  assert.equal(await page(first), 401, "replaced by the refresh");
  assert.equal(await page(second), 401, "replaced by the refresh");
  assert.equal(await page(third), 200);
  await node.close();
  await waitUntil(async () => (await page(third)) === 401, "the capability to die", 5_000);
});

Deno.test("capability URL: a node approved while connected gets one from refresh, without reconnecting", async () => {
  const { gw } = await remoteableGateway();
  await using _ = gw;
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await FakeNode.connect(
    gw.url,
    await DeviceKey.create(),
    () => undefined,
    canvasNodeParams(4),
  );
  try {
    assert.equal(helloCanvasUrl(node.hello), undefined);
    const early = await node.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
    assert.equal(early.error?.code, "UNAVAILABLE");
    const asked = await op.nextEvent("node.pair.requested");
    await op.request("node.pair.approve", { requestId: asked.payload.requestId });
    const late = await node.ws.request("node.pluginSurface.refresh", { surface: "canvas" });
    assert.equal(late.ok, true, JSON.stringify(late.error));
    assert.match(
      late.payload.pluginSurfaceUrls.canvas,
      new RegExp(`/__openclaw__/cap/${CAP.source}$`),
    );
  } finally {
    await node.close();
  }
});

Deno.test("capability URL: expires when unused for the TTL, each use extends it", async () => {
  const { gw, remote, canvasPort } = await remoteableGateway({}, 600);
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  const base = pathOf(helloCanvasUrl(hello)!);
  remote.on = true;
  const status = () => get(canvasPort, `${base}/__openclaw__/canvas/`).then((r) => r.status);
  assert.equal(await status(), 200);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(await status(), 200);
  await new Promise((r) => setTimeout(r, 400)); // 800 ms after the hello: alive, it was used
  assert.equal(await status(), 200);
  await new Promise((r) => setTimeout(r, 900));
  assert.equal(await status(), 401, "expired after the TTL without use");
});

Deno.test("capability URL: live reload through the prefix; the socket closes when the node leaves", async () => {
  const { gw, remote, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  const base = pathOf(helloCanvasUrl(hello)!);
  const root = gw.proc.instance.settings.canvas.root;
  remote.on = true;
  assert.equal((await get(canvasPort, `${base}/__openclaw__/ws`)).status, 426);
  const ws = await openSocket(`ws://127.0.0.1:${canvasPort}${base}/__openclaw__/ws`);
  try {
    const message = new Promise<string>((r) => (ws.onmessage = (ev) => r(String(ev.data))));
    await new Promise((r) => setTimeout(r, 50));
    await Deno.writeTextFile(`${root}/index.html`, "<html><body>v2</body></html>");
    assert.equal(await within(message, 10_000, "the reload message"), "reload");
    const closed = new Promise<number>((r) => ws.addEventListener("close", (e) => r(e.code)));
    await node.close();
    assert.equal(await within(closed, 10_000, "the capability socket close"), 1008);
  } finally {
    await closeSocket(ws);
  }
  // A dead capability cannot open one either.
  const refused = new WebSocket(`ws://127.0.0.1:${canvasPort}${base}/__openclaw__/ws`);
  const opened = await within(
    new Promise<boolean>((resolve) => {
      refused.onopen = () => resolve(true);
      refused.onerror = () => resolve(false);
    }),
    10_000,
    "the refused upgrade",
  );
  if (opened) refused.close();
  assert.equal(opened, false);
});

Deno.test("capability URL: traversal and symlinks are refused under the prefix", async () => {
  const { gw, remote, canvasPort } = await remoteableGateway();
  await using _ = gw;
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  await using _node = { [Symbol.asyncDispose]: () => node.close() };
  const base = pathOf(helloCanvasUrl(hello)!);
  const root = gw.proc.instance.settings.canvas.root;
  await Deno.writeTextFile(`${gw.home}/secret.txt`, "top secret");
  await Deno.symlink(`${gw.home}/secret.txt`, `${root}/link.txt`);
  await Deno.symlink(gw.home, `${root}/up`);
  remote.on = true;
  for (const port of [canvasPort, gw.port]) {
    for (
      const path of [
        `${base}/__openclaw__/canvas/../../secret.txt`,
        `${base}/__openclaw__/canvas/%2e%2e/%2e%2e/%2e%2e/secret.txt`,
        `${base}/__openclaw__/canvas/..%2f..%2fsecret.txt`,
        `${base}/__openclaw__/canvas/link.txt`,
        `${base}/__openclaw__/canvas/up/secret.txt`,
        `${base}/../../secret.txt`,
        `${base}%2f..%2f..%2fsecret.txt`,
      ]
    ) {
      const text = await rawGet(port, path);
      assert.doesNotMatch(text, /top secret/, `${path} on ${port}`);
      assert.match(text, /^HTTP\/1\.1 40[14]/, `${path} on ${port}`);
    }
  }
});

Deno.test("hello-ok: an operator with operator.read gets a canvas URL; canvas off gives nobody one", async () => {
  {
    const { gw } = await remoteableGateway();
    await using _ = gw;
    await using reader = await RawWs.open(gw.url);
    const hello = await reader.handshake({ scopes: ["operator.read"] });
    assert.match(helloCanvasUrl(hello) ?? "", new RegExp(`/__openclaw__/cap/${CAP.source}$`));
    await using bare = await RawWs.open(gw.url);
    assert.equal(helloCanvasUrl(await bare.handshake({ scopes: [] })), undefined);
  }
  await using gw = await startTestGateway({
    config: { ...BASE, canvasHost: { port: 0, enabled: false } },
  });
  const { op, node, hello } = await approvedCanvasNode(gw);
  await using _op = op;
  await node.close();
  assert.equal(helloCanvasUrl(hello), undefined);
  await using admin = await RawWs.open(gw.url);
  assert.equal(helloCanvasUrl(await admin.handshake({})), undefined);
});
