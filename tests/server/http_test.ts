import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

function assertSecurityHeaders(res: Response): void {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  assert.ok(res.headers.get("permissions-policy"));
}

Deno.test("http GET /health answers 200 JSON ok with security headers", async () => {
  await using gw = await startTestGateway();
  for (const path of ["/health", "/healthz"]) {
    const res = await fetch(`http://127.0.0.1:${gw.port}${path}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assertSecurityHeaders(res);
    const body = await res.json();
    assert.equal(body.ok, true);
  }
});

Deno.test("http answers 404 on an unknown path and 405 on POST /health", async () => {
  await using gw = await startTestGateway();
  const missing = await fetch(`http://127.0.0.1:${gw.port}/nope`);
  assert.equal(missing.status, 404);
  assertSecurityHeaders(missing);
  await missing.body?.cancel();
  const post = await fetch(`http://127.0.0.1:${gw.port}/health`, { method: "POST" });
  assert.equal(post.status, 405);
  await post.body?.cancel();
});

Deno.test("http and the WebSocket share one port", async () => {
  await using gw = await startTestGateway();
  await using ws = await RawWs.connect(`ws://127.0.0.1:${gw.port}/`);
  const res = await fetch(`http://127.0.0.1:${gw.port}/health`);
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal((await ws.request("health", {})).ok, true);
});
