import assert from "node:assert/strict";
import { RawWs } from "../_helpers/raw_ws.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { authJson, base, fetchT, startHttpGateway, TEST_TOKEN } from "./_http_gateway.ts";

function assertSecurityHeaders(res: Response, where: string): void {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", where);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer", where);
  assert.equal(res.headers.get("permissions-policy"), "camera=(), geolocation=()", where);
}

const CHAT = "/v1/chat/completions";
const hello = JSON.stringify({ messages: [{ role: "user", content: "hello" }] });

Deno.test("http api: 401 for a missing or wrong bearer, OpenAI envelope, security headers", async () => {
  await using fx = await startHttpGateway();
  for (const [path, body] of [[CHAT, hello], ["/v1/responses", '{"input":"x"}']]) {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: TEST_TOKEN },
    ];
    for (const headers of variants) {
      const res = await fetchT(`${base(fx)}${path}`, { method: "POST", headers, body });
      assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
      assertSecurityHeaders(res, path);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      assert.deepEqual(await res.json(), {
        error: { message: "Unauthorized", type: "unauthorized" },
      });
    }
  }
  const tools = await fetchT(`${base(fx)}/tools/invoke`, { method: "POST", body: "{}" });
  assert.equal(tools.status, 401);
  await tools.body?.cancel();
  assert.equal(fx.provider.chatRequests().length, 0);
});

Deno.test("http api: the password works as bearer in password mode", async () => {
  await using fx = await startHttpGateway({
    extra: { gateway: { auth: { mode: "password", password: "pw-0123456789abcdef" } } },
  });
  const res = await fetchT(`${base(fx)}${CHAT}`, {
    method: "POST",
    headers: authJson("pw-0123456789abcdef"),
    body: hello,
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("http api: wrong bearers lock the address out (429 + Retry-After), shared with the WebSocket", async () => {
  await using fx = await startHttpGateway({
    extra: {
      gateway: {
        auth: {
          token: TEST_TOKEN,
          rateLimit: { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false },
        },
      },
    },
  });
  // Two failures over HTTP, one over the WebSocket: one limiter.
  for (let i = 0; i < 2; i++) {
    const res = await fetchT(`${base(fx)}${CHAT}`, {
      method: "POST",
      headers: authJson("wrong"),
      body: hello,
    });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  const ws = await RawWs.open(fx.gw.url);
  const refused = await ws.handshake({ auth: { token: "wrong" } });
  assert.equal(refused.ok, false);
  await ws.closed;
  const locked = await fetchT(`${base(fx)}${CHAT}`, {
    method: "POST",
    headers: authJson(),
    body: hello,
  });
  assert.equal(locked.status, 429, "the right token is refused during a lockout");
  const retry = Number(locked.headers.get("retry-after"));
  assert.ok(retry > 50 && retry <= 60, `Retry-After ${retry}`);
  assert.deepEqual(await locked.json(), {
    error: {
      message: "Too many failed authentication attempts. Please try again later.",
      type: "rate_limited",
    },
  });
  assertSecurityHeaders(locked, "429");
});

Deno.test("http api: 405 with Allow for another method", async () => {
  await using fx = await startHttpGateway();
  for (
    const [method, path, allow] of [
      ["GET", CHAT, "POST"],
      ["PUT", "/v1/responses", "POST"],
      ["GET", "/tools/invoke", "POST"],
      ["POST", "/v1/models", "GET"],
      ["GET", "/hooks/wake", "POST"],
      ["POST", "/readyz", "GET, HEAD"],
    ]
  ) {
    const res = await fetchT(`${base(fx)}${path}`, { method, headers: authJson() });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
    assert.equal(await res.text(), "Method Not Allowed");
    assertSecurityHeaders(res, path);
  }
});

Deno.test("http api: 413 for a body over the cap, with or without Content-Length", async () => {
  await using fx = await startHttpGateway();
  const declared = await fetchT(`${base(fx)}/tools/invoke`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({ tool: "sessions_list", args: { pad: "x".repeat(3 * 1024 * 1024) } }),
  });
  assert.equal(declared.status, 413);
  assert.deepEqual(await declared.json(), {
    error: { message: "Payload too large", type: "invalid_request_error" },
  });
  // A chunked body (no Content-Length) is cut off at the cap as it streams in.
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= 32 * 1024 * 1024) return c.close();
      sent += chunk.byteLength;
      c.enqueue(chunk);
    },
  });
  const streamed = await fetchT(`${base(fx)}/tools/invoke`, {
    method: "POST",
    headers: authJson(),
    body,
  }).catch((err) => err as Error);
  if (streamed instanceof Response) {
    assert.equal(streamed.status, 413);
    await streamed.body?.cancel();
  }
  assert.ok(sent < 32 * 1024 * 1024, `the gateway read the whole body (${sent} bytes sent)`);
});

