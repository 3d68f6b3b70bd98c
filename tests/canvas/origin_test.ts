/**
 * Adversarial: canvas content is written by the agent (so by whoever can
 * prompt it) and is served on the gateway port, the Control UI's own
 * origin. It must not run as that origin: the UI keeps the device key and
 * device token in localStorage, and a same-origin page could read them and
 * connect as the operator.
 */
import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "../ui/_browser.ts";
import { BASE, get } from "./_canvas.ts";
import { within } from "../_helpers/limit.ts";
import { MAX_SANDBOXED_RELOAD_CLIENTS } from "../../src/canvas/host.ts";

const STEAL = `<!doctype html><html><head><title>reading</title></head><body><!--v1-->
<script>
let got;
try { got = localStorage.getItem("openclaw-device-identity-v1") ?? "none"; }
catch { got = "blocked"; }
document.title = "read:" + got;
</script></body></html>`;

Deno.test("canvas on the gateway port: pages run sandboxed (own opaque origin), even 404 pages", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const root = gw.proc.instance.settings.canvas.root;
  await Deno.mkdir(`${root}/app`, { recursive: true });
  await Deno.writeTextFile(`${root}/app/index.html`, STEAL);
  await Deno.writeTextFile(`${root}/app/pic.svg`, "<svg xmlns='http://www.w3.org/2000/svg'/>");
  for (const path of ["/__openclaw__/canvas/app/", "/__openclaw__/canvas/app/pic.svg"]) {
    const res = await get(gw.port, path);
    assert.equal(res.status, 200, path);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /(^|;)\s*sandbox\b/, path);
    assert.doesNotMatch(csp, /allow-same-origin/, path);
    assert.match(csp, /allow-scripts/, path);
  }
  const missing = await get(gw.port, "/__openclaw__/canvas/app/nope/");
  assert.match(missing.headers.get("content-security-policy") ?? "", /sandbox/);
});

Deno.test("canvas on its own port: an origin of its own, so pages are not sandboxed", async () => {
  await using gw = await startTestGateway({ config: { ...BASE, canvasHost: { port: 0 } } });
  const port = gw.proc.instance.canvasPort()!;
  const res = await get(port, "/__openclaw__/canvas/");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-security-policy"), null);
});

Deno.test("canvas: the missing-index page escapes the path it names", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const root = gw.proc.instance.settings.canvas.root;
  const name = "<img src=x onerror=alert(1)>";
  await Deno.mkdir(`${root}/${name}`, { recursive: true });
  const res = await get(gw.port, `/__openclaw__/canvas/${encodeURIComponent(name)}/`);
  assert.equal(res.status, 404);
  assert.equal(res.body.includes(name), false);
  assert.match(res.body, /&#60;img src=x onerror=alert\(1\)&#62;/);
});

Deno.test({
  name:
    "canvas on the gateway port: a page cannot read the Control UI's localStorage, yet live-reloads",
  ignore: !hasBrowser,
  async fn() {
    await using gw = await startTestGateway({ config: BASE });
    const root = gw.proc.instance.settings.canvas.root;
    await Deno.mkdir(`${root}/app`, { recursive: true });
    await Deno.writeTextFile(`${root}/app/index.html`, STEAL);
    const out = await runDriver(new URL("./_origin_driver.ts", import.meta.url), [
      httpUrl(gw.url),
      "/__openclaw__/canvas/app/",
      `${root}/app/index.html`,
    ]);
    assert.equal(out.stolen, "blocked", "the canvas page read the Control UI's storage");
    assert.equal(out.reloaded, true, "the sandboxed page no longer live-reloads");
  },
});

Deno.test("canvas live reload: sandboxed pages let in by loopback get a share of the sockets, not all", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const held: Deno.Conn[] = [];
  const upgrade = async (origin?: string) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
    await conn.write(new TextEncoder().encode(
      `GET /__openclaw__/ws HTTP/1.1\r\nHost: 127.0.0.1:${gw.port}\r\n` +
        (origin ? `Origin: ${origin}\r\n` : "") +
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    ));
    const buf = new Uint8Array(512);
    const n = await within(conn.read(buf), 10_000, "the upgrade answer");
    held.push(conn);
    return new TextDecoder().decode(buf.subarray(0, n ?? 0)).split("\r\n")[0];
  };
  try {
    for (let i = 0; i < MAX_SANDBOXED_RELOAD_CLIENTS; i++) {
      assert.match(await upgrade("null"), / 101 /, `sandboxed socket ${i}`);
    }
    assert.match(await upgrade("null"), / 503 /);
    // Others still get theirs: the native app (no Origin), the gateway's own pages.
    assert.match(await upgrade(), / 101 /);
    assert.match(await upgrade(`http://127.0.0.1:${gw.port}`), / 101 /);
  } finally {
    for (const c of held) c.close();
  }
});
