/**
 * The HTTP API against browser attacks (QA 3): a page on another site, a
 * DNS-rebound `Host` while the gateway runs without auth, and cross-site
 * "simple" `text/plain` POSTs that skip the CORS preflight. Real gateway,
 * real sockets, the scripted provider (no run may reach it).
 */

import assert from "node:assert/strict";
import { authJson, base, fetchT, HOOK_TOKEN, startHttpGateway } from "./_http_gateway.ts";

const CHAT = "/v1/chat/completions";
const RUN_EXEC = JSON.stringify({
  model: "openclaw",
  messages: [{ role: "user", content: 'TOOLTEST:exec:{"command":"echo csrf-ran"}' }],
});
const NO_AUTH = {
  gateway: {
    mode: "local",
    auth: { mode: "none" },
    http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } },
  },
};

/** One raw HTTP/1.1 exchange, so `Host` can be anything; the status line and body. */
async function rawPost(
  port: number,
  head: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const lines = Object.entries({ ...head, "Content-Length": String(body.length) })
      .map(([k, v]) => `${k}: ${v}\r\n`).join("");
    await conn.write(
      new TextEncoder().encode(
        `POST ${CHAT} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n${body}`,
      ),
    );
    let out = "";
    const buf = new Uint8Array(65536);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const n = await Promise.race([
        conn.read(buf),
        new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now()))),
      ]);
      if (n === null) break;
      out += new TextDecoder().decode(buf.subarray(0, n));
    }
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0);
    return { status, body: out.slice(out.indexOf("\r\n\r\n") + 4) };
  } finally {
    conn.close();
  }
}

Deno.test("http api: a cross-site page cannot run the agent (auth none)", async () => {
  await using fx = await startHttpGateway({ extra: NO_AUTH });
  // The QA repro: text/plain + a foreign Origin, no preflight in a browser.
  const evil = await fetchT(`${base(fx)}${CHAT}`, {
    method: "POST",
    headers: {
      "content-type": "text/plain",
      origin: "http://evil.example",
      "sec-fetch-site": "cross-site",
    },
    body: RUN_EXEC,
  });
  assert.equal(evil.status, 403);
  const err = (await evil.json()).error;
  assert.equal(err.type, "forbidden");
  assert.match(err.message, /Origin "http:\/\/evil\.example" is not allowed/);
  assert.match(err.message, /gateway\.controlUi\.allowedOrigins/);

  // A foreign origin is refused on every API route, whatever the body type.
  for (const path of [CHAT, "/v1/responses", "/tools/invoke", "/v1/models"]) {
    const res = await fetchT(`${base(fx)}${path}`, {
      method: path === "/v1/models" ? "GET" : "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      ...(path === "/v1/models" ? {} : { body: "{}" }),
    });
    assert.equal(res.status, 403, path);
    await res.body?.cancel();
  }
  // Webhooks too (they keep their own token).
  const hook = await fetchT(`${base(fx)}/hooks/wake`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${HOOK_TOKEN}`,
      "content-type": "application/json",
      origin: "http://evil.example",
    },
    body: JSON.stringify({ text: "x" }),
  });
  assert.equal(hook.status, 403);
  assert.equal((await hook.json()).error.type, "forbidden");
  // Same-origin text/plain (no Origin check trips): the body type itself is refused.
  const plain = await fetchT(`${base(fx)}${CHAT}`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: RUN_EXEC,
  });
  assert.equal(plain.status, 415);
  assert.match((await plain.json()).error.message, /Content-Type "text\/plain".*application\/json/);
  assert.equal(fx.provider.chatRequests().length, 0, "no run reached the provider");

  // The gateway's own origin and non-browser clients still work.
  const own = await fetchT(`${base(fx)}/v1/models`, {
    headers: { origin: base(fx) },
  });
  assert.equal(own.status, 200);
  await own.body?.cancel();
});

Deno.test("http api: a DNS-rebound Host is refused without auth; loopback names are served", async () => {
  await using fx = await startHttpGateway({ extra: NO_AUTH });
  const body = JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] });
  const rebound = await rawPost(fx.gw.port, {
    Host: `attacker.example:${fx.gw.port}`,
    Origin: `http://attacker.example:${fx.gw.port}`,
    "Content-Type": "application/json",
  }, body);
  assert.equal(rebound.status, 403);
  assert.match(rebound.body, /not allowed|not served without auth/);
  // Same-origin GETs carry no Origin: the Host alone must be refused.
  const noOrigin = await rawPost(fx.gw.port, {
    Host: `attacker.example:${fx.gw.port}`,
    "Content-Type": "application/json",
  }, body);
  assert.equal(noOrigin.status, 403);
  assert.match(noOrigin.body, /Host \\"attacker\.example:\d+\\" is not served without auth/);
  assert.equal(fx.provider.chatRequests().length, 0);
  for (const host of [`127.0.0.1:${fx.gw.port}`, `localhost:${fx.gw.port}`]) {
    const ok = await rawPost(fx.gw.port, { Host: host, "Content-Type": "application/json" }, body);
    assert.equal(ok.status, 200, host);
  }
});

Deno.test("http api: with a token, any Host is served to the secret's holder", async () => {
  await using fx = await startHttpGateway();
  const res = await rawPost(fx.gw.port, {
    Host: "gateway.internal.example",
    ...authJson(),
  }, JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }));
  assert.equal(res.status, 200);
});
