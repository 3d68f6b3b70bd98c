import assert from "node:assert/strict";
import {
  AuthRateLimiter,
  DEFAULT_RATE_LIMIT,
  isLoopbackAddress,
  limiterKey,
  type RateLimitSettings,
  safeEqualSecret,
} from "../../src/server/auth.ts";

const REMOTE = "203.0.113.7";
const STRICT: RateLimitSettings = {
  maxAttempts: 3,
  windowMs: 1000,
  lockoutMs: 5000,
  exemptLoopback: true,
};

function limiter(settings: Partial<RateLimitSettings> = {}) {
  let now = 1_000_000;
  const l = new AuthRateLimiter({ ...STRICT, ...settings }, { now: () => now });
  return { l, advance: (ms: number) => void (now += ms) };
}

Deno.test("safeEqualSecret() is true only for identical secrets", () => {
  assert.equal(safeEqualSecret("s3cret-token", "s3cret-token"), true);
  assert.equal(safeEqualSecret("s3cret-token", "s3cret-tokem"), false);
  assert.equal(safeEqualSecret("s3cret", "s3cret-token"), false, "prefix");
  assert.equal(safeEqualSecret("s3cret-token-and-more", "s3cret-token"), false, "longer");
  assert.equal(safeEqualSecret("", "s3cret-token"), false);
  assert.equal(safeEqualSecret("", ""), true);
  assert.equal(safeEqualSecret("ünïcödé", "ünïcödé"), true);
});

Deno.test("isLoopbackAddress() knows IPv4, IPv6 and mapped loopback", () => {
  for (const ip of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) {
    assert.equal(isLoopbackAddress(ip), true, ip);
  }
  for (const ip of ["10.0.0.1", "::ffff:10.0.0.1", "128.0.0.1", "fe80::1", REMOTE]) {
    assert.equal(isLoopbackAddress(ip), false, ip);
  }
});

Deno.test("AuthRateLimiter locks out after maxAttempts failures within the window", () => {
  const { l, advance } = limiter();
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  assert.equal(l.retryAfterMs(REMOTE), 0);
  advance(10);
  l.recordFailure(REMOTE);
  assert.equal(l.retryAfterMs(REMOTE), 5000);
  advance(4000);
  assert.equal(l.retryAfterMs(REMOTE), 1000);
  advance(1000);
  assert.equal(l.retryAfterMs(REMOTE), 0, "lockout did not end");
  // Other addresses are unaffected.
  assert.equal(l.retryAfterMs("198.51.100.1"), 0);
});

Deno.test("AuthRateLimiter forgets failures older than the window", () => {
  const { l, advance } = limiter();
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  advance(1000);
  l.recordFailure(REMOTE);
  assert.equal(l.retryAfterMs(REMOTE), 0, "a failure outside the window counted");
  advance(500);
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  assert.ok(l.retryAfterMs(REMOTE) > 0);
});

Deno.test("AuthRateLimiter resets the count after a success", () => {
  const { l } = limiter();
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  l.recordSuccess(REMOTE);
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  assert.equal(l.retryAfterMs(REMOTE), 0);
});

Deno.test("AuthRateLimiter exempts loopback unless told otherwise", () => {
  const exempt = limiter().l;
  const strict = limiter({ exemptLoopback: false }).l;
  for (let i = 0; i < 10; i++) {
    exempt.recordFailure("127.0.0.1");
    strict.recordFailure("127.0.0.1");
  }
  assert.equal(exempt.retryAfterMs("127.0.0.1"), 0);
  assert.equal(exempt.retryAfterMs("::1"), 0);
  assert.ok(strict.retryAfterMs("127.0.0.1") > 0);
});

Deno.test("AuthRateLimiter.prune() keeps live failures and lockouts", () => {
  const { l, advance } = limiter();
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  for (let i = 0; i < 3; i++) l.recordFailure("198.51.100.1");
  advance(500);
  l.prune();
  assert.ok(l.retryAfterMs("198.51.100.1") > 0, "prune dropped a live lockout");
  l.recordFailure(REMOTE);
  assert.ok(l.retryAfterMs(REMOTE) > 0, "prune dropped failures inside the window");
});

Deno.test("AuthRateLimiter tracks at most 10000 addresses, forgetting the oldest", () => {
  const { l } = limiter();
  l.recordFailure(REMOTE);
  l.recordFailure(REMOTE);
  for (let i = 0; i < 10_000; i++) {
    l.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  }
  // The oldest address was dropped, so its third failure starts over.
  l.recordFailure(REMOTE);
  assert.equal(l.retryAfterMs(REMOTE), 0);
});

Deno.test("DEFAULT_RATE_LIMIT is the spec's 10 failures / 60 s -> 5 min, loopback exempt", () => {
  assert.deepEqual(DEFAULT_RATE_LIMIT, {
    maxAttempts: 10,
    windowMs: 60_000,
    lockoutMs: 300_000,
    exemptLoopback: true,
  });
});

Deno.test("limiterKey() folds IPv4-mapped addresses and keys IPv6 by /64", () => {
  assert.equal(limiterKey("203.0.113.7"), "203.0.113.7");
  assert.equal(limiterKey("::ffff:203.0.113.7"), "203.0.113.7");
  assert.equal(limiterKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(limiterKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
  assert.equal(limiterKey("2001:0db8::9"), "2001:db8:0:0::/64");
});

Deno.test("AuthRateLimiter locks a whole IPv6 /64, not just one address, and reports the lockout", () => {
  const lockouts: [string, number][] = [];
  const limiter = new AuthRateLimiter(
    { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: true },
    { now: () => 1_000, onLockout: (key, ms) => lockouts.push([key, ms]) },
  );
  limiter.recordFailure("2001:db8:1:2::a");
  limiter.recordFailure("2001:db8:1:2::b");
  assert.deepEqual(lockouts, []);
  limiter.recordFailure("2001:db8:1:2::c");
  assert.deepEqual(lockouts, [["2001:db8:1:2::/64", 60_000]]);
  assert.ok(limiter.retryAfterMs("2001:db8:1:2::ffff") > 0, "a fresh address in the /64 got in");
  assert.equal(limiter.retryAfterMs("2001:db8:1:3::a"), 0, "the next /64 is not locked");
});
