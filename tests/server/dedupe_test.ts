import assert from "node:assert/strict";
import { DedupeCache } from "../../src/server/dedupe.ts";

/** A clock tests move by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** A function that counts its calls and returns `value`. */
function counted<T>(value: T) {
  const fn = () => {
    fn.calls++;
    return Promise.resolve(value);
  };
  fn.calls = 0;
  return fn;
}

Deno.test("DedupeCache.run() returns the first result for a duplicate without re-running", async () => {
  const cache = new DedupeCache({ now: fakeClock().now });
  const first = counted({ messageId: "m1" });
  const second = counted({ messageId: "m2" });
  assert.deepEqual(await cache.run("send:k1", first), { messageId: "m1" });
  assert.deepEqual(await cache.run("send:k1", second), { messageId: "m1" });
  assert.equal(first.calls, 1);
  assert.equal(second.calls, 0);
});

Deno.test("DedupeCache.run() keeps different keys apart", async () => {
  const cache = new DedupeCache({ now: fakeClock().now });
  assert.equal(await cache.run("send:a", () => Promise.resolve(1)), 1);
  assert.equal(await cache.run("send:b", () => Promise.resolve(2)), 2);
  assert.equal(await cache.run("agent:a", () => Promise.resolve(3)), 3);
  assert.equal(cache.size, 3);
});

Deno.test("DedupeCache.run() makes an in-flight duplicate wait for the first call", async () => {
  const cache = new DedupeCache({ now: fakeClock().now });
  const { promise, resolve } = Promise.withResolvers<string>();
  let calls = 0;
  const slow = () => (calls++, promise);
  const a = cache.run("agent:x", slow);
  const b = cache.run("agent:x", slow);
  let bDone = false;
  b.then(() => (bDone = true));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(bDone, false, "the duplicate did not wait");
  resolve("run-1");
  assert.deepEqual(await Promise.all([a, b]), ["run-1", "run-1"]);
  assert.equal(calls, 1);
});

Deno.test("DedupeCache.run() caches errors too", async () => {
  const cache = new DedupeCache({ now: fakeClock().now });
  let calls = 0;
  const failing = () => (calls++, Promise.reject(new Error("delivery failed")));
  await assert.rejects(cache.run("send:k", failing), /delivery failed/);
  await assert.rejects(cache.run("send:k", () => Promise.resolve("late")), /delivery failed/);
  assert.equal(calls, 1);
});

Deno.test("DedupeCache.run() runs again once the ttl has passed", async () => {
  const clock = fakeClock();
  const cache = new DedupeCache({ now: clock.now, ttlMs: 1000 });
  const fn = counted("x");
  await cache.run("k", fn);
  clock.advance(999);
  await cache.run("k", fn);
  assert.equal(fn.calls, 1, "re-ran inside the window");
  clock.advance(1);
  await cache.run("k", fn);
  assert.equal(fn.calls, 2, "did not re-run after the window");
});

Deno.test("DedupeCache defaults to a 5 minute window", async () => {
  const clock = fakeClock();
  const cache = new DedupeCache({ now: clock.now });
  const fn = counted("x");
  await cache.run("k", fn);
  clock.advance(5 * 60_000 - 1);
  await cache.run("k", fn);
  assert.equal(fn.calls, 1);
  clock.advance(1);
  await cache.run("k", fn);
  assert.equal(fn.calls, 2);
});

Deno.test("DedupeCache caps its entries, dropping the oldest first", async () => {
  const clock = fakeClock();
  const cache = new DedupeCache({ now: clock.now, maxEntries: 3 });
  const fns = ["a", "b", "c", "d"].map((k) => [k, counted(k)] as const);
  for (const [key, fn] of fns) {
    await cache.run(key, fn);
    clock.advance(1);
  }
  assert.equal(cache.size, 3);
  // "a" was dropped (runs again); "d" is still cached.
  await cache.run("a", fns[0][1]);
  await cache.run("d", fns[3][1]);
  assert.equal(fns[0][1].calls, 2);
  assert.equal(fns[3][1].calls, 1);
});

Deno.test("DedupeCache caps at 1000 entries by default", async () => {
  const cache = new DedupeCache({ now: fakeClock().now });
  for (let i = 0; i < 1005; i++) await cache.run(`k${i}`, () => Promise.resolve(i));
  assert.equal(cache.size, 1000);
});

Deno.test("DedupeCache drops expired entries when it stores new ones", async () => {
  const clock = fakeClock();
  const cache = new DedupeCache({ now: clock.now, ttlMs: 100 });
  await cache.run("old-1", () => Promise.resolve(1));
  await cache.run("old-2", () => Promise.resolve(2));
  clock.advance(100);
  await cache.run("new", () => Promise.resolve(3));
  assert.equal(cache.size, 1);
});

Deno.test("DedupeCache.run() forgets errors forgetError lets go, so a retry runs again", async () => {
  const cache = new DedupeCache({ forgetError: (e) => (e as Error).message === "retry me" });
  let runs = 0;
  const failing = () => {
    runs++;
    return Promise.reject(new Error("retry me"));
  };
  await assert.rejects(cache.run("k", failing), /retry me/);
  await new Promise((r) => setTimeout(r, 0));
  await assert.rejects(cache.run("k", failing), /retry me/);
  assert.equal(runs, 2);
  await cache.run("k", () => Promise.resolve("ok"));
  assert.equal(await cache.run("k", () => Promise.resolve("other")), "ok");
});
