import assert from "node:assert/strict";
import { checkOrigin, normalizeOrigin } from "../../src/server/origin.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { rawUpgradeStatus, RawWs } from "../_helpers/raw_ws.ts";

const h = (o: Record<string, string>) => new Headers(o);

Deno.test("checkOrigin() admits no Origin, the gateway's own address and listed origins", () => {
  assert.deepEqual(checkOrigin(h({ host: "127.0.0.1:18789" }), []), { ok: true });
  assert.deepEqual(
    checkOrigin(h({ host: "127.0.0.1:18789", origin: "http://127.0.0.1:18789" }), []),
    { ok: true, browser: "http://127.0.0.1:18789" },
  );
  assert.equal(checkOrigin(h({ host: "localhost:1", origin: "http://LOCALHOST:1" }), []).ok, true);
  assert.equal(
    checkOrigin(h({ host: "x:1", origin: "https://ui.example" }), ["https://UI.example/"]).ok,
    true,
  );
});

Deno.test("checkOrigin() refuses other sites, other ports and DNS names (rebinding)", () => {
  const host = "127.0.0.1:18789";
  assert.equal(checkOrigin(h({ host, origin: "https://evil.example" }), []).ok, false);
  assert.equal(checkOrigin(h({ host, origin: "http://127.0.0.1:8080" }), []).ok, false);
  assert.equal(checkOrigin(h({ host, origin: "null" }), []).ok, false);
  // A page on evil.example whose name now resolves to 127.0.0.1: Host matches Origin.
  const rebinding = h({ host: "evil.example:18789", origin: "http://evil.example:18789" });
  assert.equal(checkOrigin(rebinding, []).ok, false);
  assert.equal(normalizeOrigin("file:///x"), undefined);
});

Deno.test("upgrade from a foreign browser origin is refused with 403 before any guess", async () => {
  await using gw = await startTestGateway();
  const status = await rawUpgradeStatus(gw.port, { headers: { Origin: "https://evil.example" } });
  assert.match(status, /^HTTP\/1\.1 403/);
  await assert.rejects(RawWs.open(gw.url, { headers: { origin: "https://evil.example" } }));
  // The gateway's own origin and clients without Origin are served.
  await using own = await RawWs.connect(gw.url, {}, { origin: `http://127.0.0.1:${gw.port}` });
  assert.equal((await own.request("health", {})).ok, true);
  await using cli = await RawWs.connect(gw.url);
  assert.equal((await cli.request("health", {})).ok, true);
});

Deno.test("gateway.controlUi.allowedOrigins admits a listed origin", async () => {
  await using gw = await startTestGateway({
    config: {
      gateway: {
        mode: "local",
        auth: { token: TEST_TOKEN },
        controlUi: { allowedOrigins: ["https://ui.example"] },
      },
    },
  });
  await using ws = await RawWs.connect(gw.url, {}, { origin: "https://ui.example" });
  assert.equal((await ws.request("health", {})).ok, true);
});

Deno.test("wrong secrets from a browser origin are rate-limited on loopback; the CLI is not", async () => {
  await using gw = await startTestGateway();
  const origin = { origin: `http://127.0.0.1:${gw.port}` };
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < 11; i++) {
    await using ws = await RawWs.open(gw.url, { headers: origin });
    const res = await ws.handshake({ auth: { token: `guess-${i}` } });
    codes.push(res.error?.details?.code);
  }
  assert.deepEqual(codes.slice(0, 10), Array(10).fill("AUTH_TOKEN_MISMATCH"));
  assert.equal(codes[10], "AUTH_RATE_LIMITED");
  // Even the right secret waits out the lockout from that page...
  await using late = await RawWs.open(gw.url, { headers: origin });
  assert.equal((await late.handshake()).error?.details?.code, "AUTH_RATE_LIMITED");
  // ...while the local CLI (no Origin) is neither counted nor locked out.
  await using cli = await RawWs.connect(gw.url);
  assert.equal((await cli.request("health", {})).ok, true);
});

Deno.test('auth.mode "none" never admits a browser-origin connection', async () => {
  await using gw = await startTestGateway({
    config: { gateway: { mode: "local", auth: { mode: "none" } } },
  });
  const own = `http://127.0.0.1:${gw.port}`;
  assert.match(await rawUpgradeStatus(gw.port, { headers: { Origin: own } }), /^HTTP\/1\.1 403/);
  await using cli = await RawWs.connect(gw.url, { auth: undefined });
  assert.equal((await cli.request("health", {})).ok, true);
});

Deno.test("upgrade is refused on POST (405) and on Sec-WebSocket-Version 8 (426)", async () => {
  await using gw = await startTestGateway();
  assert.match(await rawUpgradeStatus(gw.port, { method: "POST" }), /^HTTP\/1\.1 405/);
  assert.match(
    await rawUpgradeStatus(gw.port, { headers: { "Sec-WebSocket-Version": "8" } }),
    /^HTTP\/1\.1 426/,
  );
  assert.match(await rawUpgradeStatus(gw.port), /^HTTP\/1\.1 101/);
});
