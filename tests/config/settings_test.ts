import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import type { GatewayConfig } from "../../src/config/schema.ts";
import {
  bindHostFor,
  DEFAULT_POLICY,
  resolveSettings,
  SettingsError,
} from "../../src/config/settings.ts";
import { isLoopbackAddress } from "../../src/server/auth.ts";
import { isLiteralLoopback } from "../../src/config/loopback.ts";

const paths = resolvePaths({}, { HOME: "/home/ada" });

function settings(
  config: GatewayConfig,
  opts: { env?: Record<string, string>; flags?: Parameters<typeof resolveSettings>[1]["flags"] } =
    {},
) {
  return resolveSettings(config, { env: opts.env ?? {}, paths, flags: opts.flags });
}

Deno.test("resolveSettings() binds loopback by default; lan is 0.0.0.0; custom uses gateway.customBindHost", () => {
  const token = { auth: { token: "t-123456" } };
  assert.deepEqual([settings({}).bind, settings({}).bindHost], ["loopback", "127.0.0.1"]);
  const lan = settings({ gateway: { bind: "lan", ...token } });
  assert.deepEqual([lan.bind, lan.bindHost], ["lan", "0.0.0.0"]);
  const custom = settings({ gateway: { bind: "custom", customBindHost: "10.1.2.3", ...token } });
  assert.deepEqual([custom.bind, custom.bindHost], ["custom", "10.1.2.3"]);
  assert.equal(settings({ gateway: { bind: "auto" } }).bindHost, "127.0.0.1");
  // The flag beats the config.
  assert.equal(
    settings({ gateway: { bind: "lan", ...token } }, { flags: { bind: "loopback" } }).bindHost,
    "127.0.0.1",
  );
  assert.equal(settings({ gateway: token }, { flags: { bind: "lan" } }).bindHost, "0.0.0.0");
});

Deno.test("resolveSettings() refuses custom bind without a host and an unknown --bind, naming what to set", () => {
  assert.throws(
    () => settings({ gateway: { bind: "custom" } }),
    (err: unknown) =>
      err instanceof SettingsError && /gateway\.customBindHost/.test(err.message) &&
      /--bind loopback/.test(err.message),
  );
  assert.throws(
    () => settings({}, { flags: { bind: "everywhere" } }),
    (err: unknown) =>
      err instanceof SettingsError &&
      err.message.startsWith('Invalid --bind "everywhere": use loopback, lan, custom'),
  );
  assert.throws(() => bindHostFor("custom", undefined), SettingsError);
  assert.equal(bindHostFor("custom", "::1"), "::1");
});

Deno.test("resolveSettings() refuses to bind beyond loopback with auth mode none", () => {
  const none = { auth: { mode: "none" as const } };
  for (
    const config of [
      { gateway: { bind: "lan" as const, ...none } },
      { gateway: { bind: "custom" as const, customBindHost: "192.168.1.9", ...none } },
    ]
  ) {
    assert.throws(
      () => settings(config),
      (err: unknown) =>
        err instanceof SettingsError &&
        /^Refusing to bind \S+ without auth \(gateway\.auth\.mode is "none"\)/.test(err.message) &&
        /set gateway\.auth\.token or gateway\.auth\.password, or bind loopback/.test(err.message),
    );
  }
  assert.throws(
    () => settings({ gateway: none }, { flags: { bind: "lan" } }),
    /Refusing to bind "0\.0\.0\.0"/,
  );
  // Loopback without auth is allowed, whatever the spelling.
  assert.equal(settings({ gateway: none }).auth.mode, "none");
  assert.equal(
    settings({ gateway: { bind: "custom", customBindHost: "127.0.0.2", ...none } }).bindHost,
    "127.0.0.2",
  );
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) {
    assert.ok(isLoopbackAddress(host), host);
  }
  for (const host of ["0.0.0.0", "10.0.0.1", "::", "128.0.0.1"]) {
    assert.ok(!isLoopbackAddress(host), host);
  }
});

Deno.test("resolveSettings() takes token and password from flag, then environment, then config", () => {
  const config: GatewayConfig = { gateway: { auth: { token: "cfg-token", password: "cfg-pass" } } };
  const env = { OPENCLAW_GATEWAY_TOKEN: "env-token", OPENCLAW_GATEWAY_PASSWORD: "env-pass" };
  const a = settings(config, { env, flags: { token: "flag-token" } }).auth;
  assert.deepEqual([a.token, a.password], ["flag-token", "env-pass"]);
  const p = settings(config, { env, flags: { password: "flag-pass" } }).auth;
  assert.deepEqual([p.token, p.password], ["env-token", "flag-pass"]);
  const b = settings(config, { env }).auth;
  assert.deepEqual([b.token, b.password], ["env-token", "env-pass"]);
  const c = settings(config).auth;
  assert.deepEqual([c.token, c.password], ["cfg-token", "cfg-pass"]);
});