Deno.test("http api: 400 names the bad field", async () => {
  await using fx = await startHttpGateway();
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetchT(`${base(fx)}${CHAT}`, {
      method: "POST",
      headers: { ...authJson(), ...headers },
      body,
    });
  const cases: Array<[string, RegExp, Record<string, string>?]> = [
    ["{not json", /^Invalid JSON body/],
    ["[1]", /expected a JSON object/],
    ['{"messages":[]}', /^Missing user message in `messages`\.$/],
    ['{"messages":[{"role":"assistant","content":"x"}]}', /^Missing user message/],
    ['{"messages":[{"role":"wizard","content":"x"}]}', /messages\[0\]\.role/],
    [
      '{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}',
      /^Invalid image_url content in `messages`\./,
    ],
    [
      '{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@@"}}]}]}',
      /^Invalid image_url content in `messages`\./,
    ],
    [JSON.stringify({ messages: [{ role: "user", content: "x" }], temperature: 3 }), /temperature/],
    [JSON.stringify({ messages: [{ role: "user", content: "x" }], top_p: -1 }), /top_p/],
    [
      JSON.stringify({
        messages: [{ role: "user", content: "x" }],
        stop: ["a", "b", "c", "d", "e"],
      }),
      /stop/,
    ],
    [
      JSON.stringify({ messages: [{ role: "user", content: "x" }], model: "openclaw/nobody" }),
      /Unknown agent "nobody"/,
    ],
    [hello, /reserved/, { "x-openclaw-session-key": "cron:job-1" }],
    [hello, /Invalid agent id/, { "x-openclaw-agent-id": "../etc" }],
  ];
  for (const [body, re, headers] of cases) {
    const res = await post(body, headers);
    assert.equal(res.status, 400, body);
    const err = (await res.json()).error;
    assert.equal(err.type, "invalid_request_error", body);
    assert.match(err.message, re, body);
  }
  assert.equal(fx.provider.chatRequests().length, 0, "no run for a bad request");
});

Deno.test("http api: the OpenAI endpoints are 404 until enabled; hooks 404 until enabled", async () => {
  await using gw = await startTestGateway();
  const url = `http://127.0.0.1:${gw.port}`;
  for (
    const [method, path] of [
      ["POST", CHAT],
      ["GET", "/v1/models"],
      ["POST", "/v1/responses"],
      ["POST", "/hooks/wake"],
    ]
  ) {
    const res = await fetchT(`${url}${path}`, {
      method,
      headers: authJson(),
      body: method === "POST" ? hello : undefined,
    });
    assert.equal(res.status, 404, path);
    assertSecurityHeaders(res, path);
    await res.body?.cancel();
  }
});

Deno.test("http api: a run failure is a 500 api_error without the provider's details", async () => {
  await using fx = await startHttpGateway({
    extra: { agents: { defaults: { timeoutSeconds: 5 } } },
  });
  fx.provider.script([{ status: 401 }]);
  const res = await fetchT(`${base(fx)}${CHAT}`, {
    method: "POST",
    headers: authJson(),
    body: hello,
  });
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: { message: "internal error", type: "api_error" } });
});
