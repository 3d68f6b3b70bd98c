/**
 * A restart onto a port another process holds: the failure stays in
 * `health` / `status` until a restart succeeds (the watcher's echo of the
 * written file must not clear it), and client commands keep using the port
 * actually served, never sending the token to the configured port's holder.
 */

import assert from "node:assert/strict";
import { cliEnv, runCli } from "../_helpers/gateway.ts";
import { holdPort } from "../_helpers/cli_e2e.ts";
import { freePort, reloadConfig, startReloadGateway, waitUntil } from "../_helpers/reload.ts";

interface Health {
  ok: boolean;
  config: { valid: boolean; lastReloadError?: string };
}

/** Whether anyone connected to `held` within `ms` (a pending accept). */
async function someoneConnected(held: Deno.TcpListener, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const accepted = held.accept().then((conn) => (conn.close(), true), () => false);
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const result = await Promise.race([accepted, timeout]);
  clearTimeout(timer);
  return result;
}

Deno.test("config.patch onto a held port: restart failed stays in health and status until a restart succeeds", async () => {
  const port = freePort();
  await using gw = await startReloadGateway({ config: reloadConfig(port) });
  const held = holdPort();
  try {
    const admin = await gw.connect();
    const { hash } = await admin.request<{ hash: string }>("config.get", {});
    const from = gw.lines.length;
    await admin.request("config.patch", {
      raw: JSON.stringify({ gateway: { port: held.port } }),
      baseHash: hash,
    }).catch(() => {/* the restart closes this socket; the outcome is read below */});
    await gw.waitForLine(/listening on the previous address instead/, from, 8_000);
    await gw.waitForLine(/restart complete/, from);
    assert.equal(gw.proc.instance.port, port);
    // What the watcher does when the written file's echo arrives: same hash, "unchanged".
    assert.equal((await gw.proc.reloadConfig()).status, "unchanged");
    // And a real echo, past the 50 ms debounce.
    await new Promise((r) => setTimeout(r, 400));
    const client = await gw.connect();
    const health = await client.request<Health>("health", {});
    assert.equal(health.ok, false, "health says ok while the configured port is not served");
    assert.match(health.config.lastReloadError ?? "", /^restart failed: Cannot bind/);
    const status = await client.request<{ ok: boolean; config: { lastReloadError?: string } }>(
      "status",
      {},
    );
    assert.equal(status.ok, false);
    assert.match(status.config.lastReloadError ?? "", /restart failed/);

    // The CLI follows the gateway to the port it serves; the holder hears nothing.
    const res = await runCli(["health", "--json"], cliEnv(gw.home));
    assert.match(res.stderr, new RegExp(`serves port ${port}, not the configured ${held.port}`));
    assert.equal(JSON.parse(res.stdout).ok, false, res.stdout + res.stderr);
    assert.equal(await someoneConnected(held, 200), false, "the CLI connected to the holder");
    await client.close().catch(() => {});

    // A restart that listens where the config says clears the failure.
    held.close();
    const again = gw.lines.length;
    gw.proc.restart("test: port is free now");
    await gw.waitForLine(/restart complete/, again, 8_000);
    assert.equal(gw.proc.instance.port, held.port);
    await waitUntil(() => !gw.proc.configState().lastReloadError, "the failure cleared");
  } finally {
    try {
      held.close();
    } catch { /* closed above */ }
  }
});