Deno.test("resolveSettings() infers the auth mode: token by default, password when only a password is given or --password is passed", () => {
  assert.equal(settings({}).auth.mode, "token");
  assert.equal(settings({ gateway: { auth: { token: "t" } } }).auth.mode, "token");
  assert.equal(settings({ gateway: { auth: { password: "p" } } }).auth.mode, "password");
  assert.equal(settings({}, { env: { OPENCLAW_GATEWAY_PASSWORD: "p" } }).auth.mode, "password");
  assert.equal(
    settings({ gateway: { auth: { token: "t" } } }, { flags: { password: "p" } }).auth.mode,
    "password",
  );
  // An explicit mode wins.
  assert.equal(
    settings({ gateway: { auth: { mode: "token", password: "p" } } }).auth.mode,
    "token",
  );
});

Deno.test("resolveSettings() carries ports, spec policy defaults and rate limits", () => {
  const s = settings(
    { gateway: { port: 20000, auth: { rateLimit: { maxAttempts: 3 } } } },
    { flags: { port: "21000" } },
  );
  assert.deepEqual([s.ports.port, s.ports.source, s.canvas.port], [21000, "flag", 21004]);
  assert.deepEqual(s.policy, {
    maxPayload: 25 * 1024 * 1024,
    maxBufferedBytes: 50 * 1024 * 1024,
    tickIntervalMs: 30_000,
  });
  assert.notEqual(s.policy, DEFAULT_POLICY, "each resolution gets its own policy object");
  assert.equal(s.auth.rateLimit.maxAttempts, 3);
  assert.equal(s.auth.rateLimit.exemptLoopback, true);
  assert.equal(s.logLevel, "info");
  assert.equal(s.reload.mode, "hybrid");
  assert.throws(() => settings({}, { flags: { port: "x" } }), /Invalid port "x" from --port/);
});

Deno.test("resolveSettings() refuses gateway.tls and gateway.trustedProxies it cannot honour", () => {
  assert.throws(
    () => resolveSettings({ gateway: { tls: { enabled: true } } }, { env: {}, paths }),
    (e: Error) => e instanceof SettingsError && /gateway\.tls\.enabled.*no TLS/.test(e.message),
  );
  assert.throws(
    () => resolveSettings({ gateway: { trustedProxies: ["10.0.0.1"] } }, { env: {}, paths }),
    (e: Error) => e instanceof SettingsError && /trustedProxies/.test(e.message),
  );
  // Present but off, or empty: fine.
  resolveSettings({ gateway: { tls: { enabled: false }, trustedProxies: [] } }, { env: {}, paths });
});

Deno.test("resolveSettings() counts only literal loopback addresses as loopback for auth none", () => {
  const none = { mode: "none" as const };
  for (
    const host of ["127.attacker-dns.example", "localhost", "127.0.0.1.nip.io", "::", "0.0.0.0"]
  ) {
    assert.throws(
      () => settings({ gateway: { bind: "custom", customBindHost: host, auth: none } }),
      (err: unknown) =>
        err instanceof SettingsError && err.message.includes(`Refusing to bind "${host}"`) &&
        /only a literal loopback address/.test(err.message),
      host,
    );
  }
  for (const host of ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "::ffff:127.0.0.1"]) {
    const s = settings({ gateway: { bind: "custom", customBindHost: host, auth: none } });
    assert.equal(s.auth.mode, "none", host);
  }
  assert.ok(isLiteralLoopback("0:0:0:0:0:0:0:1"));
  assert.ok(!isLiteralLoopback("127.0.0.256"));
  assert.ok(!isLiteralLoopback("::ffff:10.0.0.1"));
});

Deno.test("resolveSettings() lets --password select password auth on a token-mode config, and --token token auth", () => {
  const tokenMode: GatewayConfig = { gateway: { auth: { mode: "token", token: "cfg-token" } } };
  const p = settings(tokenMode, { flags: { password: "flag-pass" } }).auth;
  assert.deepEqual([p.mode, p.password], ["password", "flag-pass"]);
  const passwordMode: GatewayConfig = { gateway: { auth: { mode: "password", password: "pw" } } };
  assert.equal(settings(passwordMode, { flags: { token: "flag-token" } }).auth.mode, "token");
  assert.throws(
    () => settings({}, { flags: { token: "a", password: "b" } }),
    /Both --token and --password were given: pass one/,
  );
});

Deno.test('resolveSettings() treats an empty token as unset: {token: "", password} is password auth', () => {
  const a = settings({ gateway: { auth: { token: "", password: "pw-secret" } } }).auth;
  assert.deepEqual([a.mode, a.token, a.password], ["password", undefined, "pw-secret"]);
  const e = settings({}, { env: { OPENCLAW_GATEWAY_TOKEN: "", OPENCLAW_GATEWAY_PASSWORD: "pw" } });
  assert.equal(e.auth.mode, "password");
  // An empty variable does not hide the config's token.
  const t = settings({ gateway: { auth: { token: "cfg-token" } } }, {
    env: { OPENCLAW_GATEWAY_TOKEN: "" },
  });
  assert.equal(t.auth.token, "cfg-token");
});
