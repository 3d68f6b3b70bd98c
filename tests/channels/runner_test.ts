import assert from "node:assert/strict";
import { AccountRunner } from "../../src/channels/_runner.ts";
import type { AdapterStartContext, ChannelAdapter } from "../../src/channels/types.ts";
import { silentLogger } from "../../src/log/logger.ts";

/** An adapter whose start fails `failures` times, then runs; records calls. */
function fakeAdapter(failures: number) {
  let starts = 0;
  let stops = 0;
  let running = false;
  let ctx: AdapterStartContext | undefined;
  const adapter: ChannelAdapter = {
    channel: "fake",
    accountId: "default",
    start(c) {
      ctx = c;
      starts++;
      if (starts <= failures) return Promise.reject(new Error(`start ${starts} failed`));
      running = true;
      return Promise.resolve();
    },
    stop() {
      stops++;
      running = false;
      return Promise.resolve();
    },
    status: () => ({ running, connected: running }),
    probe: () => Promise.resolve({ ok: true }),
    resolveTarget: (to) => ({ chatId: to }),
    sendText: () => Promise.resolve({ messageId: "1", chatId: "1" }),
    sendMedia: () => Promise.resolve({ messageId: "1", chatId: "1" }),
  };
  return { adapter, starts: () => starts, stops: () => stops, ctx: () => ctx! };
}

const until = async (pred: () => boolean, what: string) => {
  const end = Date.now() + 3000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const policy = { initialMs: 10, maxMs: 40, factor: 2, jitter: 0, maxAttempts: 3 };

Deno.test("AccountRunner restarts a failing adapter with backoff and keeps the last error", async () => {
  const f = fakeAdapter(2);
  const r = new AccountRunner(f.adapter, {
    deliver: () => Promise.resolve(),
    log: silentLogger(),
    policy,
  });
  await r.start();
  assert.equal(r.state.state, "backoff");
  assert.equal(r.state.lastError, "start 1 failed");
  await until(() => r.state.state === "running", "running after two failures");
  assert.equal(f.starts(), 3);
  assert.equal(r.state.restartAttempts, 2);
  // A later non-fatal failure restarts again; a fatal one stops for good.
  f.ctx().failed(new Error("connection lost"));
  assert.equal(r.state.state, "backoff");
  await until(() => f.starts() === 4, "restart after a failure");
  f.ctx().failed(new Error("409 conflict"), { fatal: true });
  assert.equal(r.state.state, "failed");
  assert.equal(r.state.lastError, "409 conflict");
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(f.starts(), 4, "no restart after a fatal error");
  await r.stop();
  assert.equal(r.state.state, "stopped");
});

Deno.test("AccountRunner gives up after maxAttempts", async () => {
  const f = fakeAdapter(100);
  const r = new AccountRunner(f.adapter, {
    deliver: () => Promise.resolve(),
    log: silentLogger(),
    policy,
  });
  await r.start();
  await until(() => r.state.state === "failed", "gave up");
  assert.equal(f.starts(), 4, "first start + 3 restarts");
  assert.match(r.state.lastError!, /start 4 failed/);
  await r.stop();
});
