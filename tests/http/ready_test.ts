import assert from "node:assert/strict";
import { AuthRateLimiter, DEFAULT_RATE_LIMIT } from "../../src/server/auth.ts";
import { createHttpApi, type Readiness } from "../../src/http/mod.ts";
import type { Logger } from "../../src/log/logger.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { fetchT } from "./_http_gateway.ts";

Deno.test("GET /ready and /readyz answer 200 with details to a loopback caller once started", async () => {
  await using gw = await startTestGateway();
  const url = `http://127.0.0.1:${gw.port}`;
  // The agent engine finishes its start asynchronously: wait (bounded) for it.
  let res: Response | undefined;
  for (let i = 0; i < 100; i++) {
    res = await fetchT(`${url}/ready`);
    if (res.status === 200) break;
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(res?.status, 200);
  assert.deepEqual(await res!.json(), { ready: true, status: "started", checks: [] });
  const z = await fetchT(`${url}/readyz`, { method: "HEAD" });
  assert.equal(z.status, 200);
  assert.equal(z.headers.get("x-content-type-options"), "nosniff");
  const startup = await fetchT(`${url}/startupz`);
  assert.deepEqual(await startup.json(), { status: "started" });
});

/** A real server on port 0 in front of the API, with a readiness the test sets. */
function serveApi(state: { current: Readiness }, remoteIp: string) {
  const quiet: Logger = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    debugEnabled: false,
    child: () => quiet,
  };
  const api = createHttpApi({
    config: () => ({}),
    auth: () => ({ mode: "token", token: TEST_TOKEN }),
    limiter: new AuthRateLimiter(DEFAULT_RATE_LIMIT),
    readiness: () => state.current,
    log: quiet,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) =>
      (await api(req, { remoteIp, url: new URL(req.url) })) ??
        new Response("Not Found", { status: 404 }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("/ready is 503 while starting, draining, or a channel is not ready", async () => {
  const state: { current: Readiness } = { current: { phase: "starting", checks: [] } };
  await using srv = serveApi(state, "127.0.0.1");
  const get = async () => {
    const r = await fetchT(`${srv.url}/readyz`);
    return { status: r.status, body: await r.json(), retry: r.headers.get("retry-after") };
  };
  assert.deepEqual(await get(), {
    status: 503,
    body: { ready: false, status: "starting", checks: [] },
    retry: "1",
  });
  state.current = {
    phase: "started",
    checks: [{ name: "telegram", ok: false, detail: "polling stopped" }],
  };
  const channel = await get();
  assert.equal(channel.status, 503);
  assert.deepEqual(channel.body.checks, [{
    name: "telegram",
    ok: false,
    detail: "polling stopped",
  }]);
  state.current = { phase: "started", checks: [{ name: "telegram", ok: true }] };
  assert.equal((await get()).status, 200);
  state.current = { phase: "draining", checks: [] };
  assert.deepEqual((await get()).body, { ready: false, status: "draining", checks: [] });
  const startup = await fetchT(`${srv.url}/startup`);
  assert.equal(startup.status, 503);
  assert.deepEqual(await startup.json(), { status: "draining" });
});

Deno.test("/ready gives a remote caller details only with the gateway token", async () => {
  const state: { current: Readiness } = {
    current: { phase: "started", checks: [{ name: "whatsapp", ok: false, detail: "logged out" }] },
  };
  await using srv = serveApi(state, "203.0.113.9");
  const anon = await fetchT(`${srv.url}/ready`);
  assert.equal(anon.status, 503);
  assert.deepEqual(await anon.json(), { ready: false });
  const wrong = await fetchT(`${srv.url}/ready`, { headers: { authorization: "Bearer nope" } });
  assert.deepEqual(await wrong.json(), { ready: false });
  const authed = await fetchT(`${srv.url}/ready`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  assert.equal(authed.status, 503);
  assert.equal((await authed.json()).checks[0].detail, "logged out");
});

Deno.test("the gateway answers /ready 503 while it drains", async () => {
  await using gw = await startTestGateway();
  const url = `http://127.0.0.1:${gw.port}`;
  // Hold a socket open so stop() waits (bounded) for it: /ready must say draining meanwhile.
  const held = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
  const ws = new WebSocket(gw.url);
  await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)));
  ws.onclose = () => {};
  const stopping = gw.proc.instance.stop({ reason: "test drain" });
  const res = await fetchT(`${url}/ready`).catch((e) => e as Error);
  held.close();
  await stopping;
  if (res instanceof Error) throw res;
  assert.equal(res.status, 503);
  assert.equal((await res.json()).status, "draining");
});
