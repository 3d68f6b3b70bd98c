import assert from "node:assert/strict";
import { FatalPollError, pollLoop } from "../../../src/channels/telegram/_poll.ts";
import type { TgUpdate } from "../../../src/channels/telegram/_normalize.ts";
import { silentLogger } from "../../../src/log/logger.ts";

type Call = { offset: number; timeout: number };

/** A fake getUpdates driven by a script of answers (a function per call). */
function scripted(steps: Array<(signal: AbortSignal) => Promise<TgUpdate[]>>, calls: Call[]) {
  return (p: { offset: number; timeout: number }, signal: AbortSignal) => {
    calls.push({ offset: p.offset, timeout: p.timeout });
    const step = steps.shift() ??
      ((s: AbortSignal) =>
        new Promise<TgUpdate[]>((_, reject) =>
          s.addEventListener("abort", () => reject(new Error("aborted")), { once: true })
        ));
    return step(signal);
  };
}

const apiError = (code: number, retryAfter?: number) =>
  Object.assign(new Error(`api ${code}`), {
    error_code: code,
    ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}),
  });

Deno.test("pollLoop() confirms only after receive, honours 429, stops fatally on 409", async () => {
  const calls: Call[] = [];
  const received: number[] = [];
  const ac = new AbortController();
  const t0 = Date.now();
  const loop = pollLoop({
    getUpdates: scripted([
      () => Promise.resolve([{ update_id: 5 }, { update_id: 6 }]),
      () => Promise.reject(apiError(429, 1)),
      () => Promise.resolve([{ update_id: 7 }]),
      () => Promise.reject(apiError(409)),
    ], calls),
    offset: 5,
    receive: (u) => (received.push(...u.map((x) => x.update_id)), Promise.resolve()),
    signal: ac.signal,
    log: silentLogger(),
    stallMs: 60_000,
    onState: () => {},
  });
  const err = await loop.then(() => undefined, (e) => e);
  assert.ok(err instanceof FatalPollError, String(err));
  assert.match(err.message, /409 Conflict/);
  assert.deepEqual(received, [5, 6, 7]);
  assert.deepEqual(calls.map((c) => c.offset), [5, 7, 7, 8]);
  assert.ok(Date.now() - t0 >= 950, "waited retry_after");
});

Deno.test("pollLoop() watchdog aborts a stalled poll and polls again", async () => {
  const calls: Call[] = [];
  const ac = new AbortController();
  let got!: () => void;
  const delivered = new Promise<void>((r) => (got = r));
  const loop = pollLoop({
    getUpdates: scripted([
      // Hangs until aborted (a poll the network forgot).
      (s) =>
        new Promise((_, reject) =>
          s.addEventListener("abort", () => reject(new Error("stalled")), { once: true })
        ),
      () => Promise.resolve([{ update_id: 1 }]),
    ], calls),
    offset: 1,
    receive: () => (got(), Promise.resolve()),
    signal: ac.signal,
    log: silentLogger(),
    stallMs: 200,
    onState: () => {},
  });
  const t = setTimeout(() => ac.abort(), 5000);
  await Promise.race([delivered, loop]);
  clearTimeout(t);
  assert.equal(ac.signal.aborted, false, "recovered before the 5 s limit");
  ac.abort();
  await loop;
  assert.ok(calls.length >= 2);
});
