import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

Deno.test("hello-ok and health keep host paths from clients without operator.read", async () => {
  await using gw = await startTestGateway();
  const home = gw.home;
  await using bare = await RawWs.open(gw.url);
  const hello = await bare.handshake({ scopes: [] });
  assert.equal(hello.ok, true);
  const snap = hello.payload.snapshot;
  assert.equal(snap.configPath, undefined);
  assert.equal(snap.stateDir, undefined);
  assert.ok(!JSON.stringify(hello.payload).includes(home), "hello-ok names the home folder");
  const health = await bare.request("health", {});
  assert.equal(health.ok, true);
  assert.ok(!JSON.stringify(health.payload).includes(home), "health names the home folder");

  // A node holds no scopes either.
  await using node = await RawWs.open(gw.url);
  const nodeHello = await node.handshake({ role: "node", scopes: undefined });
  assert.ok(!JSON.stringify(nodeHello.payload).includes(home));

  // Readers still get them.
  await using reader = await RawWs.open(gw.url);
  const full = await reader.handshake({ scopes: ["operator.read"] });
  assert.equal(full.payload.snapshot.configPath.startsWith(home), true);
  const fullHealth = await reader.request("health", {});
  assert.equal(fullHealth.payload.config.path.startsWith(home), true);
});

Deno.test("the health event reaches scope-less clients without host paths", async () => {
  await using gw = await startTestGateway();
  await using bare = await RawWs.connect(gw.url, { scopes: [], minProtocol: 3, maxProtocol: 3 });
  await using reader = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  gw.proc.instance.refreshHealth();
  const limited = await bare.nextEvent("health");
  const full = await reader.nextEvent("health");
  assert.equal(limited.payload.config.path, "");
  assert.equal(limited.payload.sessions.path, "");
  assert.ok(full.payload.config.path.startsWith(gw.home));
  assert.equal(typeof limited.seq, "number");
});

Deno.test("auth lockouts survive an in-process restart", async () => {
  await using gw = await startTestGateway();
  const origin = { origin: `http://127.0.0.1:${gw.port}` };
  for (let i = 0; i < 10; i++) {
    await using ws = await RawWs.open(gw.url, { headers: origin });
    await ws.handshake({ auth: { token: `guess-${i}` } });
  }
  await gw.proc.restart("test");
  // The lockout is keyed by address, not by port: a new port changes nothing.
  await using after = await RawWs.open(gw.url, {
    headers: { origin: `http://127.0.0.1:${gw.port}` },
  });
  const res = await after.handshake();
  assert.equal(res.error?.details?.code, "AUTH_RATE_LIMITED");
});
