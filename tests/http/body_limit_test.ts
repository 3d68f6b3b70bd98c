import assert from "node:assert/strict";
import { authJson, base, fetchT, startHttpGateway } from "./_http_gateway.ts";
import { ANONYMOUS_BODY_BYTES, requestBodyLimit } from "../../src/http/body_limit.ts";
import { httpSettings } from "../../src/http/mod.ts";
import type { AuthSettings } from "../../src/server/auth.ts";

const TOKEN = "a-gateway-token-of-32-characters";
const auth: AuthSettings = { mode: "token", token: TOKEN };
const settings = httpSettings({
  gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } },
  hooks: { enabled: true, token: "a-hooks-token-of-32-characters!!" },
});
const head = (target: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  target,
  headers: new Headers(headers),
});

Deno.test("requestBodyLimit() gives the route's cap only to a caller with the secret", () => {
  const limit = (target: string, headers?: Record<string, string>) =>
    requestBodyLimit(head(target, headers), { settings, auth });
  assert.equal(
    limit("/v1/chat/completions", { authorization: `Bearer ${TOKEN}` }),
    20 * 1024 * 1024,
  );
  assert.equal(limit("/v1/chat/completions"), ANONYMOUS_BODY_BYTES);
  assert.equal(
    limit("/v1/chat/completions", { authorization: "Bearer wrong" }),
    ANONYMOUS_BODY_BYTES,
  );
  assert.equal(
    limit("/somewhere/else", { authorization: `Bearer ${TOKEN}` }),
    ANONYMOUS_BODY_BYTES,
  );
  // Hooks take their own token, never the gateway's.
  assert.equal(
    limit("/hooks/agent", { authorization: `Bearer ${TOKEN}` }) <= ANONYMOUS_BODY_BYTES,
    true,
  );
  assert.equal(
    limit("/hooks/agent", { "x-openclaw-token": "a-hooks-token-of-32-characters!!" }),
    settings.hooks.maxBodyBytes,
  );
});

Deno.test("http api: a 2 MiB chat body is read for the token holder and refused (413) to anyone else", async () => {
  await using fx = await startHttpGateway();
  const big = JSON.stringify({
    model: "openclaw",
    messages: [{ role: "user", content: "x".repeat(2 * 1024 * 1024) }],
    temperature: 9,
  });
  const anon = await fetchT(`${base(fx)}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: big,
  });
  assert.equal(anon.status, 413);
  assert.deepEqual(await anon.json(), {
    error: { message: "Payload too large", type: "invalid_request_error" },
  });
  // The holder's body is read and parsed: the out-of-range temperature is what it hears about.
  const authed = await fetchT(`${base(fx)}/v1/chat/completions`, {
    method: "POST",
    headers: authJson(),
    body: big,
  });
  assert.equal(authed.status, 400);
  assert.match(JSON.stringify(await authed.json()), /temperature/);
});
