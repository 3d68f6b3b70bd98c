import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import {
  freePort,
  reloadConfig,
  saveLikeEditor,
  startReloadGateway,
  waitUntil,
} from "../_helpers/reload.ts";
import { BASE, closeSocket, get, openSocket, rawGet } from "./_canvas.ts";

const OWN_PORT = { ...BASE, canvasHost: { port: 0 } };

Deno.test("canvas listener: a gateway on port 0 opens none unless canvasHost.port is set", async () => {
  {
    await using gw = await startTestGateway({ config: BASE });
    assert.equal(gw.proc.instance.canvasPort(), undefined);
    await using op = await RawWs.connect(gw.url);
    const status = await op.request("status", {});
    assert.equal(status.payload.gateway.canvasPort, undefined);
    // Still mounted on the gateway port.
    assert.equal((await get(gw.port, "/__openclaw__/canvas/")).status, 200);
  }
  await using gw = await startTestGateway({ config: OWN_PORT });
  const port = gw.proc.instance.canvasPort();
  assert.ok(port && port !== gw.port, "an ephemeral canvas port of its own");
  await using op = await RawWs.connect(gw.url);
  assert.equal((await op.request("status", {})).payload.gateway.canvasPort, port);
  assert.ok(gw.lines.some((l) => l.includes(`canvas host on http://127.0.0.1:${port}/`)));
});

Deno.test("canvas listener: the same routes as the gateway port, and nothing else", async () => {
  await using gw = await startTestGateway({ config: OWN_PORT });
  const port = gw.proc.instance.canvasPort()!;
  const root = gw.proc.instance.settings.canvas.root;
  const demo = await get(port, "/__openclaw__/canvas/");
  assert.equal(demo.status, 200);
  assert.equal(demo.type, "text/html; charset=utf-8");
  assert.match(demo.body, /OpenClaw Canvas/);
  assert.match(demo.body, /openclawCanvasA2UIAction/);
  assert.match(demo.body, /__openclaw__\/ws/);
  assert.equal(demo.headers.get("referrer-policy"), "no-referrer");
  await Deno.writeTextFile(`${root}/a.css`, "p{}");
  assert.equal((await get(port, "/__openclaw__/canvas/a.css")).body, "p{}");
  assert.equal((await get(port, "/__openclaw__/ws")).status, 426);
  // The control plane and the HTTP API are not on this port.
  for (const path of ["/", "/health", "/v1/models", "/__openclaw__/a2ui/"]) {
    assert.equal((await get(port, path)).status, 404, path);
  }
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  const refused = await within(
    new Promise<boolean>((resolve) => {
      ws.onopen = () => resolve(false);
      ws.onerror = () => resolve(true);
    }),
    10_000,
    "the refused control-plane upgrade",
  );
  assert.equal(refused, true, "no control-plane socket on the canvas port");
  // Live reload works on this port too.
  const reload = await openSocket(`ws://127.0.0.1:${port}/__openclaw__/ws`);
  try {
    const message = new Promise<string>((r) => (reload.onmessage = (ev) => r(String(ev.data))));
    await new Promise((r) => setTimeout(r, 50));
    await Deno.writeTextFile(`${root}/index.html`, "<html><body>changed</body></html>");
    assert.equal(await within(message, 10_000, "the reload message"), "reload");
  } finally {
    await closeSocket(reload);
  }
});

