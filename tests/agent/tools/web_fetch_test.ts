import assert from "node:assert/strict";
import { createWebFetchTool } from "../../../src/agent/tools/web_fetch.ts";
import { fetchSettings } from "../../../src/agent/tools/config.ts";
import { isPrivateAddress, isPrivateUrl } from "../../../src/agent/net_guard.ts";
import { testContext, text, within } from "./_ctx.ts";

const PAGE = `<!doctype html><html><head><title>Hello &amp; bye</title><style>.x{}</style></head>
<body><nav>menu</nav><h1>Heading</h1><p>Some <b>bold</b> text with a <a href="/next">link</a>.</p>
<script>alert(1)</script><ul><li>one</li><li>two</li></ul></body></html>`;

/** A local server: `/page`, `/big`, `/slow`, `/redirect`, `/loop`, `/bin`, `/404`. */
function serve() {
  const pending = new Set<() => void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/page") {
      return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    if (path === "/big") {
      return new Response("z".repeat(500_000), { headers: { "content-type": "text/plain" } });
    }
    if (path === "/redirect") {
      return new Response(null, { status: 302, headers: { location: "/page" } });
    }
    if (path === "/loop") {
      return new Response(null, { status: 302, headers: { location: "/loop" } });
    }
    if (path === "/bin") {
      return new Response(new Uint8Array(10), { headers: { "content-type": "image/png" } });
    }
    if (path === "/404") {
      return new Response("gone", { status: 404, headers: { "content-type": "text/plain" } });
    }
    if (path === "/slow") {
      // Never answers until the test closes the server.
      return new Promise<Response>((resolve) => pending.add(() => resolve(new Response("late"))));
    }
    return new Response("not found", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    base,
    async close() {
      for (const p of pending) p();
      await server.shutdown();
    },
  };
}

function tool(
  overrides: NonNullable<NonNullable<Parameters<typeof fetchSettings>[0]>["web"]>["fetch"] = {},
) {
  return createWebFetchTool({
    settings: fetchSettings({ web: { fetch: { allowPrivateNetwork: true, ...overrides } } }),
  });
}

Deno.test("web_fetch() extracts readable markdown and text from HTML, following redirects", async () => {
  const srv = serve();
  try {
    const r = await tool().execute({ url: `${srv.base}/redirect` }, testContext("/"));
    assert.equal(r.isError, undefined);
    const d = r.details!;
    assert.equal(d.status, 200);
    assert.equal(d.finalUrl, `${srv.base}/page`);
    assert.equal(d.title, "Hello & bye");
    const body = d.text as string;
    assert.match(body, /^<<<EXTERNAL_UNTRUSTED_CONTENT/);
    assert.match(body, /# Heading/);
    assert.match(body, /Some \*\*bold\*\* text with a \[link\]\(\/next\)\./);
    assert.match(body, /- one\n- two/);
    assert.ok(!body.includes("alert(1)") && !body.includes("menu"));
    assert.deepEqual(d.externalContent, { untrusted: true, source: "web_fetch", wrapped: true });
    const t = await tool().execute(
      { url: `${srv.base}/page`, extractMode: "text" },
      testContext("/"),
    );
    assert.ok(!(t.details!.text as string).includes("**"));
    const loop = await tool().execute({ url: `${srv.base}/loop` }, testContext("/"));
    assert.match(text(loop), /Too many redirects \(over 3\)/);
  } finally {
    await srv.close();
  }
});

Deno.test("web_fetch() caps the bytes it reads and the characters it returns", async () => {
  const srv = serve();
  try {
    const r = await tool({ maxBytes: 10_000 }).execute(
      { url: `${srv.base}/big` },
      testContext("/"),
    );
    assert.equal(r.details!.rawLength, 10_000);
    assert.equal(r.details!.truncated, true);
    const c = await tool().execute({ url: `${srv.base}/big`, maxChars: 100 }, testContext("/"));
    assert.equal(c.details!.length, 100);
    assert.equal(c.details!.truncated, true);
  } finally {
    await srv.close();
  }
});

Deno.test("web_fetch() gives up after its timeout", async () => {
  const srv = serve();
  try {
    const started = Date.now();
    const r = await within(
      tool({ timeoutSeconds: 1 }).execute({ url: `${srv.base}/slow` }, testContext("/")),
      5000,
      "web_fetch of a server that never answers",
    );
    assert.ok(Date.now() - started < 4000);
    assert.equal(r.isError, true);
    assert.match(text(r), /timed out after 1 s/);
  } finally {
    await srv.close();
  }
});

Deno.test("web_fetch() refuses non-http schemes, loopback by default, binary bodies, and reports HTTP errors", async () => {
  const srv = serve();
  try {
    const ctx = testContext("/");
    for (const url of ["file:///etc/passwd", "ftp://example.com/x", "data:text/plain,hi"]) {
      const r = await tool().execute({ url }, ctx);
      assert.equal(r.isError, true, url);
      assert.match(text(r), /web_fetch only fetches http and https/);
    }
    const guarded = createWebFetchTool({ settings: fetchSettings(undefined) });
    for (
      const url of [
        `${srv.base}/page`,
        "http://localhost:1/",
        "http://[::1]:1/",
        "http://10.0.0.1/",
      ]
    ) {
      const r = await guarded.execute({ url }, ctx);
      assert.equal(r.isError, true, url);
      assert.match(
        text(r),
        /Private and loopback destinations need tools\.web\.fetch\.allowPrivateNetwork/,
      );
    }
    // A public-looking name that resolves to loopback is refused too.
    const rebind = createWebFetchTool({
      settings: fetchSettings(undefined),
      resolveHost: () => Promise.resolve(["93.184.216.34", "127.0.0.1"]),
    });
    const rb = await rebind.execute({ url: "http://example.test/" }, ctx);
    assert.match(text(rb), /resolves to the private address 127\.0\.0\.1/);
    const bin = await tool().execute({ url: `${srv.base}/bin` }, ctx);
    assert.match(text(bin), /Unsupported content type "image\/png"/);
    const nf = await tool().execute({ url: `${srv.base}/404` }, ctx);
    assert.equal(nf.isError, true);
    assert.match(text(nf), /failed: HTTP 404/);
  } finally {
    await srv.close();
  }
});

Deno.test("isPrivateAddress() knows private, loopback, link-local and mapped ranges", () => {
  for (
    const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "64:ff9b::a00:1",
      "2002:7f00:1::",
      "::",
      "ff02::1",
    ]
  ) {
    assert.equal(isPrivateAddress(ip), true, ip);
  }
  for (
    const ip of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:5db8:d822", "172.32.0.1"]
  ) {
    assert.equal(isPrivateAddress(ip), false, ip);
  }
});

Deno.test("isPrivateUrl() judges local names and private literals without DNS", () => {
  for (
    const url of [
      "http://localhost:11434",
      "http://127.0.0.1:8080/v1",
      "http://[::1]:1234",
      "http://10.0.0.5",
      "http://100.101.102.103:11434",
      "http://gpu.local/v1",
      "http://ollama.internal",
    ]
  ) {
    assert.equal(isPrivateUrl(url), true, url);
  }
  for (
    const url of ["https://api.openai.com/v1", "http://8.8.8.8", "not a url", "http://172.32.0.1"]
  ) {
    assert.equal(isPrivateUrl(url), false, url);
  }
});
