import assert from "node:assert/strict";
import type { GatewayInstance } from "../../src/app.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { createRestartCoordinator, type RestartDeps } from "../../src/restart.ts";
import { ListenError } from "../../src/server/serve.ts";
import { waitUntil } from "../_helpers/reload.ts";
import { within } from "../_helpers/limit.ts";

const SETTINGS = { ports: { port: 18801 }, bindHost: "127.0.0.1" } as GatewaySettings;

/** A stand-in instance whose `stop()` waits for `release()` when `hold` is set. */
function fakeInstance(name: string, hold = false) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const instance = {
    url: `ws://${name}`,
    settings: SETTINGS,
    stops: 0,
    async stop() {
      instance.stops++;
      if (hold) await held;
    },
  };
  return { instance, release, asInstance: instance as unknown as GatewayInstance };
}

/** Deps around `first`; `build` makes new fake instances unless `listen` says otherwise. */
function deps(first: GatewayInstance, listen?: () => GatewayInstance) {
  const calls = { refresh: 0, build: 0, installed: [] as GatewayInstance[], failed: [] as Error[] };
  let current = first;
  const d: RestartDeps = {
    log: silentLogger(),
    current: () => current,
    refresh() {
      calls.refresh++;
      return Promise.resolve(SETTINGS);
    },
    build() {
      calls.build++;
      return listen ? listen() : fakeInstance(`n${calls.build}`).asInstance;
    },
    install(instance) {
      current = instance;
      calls.installed.push(instance);
    },
    fellBack() {},
    failed: (err) => void calls.failed.push(err),
  };
  return { d, calls };
}

Deno.test("createRestartCoordinator() stop during a rebuild ends it without listening again", async () => {
  const old = fakeInstance("old", true);
  const { d, calls } = deps(old.asInstance);
  const restarts = createRestartCoordinator(d);
  const restarting = restarts.restart("SIGUSR1");
  await waitUntil(() => old.instance.stops === 1, "the old instance to be stopping");
  const stopped = restarts.stop();
  old.release();
  await within(stopped, 5_000, "the stop");
  await within(restarting, 5_000, "the restart");
  assert.deepEqual(calls, { refresh: 0, build: 0, installed: [], failed: [] });
});

Deno.test("createRestartCoordinator() stop cancels a scheduled restart", async () => {
  const old = fakeInstance("old");
  const { d, calls } = deps(old.asInstance);
  const restarts = createRestartCoordinator(d);
  restarts.schedule("config.apply", 30);
  await within(restarts.stop(), 5_000, "the stop");
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(old.instance.stops, 0);
  assert.equal(calls.build, 0);
});

Deno.test("createRestartCoordinator() ignores restarts asked for once stopped", async () => {
  const old = fakeInstance("old");
  const { d, calls } = deps(old.asInstance);
  const restarts = createRestartCoordinator(d);
  await within(restarts.stop(), 5_000, "the stop");
  await within(restarts.restart("SIGUSR1"), 5_000, "the restart");
  restarts.schedule("config change (gateway.port)", 0);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(old.instance.stops, 0);
  assert.equal(calls.build, 0);
});

Deno.test("createRestartCoordinator() stop while rebinding a busy port ends the retries at once", async () => {
  const old = fakeInstance("old");
  const { d, calls } = deps(old.asInstance, () => {
    throw new ListenError("Cannot bind 127.0.0.1:18801: port in use", true);
  });
  const restarts = createRestartCoordinator(d);
  const restarting = restarts.restart("SIGUSR1");
  await waitUntil(() => calls.build >= 1, "a first bind attempt");
  const t0 = Date.now();
  await within(restarts.stop(), 5_000, "the stop");
  await within(restarting, 5_000, "the restart");
  // 20 retries 100 ms apart would take 2 s; a stop cuts them short.
  assert.ok(Date.now() - t0 < 500, `stop took ${Date.now() - t0} ms`);
  assert.deepEqual(calls.failed, []);
  assert.deepEqual(calls.installed, []);
});

Deno.test("createRestartCoordinator() coalesces requests made before the config is read", async () => {
  const old = fakeInstance("old", true);
  const { d, calls } = deps(old.asInstance);
  const restarts = createRestartCoordinator(d);
  const first = restarts.restart("SIGUSR1");
  const second = restarts.restart("SIGUSR1");
  assert.equal(first, second);
  old.release();
  await within(first, 5_000, "the first restart");
  assert.equal(calls.build, 1);
  // One asked for once the config is being read means exactly one more rebuild.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  d.refresh = async () => {
    calls.refresh++;
    await gate;
    return SETTINGS;
  };
  const third = restarts.restart("a");
  await waitUntil(() => calls.refresh === 2, "the config to be read");
  assert.equal(restarts.restart("b"), third);
  assert.equal(restarts.restart("c"), third);
  release();
  await within(third, 5_000, "the third restart");
  assert.equal(calls.build, 3);
  await within(restarts.stop(), 5_000, "the stop");
});
