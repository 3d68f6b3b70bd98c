import assert from "node:assert/strict";
import { errorDetail, errorKind, userFacingError } from "../../../src/agent/providers/mod.ts";
import { ProviderError } from "../../../src/agent/types.ts";

const err = (reason: ProviderError["reason"], message: string, status?: number) =>
  new ProviderError(message, { provider: "stub", model: "stub-model", reason, status });

Deno.test("userFacingError() matches the captured HTTP 500 and no-credential texts", () => {
  assert.equal(
    userFacingError(err("server_error", "500 stub forced failure", 500)),
    "⚠️ stub/stub-model request failed (provider internal error, HTTP 500). This is usually temporary — try again shortly.",
  );
  const auth = "No route-compatible authentication source is configured for openai.";
  assert.equal(userFacingError(err("auth", auth)), auth);
  assert.match(userFacingError(err("rate_limit", "429 slow down", 429)), /rate limited, HTTP 429/);
  assert.equal(
    userFacingError(err("aborted", "This operation was aborted")),
    "This operation was aborted",
  );
});

Deno.test("errorDetail() and errorKind() carry the failover reason, status and a bounded preview", () => {
  const e = err("rate_limit", "429 " + "x".repeat(400), 429);
  const d = errorDetail(e);
  assert.equal(d.failoverReason, "rate_limit");
  assert.equal(d.httpStatus, 429);
  assert.equal((d.providerErrorMessagePreview as string).length, 300);
  assert.equal(errorKind(e), "rate_limit");
  assert.equal(errorKind(err("timeout", "t")), "timeout");
  assert.equal(errorKind(err("server_error", "500 x", 500)), "unknown");
  assert.equal("httpStatus" in errorDetail(err("timeout", "t")), false);
});
