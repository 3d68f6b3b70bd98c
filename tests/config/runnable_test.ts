import assert from "node:assert/strict";
import { generateToken, newConfigText } from "../../src/config/bootstrap.ts";
import { ConfigError, parseConfigText } from "../../src/config/load.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import {
  checkRunnable,
  checkSavable,
  MIN_TOKEN_LENGTH,
  type RunnableContext,
  StartError,
} from "../../src/config/runnable.ts";
import { SettingsError } from "../../src/config/settings.ts";

const PATH = "/fake/openclaw.json";
const ENV = { OPENCLAW_HOME: "/nonexistent-openclaw-home" };
const CTX: RunnableContext = { env: ENV, paths: resolvePaths({}, ENV) };

async function verdict(config: unknown, ctx: Partial<RunnableContext> = {}) {
  const raw = typeof config === "string" ? config : JSON.stringify(config, null, 2);
  return checkRunnable(await parseConfigText(PATH, raw, ctx.env ?? ENV), { ...CTX, ...ctx });
}

function local(gateway: Record<string, unknown> = {}) {
  return { gateway: { mode: "local", auth: { token: "t".repeat(32) }, ...gateway } };
}

Deno.test("checkRunnable() accepts a fresh config from newConfigText(generateToken())", async () => {
  const token = generateToken();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(token, generateToken());
  const text = newConfigText(token, { by: "openclaw setup" });
  assert.match(text, /^\/\/ OpenClaw gateway config \(JSON5\)\. Created by "openclaw setup"\./);
  const v = await verdict(text);
  assert.ok(v.ok);
  assert.equal(v.settings.auth.token, token);
  assert.equal(v.settings.auth.mode, "token");
});

Deno.test("checkRunnable() refuses an invalid file with the ConfigError of a start", async () => {
  const v = await verdict(local({ port: "nope" }));
  assert.ok(!v.ok);
  assert.ok(v.error instanceof ConfigError);
  assert.deepEqual(v.issues.map((i) => i.path), ["gateway.port"]);
  assert.equal(v.message, v.error.message);
});

Deno.test("checkRunnable() refuses gateway.mode other than local unless allowUnconfigured", async () => {
  const remote = { gateway: { mode: "remote", auth: { token: "t".repeat(32) } } };
  const v = await verdict(remote);
  assert.ok(!v.ok);
  assert.ok(v.error instanceof StartError);
  assert.match(v.message, /^Gateway start blocked: set gateway\.mode to "local" in \/fake/);
  assert.deepEqual(v.issues.map((i) => [i.path, i.line]), [["gateway.mode", 3]]);
  assert.ok((await verdict(remote, { allowUnconfigured: true })).ok);
});

Deno.test("checkRunnable() needs the secret of the auth mode from the file, env or flags", async () => {
  const noToken = await verdict({ gateway: { mode: "local" } });
  assert.ok(!noToken.ok);
  assert.ok(noToken.error instanceof StartError);
  assert.match(noToken.message, /^No gateway token configured: add gateway\.auth\.token/);
  assert.deepEqual(noToken.issues.map((i) => i.path), ["gateway.auth.token"]);
  const env = { ...ENV, OPENCLAW_GATEWAY_TOKEN: "from-env-0123456789" };
  assert.ok((await verdict({ gateway: { mode: "local" } }, { env })).ok);
  assert.ok(
    (await verdict({ gateway: { mode: "local" } }, { flags: { token: "flag-token-0123456789" } }))
      .ok,
  );
  const noPassword = await verdict({ gateway: { mode: "local", auth: { mode: "password" } } });
  assert.ok(!noPassword.ok);
  assert.match(noPassword.message, /^Auth mode is "password" but no password is set/);
});

Deno.test("checkRunnable() refuses settings the gateway cannot listen with", async () => {
  const custom = await verdict(local({ bind: "custom" }));
  assert.ok(!custom.ok);
  assert.ok(custom.error instanceof SettingsError);
  assert.match(custom.message, /^Bind mode "custom" needs gateway\.customBindHost/);
  const open = await verdict(local({ bind: "lan", auth: { mode: "none" } }));
  assert.ok(!open.ok);
  assert.match(open.message, /^Refusing to bind "0\.0\.0\.0" without auth/);
  assert.ok((await verdict(local({ bind: "custom", customBindHost: "10.0.0.5" }))).ok);
});

Deno.test("checkRunnable() refuses a token shorter than the minimum, without showing it", async () => {
  const short = await verdict({ gateway: { mode: "local", auth: { token: "abc-def" } } });
  assert.ok(!short.ok);
  assert.match(
    short.message,
    /^The gateway token is too short \(7 characters, at least 16 needed\)/,
  );
  assert.ok(!short.message.includes("abc-def"));
  assert.deepEqual(short.issues.map((i) => i.path), ["gateway.auth.token"]);
  const env = { ...ENV, OPENCLAW_GATEWAY_TOKEN: "x".repeat(MIN_TOKEN_LENGTH - 1) };
  assert.ok(!(await verdict({ gateway: { mode: "local" } }, { env })).ok);
  assert.ok(
    (await verdict({ gateway: { mode: "local", auth: { token: "x".repeat(MIN_TOKEN_LENGTH) } } }))
      .ok,
  );
});

Deno.test('checkRunnable() accepts {token: "", password} as password auth', async () => {
  const v = await verdict({
    gateway: { mode: "local", auth: { token: "", password: "pw-secret" } },
  });
  assert.ok(v.ok, v.ok ? "" : v.message);
  assert.equal(v.settings.auth.mode, "password");
});

Deno.test("checkRunnable() names a substituted value by its variable in a refusal", async () => {
  const env = { ...ENV, EVIL_HOST: "sk-live-0123456789abcdef" };
  const v = await verdict(
    local({ bind: "custom", customBindHost: "${EVIL_HOST}", auth: { mode: "none" } }),
    { env },
  );
  assert.ok(!v.ok);
  assert.match(v.message, /Refusing to bind "\$\{EVIL_HOST\}" without auth/);
  assert.ok(!v.message.includes("sk-live") && !v.error.message.includes("sk-live"));
  assert.ok(!JSON.stringify(v.issues).includes("sk-live"));
});

Deno.test("checkSavable() refuses what runs only thanks to flags, saying why", async () => {
  const snap = await parseConfigText(PATH, "{}", ENV);
  const flags = { ...CTX, flags: { token: "t".repeat(32) }, allowUnconfigured: true };
  const running = checkRunnable(snap, flags);
  assert.ok(running.ok);
  const saved = checkSavable(snap, flags, running);
  assert.ok(!saved.ok);
  assert.match(saved.message, /^Gateway start blocked: .*as the service does: without this run's/);
  const good = await parseConfigText(PATH, JSON.stringify(local()), ENV);
  const ok = checkRunnable(good, flags);
  assert.equal(checkSavable(good, flags, ok), ok);
});
