import assert from "node:assert/strict";
import { GatewayCallError, type GatewayClient } from "../../src/client/gateway_client.ts";
import { sha256Hex } from "../../src/config/load.ts";
import { cliEnv, runCli, TEST_TOKEN } from "../_helpers/gateway.ts";
import {
  freePort,
  recordEvents,
  reloadConfig,
  saveLikeEditor,
  startReloadGateway,
  waitUntil,
} from "../_helpers/reload.ts";
import { within } from "../_helpers/limit.ts";

interface Health {
  ok: boolean;
  config: {
    valid: boolean;
    hash?: string;
    issues: { path: string; line?: number; message: string }[];
    lastReloadError?: string;
  };
}

/** Tracks whether a client's socket has closed. */
function watchClose(client: GatewayClient): { closed: boolean } {
  const state = { closed: false };
  client.closed.then(() => (state.closed = true));
  return state;
}

Deno.test("reload applies a safe edit without dropping connected clients", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const client = await gw.connect();
  const events = recordEvents(client);
  const socket = watchClose(client);
  const instance = gw.proc.instance;
  const from = gw.lines.length;
  const cfg = reloadConfig(port, {
    logging: { level: "debug" },
    hooks: { enabled: true, token: "hooks-token-0123456789abcdef" },
  });
  await Deno.writeTextFile(gw.configPath, JSON.stringify(cfg, null, 2));
  await gw.waitForLine(/config applied: set-log-level \(logging\.level\)/, from);
  await gw.waitForLine(/config applied: reload-hooks \(hooks\.enabled, hooks\.token\)/, from);
  assert.equal(socket.closed, false);
  assert.equal(gw.proc.instance, instance);
  assert.equal((await client.request<Health>("health", {})).ok, true);
  assert.ok(!events.some((e) => e.event === "shutdown"));
  // The new file log level is in force: a debug record now reaches the file.
  const other = await gw.connect();
  await other.close();
  const logFile = gw.proc.sink.currentFile()!;
  await waitUntil(
    async () => (await Deno.readTextFile(logFile)).includes('"level":"debug"'),
    "a debug record in the log file",
  );
  await client.close();
});

Deno.test("reload restarts on a token change: clients get shutdown then close 1012, only the new token connects", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const client = await gw.connect();
  // Events and the close in arrival order: the shutdown must come before the close.
  const order: string[] = [];
  client.onEvent((e) => order.push(`event:${e.event}`));
  const closed = client.closed.then((c) => (order.push(`close:${c.code}`), c));
  const rotated = "rotated-token-0123456789abcdef0123456789";
  const from = gw.lines.length;
  await saveLikeEditor(
    gw.configPath,
    reloadConfig(port, { gateway: { auth: { token: rotated } } }),
  );
  // gateway.auth.* needs a restart: the open socket is told, then closed 1012.
  assert.equal((await within(closed, 8_000, "the 1012 close")).code, 1012);
  const shutdownAt = order.indexOf("event:shutdown");
  assert.ok(shutdownAt >= 0, `no shutdown event: ${order.join(", ")}`);
  assert.ok(shutdownAt < order.indexOf("close:1012"), `out of order: ${order.join(", ")}`);
  // The new listener is up once the restart says so: no guessing with sleeps.
  await gw.waitForLine(/restart complete/, from, 8_000);
  const fresh = await gw.connect({ token: rotated, timeoutMs: 5_000 });
  await fresh.close();
  const refused = await gw.connect({ token: TEST_TOKEN, timeoutMs: 5_000 }).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(refused instanceof GatewayCallError, `old token still accepted: ${refused}`);
});

Deno.test("reload picks up an editor-style save (temp file renamed over the config)", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const from = gw.lines.length;
  const cfg = reloadConfig(port, { meta: { savedBy: "editor" } });
  await saveLikeEditor(gw.configPath, cfg);
  await gw.waitForLine(/config change \(file\): meta\.savedBy/, from);
  assert.equal(gw.proc.config.hash, await sha256Hex(JSON.stringify(cfg, null, 2)));
});

Deno.test("reload ignores a write that leaves the content unchanged", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const from = gw.lines.length;
  assert.deepEqual(await gw.proc.reloadConfig(), { status: "unchanged" });
  // Same bytes again, then a real change: changes are handled in order, so
  // when the real one is logged, the no-op write was seen and did nothing.
  await Deno.writeTextFile(gw.configPath, await Deno.readTextFile(gw.configPath));
  await new Promise((r) => setTimeout(r, 100));
  await saveLikeEditor(gw.configPath, reloadConfig(port, { meta: { n: 1 } }));
  await gw.waitForLine(/config change \(file\): meta\.n/, from);
  assert.deepEqual(
    gw.lines.slice(from).filter((l) => /config change/.test(l)).length,
    1,
  );
});

