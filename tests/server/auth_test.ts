import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs, type WireFrame } from "../_helpers/raw_ws.ts";
import { openClient } from "../_helpers/clients.ts";

const PASSWORD = "correct horse battery staple 42";
const WRONG = "wrong-token-9f8e7d6c5b4a39281706";

/** Offers `auth` on a fresh socket; returns the answer and the close. */
async function attempt(url: string, auth: Record<string, string> | undefined) {
  await using ws = await RawWs.open(url);
  const res: WireFrame = await ws.handshake({ auth });
  const closed = res.ok ? undefined : await ws.waitClosed();
  return { res, closed };
}

function tokenConfig(rateLimit?: Record<string, unknown>) {
  return {
    gateway: { mode: "local", auth: { token: TEST_TOKEN, ...(rateLimit && { rateLimit }) } },
  };
}

Deno.test("auth refuses a connect without a token: AUTH_TOKEN_MISSING, close 1008", async () => {
  await using gw = await startTestGateway();
  const { res, closed } = await attempt(gw.url, undefined);
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.details?.code, "AUTH_TOKEN_MISSING");
  assert.equal(closed?.code, 1008);
});

Deno.test("auth refuses a wrong token: AUTH_TOKEN_MISMATCH, close 1008", async () => {
  await using gw = await startTestGateway();
  const { res, closed } = await attempt(gw.url, { token: WRONG });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.details?.code, "AUTH_TOKEN_MISMATCH");
  assert.match(res.error!.message, /^unauthorized: gateway token mismatch/);
  assert.equal(closed?.code, 1008);
});

Deno.test("auth accepts the token in the password field", async () => {
  await using gw = await startTestGateway();
  const { res } = await attempt(gw.url, { password: TEST_TOKEN });
  assert.equal(res.ok, true, JSON.stringify(res.error));
});

Deno.test("auth in password mode accepts the password and refuses others", async () => {
  await using gw = await startTestGateway({
    config: { gateway: { mode: "local", auth: { mode: "password", password: PASSWORD } } },
  });
  await using client = await openClient(gw, { token: undefined, password: PASSWORD });
  assert.equal(client.hello.snapshot.authMode, "password");
  const wrong = await attempt(gw.url, { password: "not it" });
  assert.equal(wrong.res.error?.details?.code, "AUTH_PASSWORD_MISMATCH");
  assert.equal(wrong.closed?.code, 1008);
  const missing = await attempt(gw.url, undefined);
  assert.equal(missing.res.error?.details?.code, "AUTH_PASSWORD_MISSING");
});

Deno.test("auth mode none lets a loopback client in without credentials", async () => {
  await using gw = await startTestGateway({
    config: { gateway: { mode: "local", auth: { mode: "none" } } },
  });
  const { res } = await attempt(gw.url, undefined);
  assert.equal(res.ok, true, JSON.stringify(res.error));
  assert.equal(res.payload.snapshot.authMode, "none");
});

Deno.test("auth rate limit locks an address out after maxAttempts failures", async () => {
  await using gw = await startTestGateway({
    config: tokenConfig({
      maxAttempts: 3,
      windowMs: 60_000,
      lockoutMs: 60_000,
      exemptLoopback: false,
    }),
  });
  for (let i = 0; i < 3; i++) {
    const { res } = await attempt(gw.url, { token: WRONG });
    assert.equal(res.error?.details?.code, "AUTH_TOKEN_MISMATCH", `attempt ${i + 1}`);
  }
  const { res, closed } = await attempt(gw.url, { token: TEST_TOKEN });
  assert.equal(res.ok, false, "the right token must be refused during a lockout");
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.equal(res.error?.details?.code, "AUTH_RATE_LIMITED");
  assert.ok(res.error!.retryAfterMs! > 50_000 && res.error!.retryAfterMs! <= 60_000);
  assert.equal(closed?.code, 1008);
  // The operator can see why in the log.
  assert.ok(
    gw.lines.some((l) => /WARN .*auth: 127\.0\.0\.1 locked out for 60 s/.test(l)),
    gw.lines.join("\n"),
  );
});

Deno.test("auth rate limit does not count missing credentials", async () => {
  await using gw = await startTestGateway({
    config: tokenConfig({ maxAttempts: 3, exemptLoopback: false }),
  });
  for (let i = 0; i < 5; i++) {
    assert.equal((await attempt(gw.url, undefined)).res.error?.details?.code, "AUTH_TOKEN_MISSING");
  }
  assert.equal((await attempt(gw.url, { token: TEST_TOKEN })).res.ok, true);
});

Deno.test("auth rate limit exempts loopback by default", async () => {
  await using gw = await startTestGateway();
  for (let i = 0; i < 12; i++) {
    assert.equal(
      (await attempt(gw.url, { token: WRONG })).res.error?.details?.code,
      "AUTH_TOKEN_MISMATCH",
    );
  }
  const { res } = await attempt(gw.url, { token: TEST_TOKEN });
  assert.equal(res.ok, true, JSON.stringify(res.error));
});

Deno.test("auth never writes the token (or a wrong one) to the log file or console", async () => {
  await using gw = await startTestGateway({ verbose: true });
  assert.equal((await attempt(gw.url, { token: WRONG })).res.ok, false);
  assert.equal((await attempt(gw.url, { password: TEST_TOKEN })).res.ok, true);
  await using client = await openClient(gw);
  await client.request("status", {});
  const dir = gw.proc.paths.logDir;
  let logText = "";
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".log")) logText += await Deno.readTextFile(`${dir}/${entry.name}`);
  }
  // The records are there (so the check below looks at the right file)...
  assert.match(logText, /connect refused/);
  assert.match(logText, /AUTH_TOKEN_MISMATCH/);
  // ...and carry no secret.
  for (const secret of [TEST_TOKEN, WRONG]) {
    assert.ok(!logText.includes(secret), `secret in ${dir}`);
    assert.ok(!gw.lines.join("\n").includes(secret), "secret on the console");
  }
});
