import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";

const BASE = { gateway: { mode: "local", auth: { token: TEST_TOKEN } } };

async function get(port: number, path: string, init: RequestInit = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

/** A real gateway with a canvas root under its temp home (the default place). */
async function canvasGateway(opts: { config?: unknown; env?: Record<string, string> } = {}) {
  const gw = await startTestGateway({ config: opts.config ?? BASE, env: opts.env });
  const root = gw.proc.instance.settings.canvas.root;
  return { gw, root };
}

Deno.test("canvas host: the demo page, index.html for folders, files, through the gateway port", async () => {
  const { gw, root } = await canvasGateway();
  await using _ = gw;
  const demo = await get(gw.port, "/__openclaw__/canvas/");
  assert.equal(demo.status, 200);
  assert.equal(demo.type, "text/html; charset=utf-8");
  assert.match(demo.body, /OpenClaw Canvas/);
  assert.match(demo.body, /__openclaw__\/ws/);
  await Deno.mkdir(`${root}/app`);
  await Deno.writeTextFile(`${root}/app/index.html`, "<html><body><p>mine</p></body></html>");
  await Deno.writeTextFile(`${root}/app/a.js`, "1");
  const app = await get(gw.port, "/__openclaw__/canvas/app");
  assert.equal(app.status, 200);
  assert.match(app.body, /<p>mine<\/p><script>/);
  assert.equal((await get(gw.port, "/__openclaw__/canvas/app/a.js")).body, "1");
  await Deno.mkdir(`${root}/empty`);
  const missing = await get(gw.port, "/__openclaw__/canvas/empty/");
  assert.equal(missing.status, 404);
  assert.match(missing.body, /Missing file/);
  // Plain GET on the live-reload path asks for an upgrade.
  assert.equal((await get(gw.port, "/__openclaw__/ws")).status, 426);
});

Deno.test("canvas host: traversal and symlinks are refused through the gateway port", async () => {
  const { gw, root } = await canvasGateway();
  await using _ = gw;
  await Deno.writeTextFile(`${gw.home}/secret.txt`, "top secret");
  await Deno.mkdir(root, { recursive: true });
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
    // fetch normalises `..` itself; a raw request line keeps it.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
    await conn.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    await within(
      (async () => {
        for (let n; (n = await conn.read(buf)) !== null;) chunks.push(buf.slice(0, n));
      })(),
      10_000,
      `the answer to ${path}`,
    );
    conn.close();
    const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    assert.doesNotMatch(text, /top secret/, path);
    assert.match(text, /^HTTP\/1\.1 404/, path);
  }
});

Deno.test("canvas host: a file write sends `reload` on /__openclaw__/ws", async () => {
  const { gw, root } = await canvasGateway();
  await using _ = gw;
  // The first request waits for the root to be prepared and watched.
  assert.equal((await get(gw.port, "/__openclaw__/canvas/")).status, 200);
  const ws = new WebSocket(`ws://127.0.0.1:${gw.port}/__openclaw__/ws`);
  try {
    await within(
      new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error("live-reload socket failed"));
      }),
      10_000,
      "the live-reload socket",
    );
    const message = new Promise<string>((resolve) => {
      ws.onmessage = (ev) => resolve(String(ev.data));
    });
    // Give the server a moment to count the socket, then change a file.
    await new Promise((r) => setTimeout(r, 50));
    await Deno.writeTextFile(`${root}/index.html`, "<html><body>changed</body></html>");
    assert.equal(await within(message, 10_000, "the reload message"), "reload");
  } finally {
    const closed = new Promise((r) => (ws.onclose = r));
    ws.close();
    await within(closed, 10_000, "the socket close");
  }
});

Deno.test("canvas host: off with canvasHost.enabled=false or OPENCLAW_SKIP_CANVAS_HOST=1", async () => {
  {
    const { gw } = await canvasGateway({
      config: { ...BASE, canvasHost: { enabled: false } },
    });
    await using _ = gw;
    assert.equal((await get(gw.port, "/__openclaw__/canvas/")).status, 404);
    assert.equal((await get(gw.port, "/__openclaw__/ws")).status, 404);
  }
  {
    const { gw, root } = await canvasGateway({ env: { OPENCLAW_SKIP_CANVAS_HOST: "1" } });
    await using _ = gw;
    assert.equal((await get(gw.port, "/__openclaw__/canvas/")).status, 404);
    // Nothing was written either.
    await assert.rejects(Deno.stat(root), Deno.errors.NotFound);
  }
});

Deno.test("canvas host: a non-loopback peer needs the gateway token", async () => {
  const gw = await startTestGateway({
    config: BASE,
    tweak: (s) => ({ ...s, peerAddress: () => "203.0.113.9" }),
  });
  await using _ = gw;
  const anon = await get(gw.port, "/__openclaw__/canvas/");
  assert.equal(anon.status, 401);
  assert.doesNotMatch(anon.body, /OpenClaw Canvas/);
  const authed = await get(gw.port, "/__openclaw__/canvas/", {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  assert.equal(authed.status, 200);
  assert.match(authed.body, /OpenClaw Canvas/);
});

Deno.test("canvas host: the live-reload socket refuses another site's page (403), even on loopback", async () => {
  const { gw } = await canvasGateway();
  await using _ = gw;
  const upgrade = async (origin: string) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
    try {
      await conn.write(new TextEncoder().encode(
        `GET /__openclaw__/ws HTTP/1.1\r\nHost: 127.0.0.1:${gw.port}\r\nOrigin: ${origin}\r\n` +
          "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
      ));
      const buf = new Uint8Array(512);
      const n = await within(conn.read(buf), 10_000, "the upgrade answer");
      return new TextDecoder().decode(buf.subarray(0, n ?? 0));
    } finally {
      conn.close();
    }
  };
  assert.match(await upgrade("http://evil.example"), /^HTTP\/1\.1 403/);
  // The gateway's own pages (same origin) still get their socket.
  assert.match(await upgrade(`http://127.0.0.1:${gw.port}`), /^HTTP\/1\.1 101/);
});
