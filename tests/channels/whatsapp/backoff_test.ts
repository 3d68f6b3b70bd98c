import assert from "node:assert/strict";
import {
  DEFAULT_RECONNECT,
  reconnectDelayMs,
  resolveReconnectPolicy,
} from "../../../src/channels/whatsapp/backoff.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

guardedTest({
  name: "reconnectDelayMs() follows 2 s x1.8 up to 30 s without jitter at the midpoint",
  fn: () => {
    const mid = () => 0.5;
    const delays = Array.from(
      { length: 8 },
      (_, i) => reconnectDelayMs(DEFAULT_RECONNECT, i + 1, mid),
    );
    assert.deepEqual(delays, [2000, 3600, 6480, 11664, 20995, 30000, 30000, 30000]);
  },
});

guardedTest({
  name: "reconnectDelayMs() jitters by at most +-25 %",
  fn: () => {
    assert.equal(reconnectDelayMs(DEFAULT_RECONNECT, 1, () => 0), 1500);
    assert.equal(reconnectDelayMs(DEFAULT_RECONNECT, 1, () => 1), 2500);
    assert.equal(reconnectDelayMs(DEFAULT_RECONNECT, 12, () => 1), 37500);
    // a fixed-seed walk stays inside the band
    let seed = 42;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let a = 1; a <= 12; a++) {
      const base = Math.min(30000, 2000 * 1.8 ** (a - 1));
      const d = reconnectDelayMs(DEFAULT_RECONNECT, a, rnd);
      assert.ok(d >= base * 0.75 - 1 && d <= base * 1.25 + 1, `attempt ${a}: ${d}`);
    }
  },
});

guardedTest({
  name: "resolveReconnectPolicy() defaults to the spec and clamps overrides",
  fn: () => {
    assert.deepEqual(resolveReconnectPolicy(), {
      initialMs: 2000,
      maxMs: 30000,
      factor: 1.8,
      jitter: 0.25,
      maxAttempts: 12,
    });
    const p = resolveReconnectPolicy({
      initialMs: 10,
      maxMs: 5,
      factor: 0.5,
      jitter: 3,
      maxAttempts: 0,
    });
    assert.deepEqual(p, { initialMs: 250, maxMs: 250, factor: 1, jitter: 1, maxAttempts: 1 });
  },
});
