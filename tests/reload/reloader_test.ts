import assert from "node:assert/strict";
import type { ConfigSnapshot } from "../../src/config/load.ts";
import { createConfigReloader, type ReloadOutcome } from "../../src/config/reload.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { fakeReloadTarget, snapshotOf } from "../_helpers/reload.ts";

const PORT = 18800;

function cfg(mode: string, extra: Record<string, unknown> = {}, port = PORT) {
  return {
    gateway: {
      mode: "local",
      port,
      auth: { token: TEST_TOKEN },
      reload: { mode, debounceMs: 50 },
    },
    ...extra,
  };
}

/** A reloader with no watch: `edit()` changes the "file" and applies it as a file event would. */
async function setup(initial: unknown) {
  const target = fakeReloadTarget(await snapshotOf(initial));
  let disk: ConfigSnapshot = target.current();
  const reloader = createConfigReloader({
    path: "/fake/openclaw.json",
    read: () => Promise.resolve(disk),
    target,
    log: silentLogger(),
    watch: false,
  });
  const edit = async (config: unknown): Promise<ReloadOutcome> => {
    disk = await snapshotOf(config);
    return await reloader.reloadNow();
  };
  const write = async (config: unknown, restartInMs?: number): Promise<ReloadOutcome> => {
    const snap = await snapshotOf(config);
    disk = snap;
    return await reloader.writeThrough(() => Promise.resolve(snap), {
      source: "config.set",
      restartInMs,
    });
  };
  return { target, edit, write, reloader, [Symbol.asyncDispose]: () => reloader.stop() };
}

Deno.test("writeThrough() applies a gateway write in mode off, planned as hybrid", async () => {
  await using r = await setup(cfg("off"));
  const safe = await r.write(cfg("off", { hooks: { path: "/a1" } }));
  assert.equal(safe.status, "applied");
  assert.deepEqual(r.target.current().config, cfg("off", { hooks: { path: "/a1" } }));
  const moved = await r.write(cfg("off", { hooks: { path: "/a1" } }, PORT + 1));
  assert.equal(moved.status, "restarting");
  assert.deepEqual(r.target.restarts, [["config change (gateway.port)", 0]]);
  assert.equal(r.target.current().config?.gateway?.port, PORT + 1);
});

Deno.test("reloadNow() adopts a file edit that switches hybrid to off, then ignores edits", async () => {
  await using r = await setup(cfg("hybrid"));
  const off = await r.edit(cfg("off", { hooks: { path: "/a1" } }));
  assert.equal(off.status, "applied");
  assert.equal(r.target.reloadSettings().mode, "off");
  assert.deepEqual(r.target.current().config, cfg("off", { hooks: { path: "/a1" } }));
  assert.deepEqual(await r.edit(cfg("off", { hooks: { path: "/a2" } })), { status: "ignored" });
  assert.deepEqual(r.target.current().config, cfg("off", { hooks: { path: "/a1" } }));
});

Deno.test("reloadNow() in mode off applies everything changed meanwhile once the file turns it on", async () => {
  await using r = await setup(cfg("off"));
  assert.deepEqual(await r.edit(cfg("off", { hooks: { path: "/x1" } }, PORT + 1)), {
    status: "ignored",
  });
  assert.equal(r.target.adopted.length, 0);
  const on = await r.edit(cfg("hybrid", { hooks: { path: "/x1" } }, PORT + 1));
  assert.equal(on.status, "restarting");
  if (on.status !== "restarting") return;
  assert.deepEqual(on.paths, ["gateway.port", "gateway.reload.mode", "hooks.path"]);
  assert.equal(on.plan.mode, "hybrid");
  assert.deepEqual(r.target.restarts, [["config change (gateway.port)", 0]]);
});

Deno.test("reloadNow() in mode off adopts a gateway.reload edit on its own, and drops it when the file is put back", async () => {
  const initial = cfg("off");
  await using r = await setup(initial);
  const before = r.target.current().hash;
  const slower = {
    ...initial,
    gateway: { ...initial.gateway, reload: { mode: "off", debounceMs: 900 } },
    hooks: { path: "/x1" },
  };
  assert.deepEqual(await r.edit(slower), { status: "ignored" });
  assert.deepEqual(r.target.reloadSettings(), { mode: "off", debounceMs: 900 });
  assert.equal(r.target.current().hash, before, "other changes wait");
  assert.deepEqual(await r.edit(initial), { status: "unchanged" });
  assert.deepEqual(r.target.reloadSettings(), { mode: "off", debounceMs: 50 });
});

Deno.test("reloadNow() follows the mode in force, not the mode the edit sets", async () => {
  await using r = await setup(cfg("hybrid"));
  const res = await r.edit(cfg("restart", { hooks: { path: "/x1" } }));
  assert.equal(res.status, "applied");
  if (res.status !== "applied") return;
  assert.equal(res.plan.mode, "hybrid");
  assert.deepEqual(r.target.restarts, []);
  // The next edit follows the adopted mode.
  assert.equal((await r.edit(cfg("restart", { hooks: { path: "/x2" } }))).status, "restarting");
});

Deno.test("reloadNow() reports a config that cannot run by the key, keeping the last good one", async () => {
  await using r = await setup(cfg("hybrid"));
  const good = r.target.current().hash;
  const noToken = cfg("hybrid");
  delete (noToken.gateway as { auth?: unknown }).auth;
  assert.deepEqual(await r.edit(noToken), { status: "invalid" });
  assert.equal(r.target.current().hash, good);
  assert.deepEqual(r.target.problem?.issues.map((i) => i.path), ["gateway.auth.token"]);
  assert.match(r.target.problem?.issues[0].message ?? "", /^No gateway token configured/);
});
