import assert from "node:assert/strict";
import { GatewayClient } from "../../src/client/gateway_client.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import {
  freePort,
  recordEvents,
  reloadConfig,
  saveLikeEditor,
  startReloadGateway,
  waitUntil,
} from "../_helpers/reload.ts";
import { within } from "../_helpers/limit.ts";

const RESTART_ON = { commands: { restart: true } };

function count(lines: string[], re: RegExp): number {
  return lines.filter((l) => re.test(l)).length;
}

Deno.test("reload on a port change sends shutdown and listens on the new port in the same process", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const proc = gw.proc;
  const before = proc.instance;
  const client = await gw.connect();
  const events = recordEvents(client);
  const newPort = freePort();
  await saveLikeEditor(gw.configPath, reloadConfig(newPort));
  const closed = await within(client.closed, 10_000, "the close");
  assert.equal(closed.code, 1012);
  const shutdown = events.find((e) => e.event === "shutdown");
  assert.deepEqual(shutdown?.payload, {
    reason: "config change (gateway.port)",
    restartExpectedMs: 1500,
  });
  await waitUntil(() => gw.proc.instance !== before && gw.proc.instance.port === newPort, "rebind");
  assert.equal(gw.proc, proc);
  const again = await GatewayClient.connect(`ws://127.0.0.1:${newPort}`, { token: TEST_TOKEN });
  const status = await again.request<{ pid: number; gateway: { port: number } }>("status", {});
  assert.equal(status.pid, Deno.pid);
  assert.equal(status.gateway.port, newPort);
  await again.close();
  // The old port is released.
  const probe = Deno.listen({ hostname: "127.0.0.1", port });
  probe.close();
});

Deno.test("SIGUSR1 is ignored when commands.restart is off, saying how to enable it", async () => {
  await using gw = await startReloadGateway();
  const client = await gw.connect();
  const events = recordEvents(client);
  const from = gw.lines.length;
  gw.signals.raise("SIGUSR1");
  assert.ok(
    gw.lines.slice(from).some((l) =>
      /SIGUSR1 ignored: .*set commands\.restart to true in the config/.test(l)
    ),
  );
  assert.equal((await client.request<{ ok: boolean }>("health", {})).ok, true);
  assert.equal(count(gw.lines, /restarting in process/), 0);
  assert.ok(!events.some((e) => e.event === "shutdown"));
  await client.close();
});

Deno.test("SIGUSR1 restarts in process when commands.restart is true", async () => {
  await using gw = await startReloadGateway({ config: reloadConfig(freePort(), RESTART_ON) });
  const before = gw.proc.instance;
  const client = await gw.connect();
  const events = recordEvents(client);
  gw.signals.raise("SIGUSR1");
  assert.equal((await within(client.closed, 10_000, "the 1012 close")).code, 1012);
  assert.deepEqual(events.find((e) => e.event === "shutdown")?.payload, {
    reason: "SIGUSR1",
    restartExpectedMs: 1500,
  });
  await gw.waitForLine(/restart complete/);
  assert.notEqual(gw.proc.instance, before);
  assert.equal(gw.proc.instance.port, before.port);
  const again = await gw.connect();
  assert.equal((await again.request<{ ok: boolean }>("health", {})).ok, true);
  await again.close();
});

Deno.test("SIGUSR1 twice in quick succession restarts once", async () => {
  await using gw = await startReloadGateway({ config: reloadConfig(freePort(), RESTART_ON) });
  const client = await gw.connect();
  const events = recordEvents(client);
  gw.signals.raise("SIGUSR1");
  gw.signals.raise("SIGUSR1");
  await gw.waitForLine(/restart complete/);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(count(gw.lines, /restarting in process/), 1);
  assert.equal(count(gw.lines, /restart already in progress; covers: SIGUSR1/), 1);
  assert.equal(events.filter((e) => e.event === "shutdown").length, 1);
  // A later SIGUSR1 is a new restart.
  gw.signals.raise("SIGUSR1");
  await waitUntil(() => count(gw.lines, /restart complete/) === 2, "a second restart");
  assert.equal(count(gw.lines, /restarting in process/), 2);
});