Deno.test("reload keeps the last good config on an invalid edit and reports file, line and key", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const client = await gw.connect();
  const socket = watchClose(client);
  const good = await Deno.readTextFile(gw.configPath);
  const goodHash = gw.proc.config.hash;
  const from = gw.lines.length;
  const bad = good.replace(`"port": ${port}`, `"port": "nope"`);
  const line = bad.split("\n").findIndex((l) => l.includes('"nope"')) + 1;
  await Deno.writeTextFile(gw.configPath, bad);
  const logged = await gw.waitForLine(/config reload skipped \(invalid config\)/, from);
  assert.ok(logged.includes(`openclaw.json:${line}: gateway.port: must be integer`), logged);

  const health = await waitUntil(async () => {
    const h = await client.request<Health>("health", { probe: true });
    return h.config.valid ? undefined : h;
  }, "health to show the invalid file");
  assert.equal(health.ok, false);
  assert.deepEqual(health.config.issues.map((i) => [i.path, i.line]), [["gateway.port", line]]);
  assert.match(health.config.lastReloadError ?? "", /running on the last good config/);
  assert.equal(health.config.hash, goodHash);
  assert.equal(gw.proc.config.hash, goodHash);
  assert.equal(socket.closed, false);
  // status shows the same issues, with key and line.
  const status = await client.request<{
    ok: boolean;
    config: { valid: boolean; issues: { path: string; line?: number }[]; lastReloadError?: string };
  }>("status", {});
  assert.equal(status.config.valid, false);
  assert.deepEqual(status.config.issues.map((i) => [i.path, i.line]), [["gateway.port", line]]);
  assert.match(status.config.lastReloadError ?? "", /last good config/);

  // The CLI shows it too, in health and in status.
  for (const command of ["health", "status"]) {
    const cli = await runCli(
      [command, "--url", gw.proc.instance.url, "--token", TEST_TOKEN],
      cliEnv(gw.home),
    );
    assert.match(cli.stdout, /Config: INVALID/);
    assert.match(cli.stdout, new RegExp(`gateway\\.port \\(line ${line}\\): must be integer`));
  }

  // Putting the good text back clears the problem (same hash as the config in force).
  await saveLikeEditor(gw.configPath, good);
  await waitUntil(
    async () => (await client.request<Health>("health", { probe: true })).config.valid,
    "health to be valid again",
  );
  assert.equal((await client.request<Health>("health", {})).ok, true);
  await client.close();
});

Deno.test("reload applies a fixed file after an invalid one and clears the problem", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const from = gw.lines.length;
  await Deno.writeTextFile(gw.configPath, "{ gateway: ");
  await gw.waitForLine(/config reload skipped \(invalid config\).*not valid JSON5/, from);
  assert.equal(gw.proc.configState().valid, false);
  const fixed = reloadConfig(port, { hooks: { path: "/fixed" } });
  await saveLikeEditor(gw.configPath, fixed);
  await gw.waitForLine(/config applied: reload-hooks \(hooks\.path\)/, from);
  assert.equal(gw.proc.configState().valid, true);
  assert.equal(gw.proc.config.hash, await sha256Hex(JSON.stringify(fixed, null, 2)));
});

Deno.test("reload reports a deleted config file and keeps running on the last good one", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const good = await Deno.readTextFile(gw.configPath);
  const from = gw.lines.length;
  await Deno.remove(gw.configPath);
  await gw.waitForLine(
    /config file .*openclaw\.json is missing; keeping the last good config/,
    from,
  );
  assert.deepEqual(gw.proc.configState().issues, [{ path: "", message: "file is missing" }]);
  await Deno.writeTextFile(gw.configPath, good);
  await waitUntil(() => gw.proc.configState().valid, "the problem to clear");
});

Deno.test("reload with mode off ignores edits and logs them at debug", async () => {
  const port = freePort();
  const off = { gateway: { reload: { mode: "off", debounceMs: 50 } } };
  await using gw = await startReloadGateway({ config: reloadConfig(port, off), verbose: true });
  const client = await gw.connect();
  const socket = watchClose(client);
  const { hash } = gw.proc.config;
  const instance = gw.proc.instance;
  const from = gw.lines.length;
  const edited = reloadConfig(port, {
    gateway: { port: freePort(), reload: { mode: "off", debounceMs: 50 } },
    hooks: { path: "/x1" },
  });
  await saveLikeEditor(gw.configPath, edited);
  await gw.waitForLine(
    /DEBUG.*config change ignored \(gateway\.reload\.mode is "off"\): gateway\.port, hooks\.path/,
    from,
  );
  assert.equal(gw.proc.config.hash, hash);
  assert.equal(gw.proc.instance, instance);
  assert.equal(gw.proc.instance.port, port);
  assert.equal(socket.closed, false);
  assert.ok(!gw.lines.slice(from).some((l) => /config applied|restarting/.test(l)));
  await client.close();
});

Deno.test("reload in hot mode applies safe paths and only logs one that needs a restart", async () => {
  const port = freePort();
  const hot = { gateway: { reload: { mode: "hot", debounceMs: 50 } } };
  await using gw = await startReloadGateway({ config: reloadConfig(port, hot) });
  const client = await gw.connect();
  const socket = watchClose(client);
  const from = gw.lines.length;
  await saveLikeEditor(
    gw.configPath,
    reloadConfig(port, {
      gateway: { port: freePort(), reload: { mode: "hot", debounceMs: 50 } },
      logging: { level: "warn" },
    }),
  );
  await gw.waitForLine(/needs a restart and is not live yet \(gateway\.port\)/, from);
  assert.ok(gw.lines.slice(from).some((l) => /config applied: set-log-level/.test(l)));
  assert.equal(gw.proc.instance.port, port);
  assert.equal(socket.closed, false);
  await client.close();
});