Deno.test("canvas listener: a remote peer needs the gateway token there too", async () => {
  await using gw = await startTestGateway({
    config: OWN_PORT,
    tweak: (s) => ({ ...s, peerAddress: () => "203.0.113.9" }),
  });
  const port = gw.proc.instance.canvasPort()!;
  assert.equal((await get(port, "/__openclaw__/canvas/")).status, 401);
  const authed = await get(port, "/__openclaw__/canvas/", {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  assert.equal(authed.status, 200);
});

Deno.test("canvas listener: traversal and symlinks are refused on the canvas port", async () => {
  await using gw = await startTestGateway({ config: OWN_PORT });
  const port = gw.proc.instance.canvasPort()!;
  const root = gw.proc.instance.settings.canvas.root;
  assert.equal((await get(port, "/__openclaw__/canvas/")).status, 200); // root prepared
  await Deno.writeTextFile(`${gw.home}/secret.txt`, "top secret");
  await Deno.symlink(`${gw.home}/secret.txt`, `${root}/link.txt`);
  await Deno.symlink(gw.home, `${root}/up`);
  for (
    const path of [
      "/__openclaw__/canvas/../../secret.txt",
      "/__openclaw__/canvas/%2e%2e/%2e%2e/secret.txt",
      "/__openclaw__/canvas/..%2f..%2fsecret.txt",
      "/__openclaw__/canvas/link.txt",
      "/__openclaw__/canvas/up/secret.txt",
    ]
  ) {
    const text = await rawGet(port, path);
    assert.doesNotMatch(text, /top secret/, path);
    assert.match(text, /^HTTP\/1\.1 404/, path);
  }
});

Deno.test("canvas listener: a taken port is logged with the fix and the gateway stays up", async () => {
  const port = freePort();
  const squatter = Deno.listen({ hostname: "127.0.0.1", port });
  try {
    await using gw = await startTestGateway({ config: { ...BASE, canvasHost: { port } } });
    assert.equal(gw.proc.instance.canvasPort(), undefined);
    const line = gw.lines.find((l) => l.includes("Canvas host not started"));
    assert.ok(line, gw.lines.join("\n"));
    assert.match(line, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(line, /canvasHost\.port/);
    assert.match(line, /canvasHost\.enabled=false/);
    await using op = await RawWs.connect(gw.url);
    assert.equal((await op.request("health", {})).ok, true);
    assert.equal((await get(gw.port, "/__openclaw__/canvas/")).status, 200);
  } finally {
    squatter.close();
  }
});

Deno.test("canvas listener: off with canvasHost.enabled=false or OPENCLAW_SKIP_CANVAS_HOST=1", async () => {
  const port = freePort();
  {
    await using gw = await startTestGateway({
      config: { ...BASE, canvasHost: { port, enabled: false } },
    });
    assert.equal(gw.proc.instance.canvasPort(), undefined);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/__openclaw__/canvas/`));
  }
  await using gw = await startTestGateway({
    config: { ...BASE, canvasHost: { port } },
    env: { OPENCLAW_SKIP_CANVAS_HOST: "1" },
  });
  assert.equal(gw.proc.instance.canvasPort(), undefined);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/__openclaw__/canvas/`));
});

Deno.test("canvas listener: canvasHost.liveReload=false drops the socket and the reload client", async () => {
  await using gw = await startTestGateway({
    config: { ...BASE, canvasHost: { port: 0, liveReload: false } },
  });
  for (const port of [gw.port, gw.proc.instance.canvasPort()!]) {
    const page = await get(port, "/__openclaw__/canvas/");
    assert.equal(page.status, 200);
    assert.match(page.body, /openclawCanvasA2UIAction/, "the bridge stays");
    assert.doesNotMatch(page.body, /__openclaw__\/ws/, "no reload client");
    assert.equal((await get(port, "/__openclaw__/ws")).status, 404);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/__openclaw__/ws`);
    const opened = await within(
      new Promise<boolean>((resolve) => {
        ws.onopen = () => resolve(true);
        ws.onerror = () => resolve(false);
      }),
      10_000,
      "the refused live-reload upgrade",
    );
    if (opened) ws.close();
    assert.equal(opened, false, `no live-reload socket on port ${port}`);
  }
});

Deno.test("canvas listener: an in-process restart closes it and opens it again", async () => {
  const port = freePort();
  await using gw = await startTestGateway({ config: { ...BASE, canvasHost: { port } } });
  assert.equal(gw.proc.instance.canvasPort(), port);
  const first = gw.proc.instance;
  await gw.proc.restart("test");
  await waitUntil(() => gw.proc.instance !== first, "the new instance", 10_000);
  assert.equal(gw.proc.instance.canvasPort(), port);
  assert.equal((await get(port, "/__openclaw__/canvas/")).status, 200);
});

Deno.test("canvas listener: a canvasHost.port edit moves it (restart), the old port closes", async () => {
  const [port, p1, p2] = [freePort(), freePort(), freePort()];
  await using gw = await startReloadGateway({
    config: reloadConfig(port, { canvasHost: { port: p1 } }),
  });
  assert.equal(gw.proc.instance.canvasPort(), p1);
  const from = gw.lines.length;
  await saveLikeEditor(gw.configPath, reloadConfig(port, { canvasHost: { port: p2 } }));
  await gw.waitForLine(/restart complete/, from, 8_000);
  assert.equal(gw.proc.instance.canvasPort(), p2);
  assert.equal((await get(p2, "/__openclaw__/canvas/")).status, 200);
  await assert.rejects(fetch(`http://127.0.0.1:${p1}/__openclaw__/canvas/`));
});