Deno.test("SIGUSR1 follows commands.restart turned on by a live reload", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const from = gw.lines.length;
  await saveLikeEditor(gw.configPath, reloadConfig(port, RESTART_ON));
  await gw.waitForLine(/config change \(file\): commands\.restart/, from);
  gw.signals.raise("SIGUSR1");
  await gw.waitForLine(/restart complete/, from);
  assert.equal(count(gw.lines.slice(from), /SIGUSR1 ignored/), 0);
});

Deno.test("SIGTERM stops gracefully with exit code 0 and no restart hint", async () => {
  await using gw = await startReloadGateway();
  const client = await gw.connect();
  const events = recordEvents(client);
  gw.signals.raise("SIGTERM");
  assert.equal(await within(gw.proc.done, 10_000, "the process to stop"), 0);
  await within(client.closed, 10_000, "the close");
  assert.deepEqual(events.find((e) => e.event === "shutdown")?.payload, { reason: "SIGTERM" });
});

Deno.test("a restart whose new port is taken falls back to the previous address", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const newPort = (taken.addr as Deno.NetAddr).port;
    const from = gw.lines.length;
    await saveLikeEditor(gw.configPath, reloadConfig(newPort));
    await gw.waitForLine(/listening on the previous address instead/, from, 8_000);
    await gw.waitForLine(/restart complete/, from);
    assert.equal(gw.proc.instance.port, port);
    const state = gw.proc.configState();
    // The file is fine; the rebind failed: health is degraded, the config is not invalid.
    assert.equal(state.valid, true);
    assert.match(
      state.lastReloadError ?? "",
      /^restart failed: Cannot bind 127\.0\.0\.1:\d+: port in use/,
    );
    const client = await gw.connect();
    const health = await client.request<{ ok: boolean; config: { valid: boolean } }>("health", {
      probe: true,
    });
    assert.equal(health.ok, false);
    assert.equal(health.config.valid, true);
    await client.close();
  } finally {
    taken.close();
  }
});

Deno.test("reload in restart mode restarts on any change, even a safe one", async () => {
  const port = freePort();
  const mode = { gateway: { reload: { mode: "restart", debounceMs: 50 } } };
  await using gw = await startReloadGateway({ config: reloadConfig(port, mode) });
  const client = await gw.connect();
  const events = recordEvents(client);
  await saveLikeEditor(gw.configPath, reloadConfig(port, { ...mode, hooks: { path: "/x1" } }));
  await gw.waitForLine(/restart complete/);
  assert.deepEqual(events.find((e) => e.event === "shutdown")?.payload, {
    reason: "config change (hooks.path)",
    restartExpectedMs: 1500,
  });
  assert.equal(gw.proc.instance.port, port);
});

Deno.test("SIGTERM during an in-process restart exits 0 without listening again", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port, RESTART_ON) });
  const client = await gw.connect();
  const from = gw.lines.length;
  gw.signals.raise("SIGUSR1");
  gw.signals.raise("SIGTERM");
  assert.equal(await within(gw.proc.done, 10_000, "the process to stop"), 0);
  await within(client.closed, 10_000, "the close");
  const after = gw.lines.slice(from);
  assert.equal(count(after, /restarting in process: SIGUSR1/), 1);
  assert.equal(count(after, /restart complete|listening on/), 0, after.join("\n"));
  // Nothing listens any more.
  const probe = Deno.listen({ hostname: "127.0.0.1", port });
  probe.close();
});

Deno.test("SIGTERM while a config.apply restart is pending exits 0 and never restarts", async () => {
  await using gw = await startReloadGateway();
  const client = await gw.connect();
  const { hash } = await client.request<{ hash: string }>("config.get", {});
  const raw = JSON.stringify(reloadConfig(gw.proc.instance.port, { meta: { n: 1 } }));
  await client.request("config.apply", { raw, baseHash: hash, restartDelayMs: 100 });
  gw.signals.raise("SIGTERM");
  assert.equal(await within(gw.proc.done, 10_000, "the process to stop"), 0);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(count(gw.lines, /restarting in process/), 0);
});

Deno.test("stop() asked again while stopping resolves only once stopped", async () => {
  await using gw = await startReloadGateway();
  let code: number | undefined;
  gw.proc.done.then((c) => (code = c));
  gw.signals.raise("SIGTERM");
  await gw.proc.stop("again");
  assert.equal(code, 0);
});
