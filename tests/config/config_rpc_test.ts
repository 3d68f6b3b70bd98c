import assert from "node:assert/strict";
import { GatewayCallError } from "../../src/client/gateway_client.ts";
import { sha256Hex } from "../../src/config/load.ts";
import { redactConfig, REDACTED } from "../../src/config/redact.ts";
import { VERSION } from "../../src/version.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { recordEvents, waitUntil } from "../_helpers/reload.ts";
import { within } from "../_helpers/limit.ts";

interface GetResult {
  path: string;
  exists: boolean;
  raw: string | null;
  parsed?: unknown;
  config: Record<string, unknown>;
  hash: string;
  valid: boolean;
  issues: { path: string; message: string; line?: number }[];
}
interface SetResult {
  ok: boolean;
  path: string;
  hash: string;
  config: Record<string, unknown>;
  restartExpectedMs?: number;
}

const BASE = {
  gateway: { mode: "local", auth: { token: TEST_TOKEN }, reload: { debounceMs: 50 } },
};

function text(config: unknown): string {
  return JSON.stringify(config, null, 2) + "\n";
}

async function rejectsWith(p: Promise<unknown>, re: RegExp): Promise<GatewayCallError> {
  const err = await p.then(() => undefined, (e) => e);
  assert.ok(err instanceof GatewayCallError, `expected a rejection matching ${re}, got ${err}`);
  assert.equal(err.error.code, "INVALID_REQUEST");
  assert.match(err.error.message, re);
  return err;
}

Deno.test("config.get returns the file, its hash, parsed config and validity", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const got = await client.request<GetResult>("config.get", {});
  const onDisk = await Deno.readTextFile(gw.proc.paths.configPath);
  const masked = { gateway: { ...BASE.gateway, auth: { token: REDACTED } } };
  assert.equal(got.path, gw.proc.paths.configPath);
  assert.equal(got.exists, true);
  assert.equal(got.raw, onDisk.replace(TEST_TOKEN, REDACTED));
  assert.equal(got.hash, await sha256Hex(onDisk));
  assert.equal(got.valid, true);
  assert.deepEqual(got.issues, []);
  assert.deepEqual(got.parsed, masked);
  assert.deepEqual(got.config, masked);
  assert.ok(!JSON.stringify(got).includes(TEST_TOKEN));
  await client.close();
});

Deno.test("config.schema returns the JSON Schema of the config file", async () => {
  await using gw = await startTestGateway();
  const client = await gw.connect();
  const res = await client.request<{
    schema: { type: string; additionalProperties: boolean; properties: Record<string, unknown> };
    uiHints: Record<string, unknown>;
    version: string;
    generatedAt: string;
  }>("config.schema", {});
  assert.equal(res.schema.type, "object");
  assert.equal(res.schema.additionalProperties, false);
  for (const key of ["gateway", "logging", "hooks", "channels", "commands"]) {
    assert.ok(key in res.schema.properties, `schema lacks ${key}`);
  }
  assert.deepEqual(res.uiHints, {});
  assert.equal(res.version, VERSION);
  assert.ok(!Number.isNaN(Date.parse(res.generatedAt)));
  await client.close();
});

Deno.test("config.set writes atomically with a .bak, applies live, and keeps clients", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const events = recordEvents(client);
  const path = gw.proc.paths.configPath;
  const before = await Deno.readTextFile(path);
  const { hash } = await client.request<GetResult>("config.get", {});
  const next = text({
    ...BASE,
    logging: { level: "debug" },
    hooks: { enabled: true, token: "hooks-token-0123456789abcdef" },
  });
  const res = await client.request<SetResult>("config.set", { raw: next, baseHash: hash });
  assert.equal(res.ok, true);
  assert.equal(res.hash, await sha256Hex(next));
  assert.equal(await Deno.readTextFile(path), next);
  assert.equal(await Deno.readTextFile(`${path}.bak`), before);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  // Applied directly (no wait for the watcher), hot: same connection still works.
  assert.equal(gw.proc.config.hash, res.hash);
  assert.ok(gw.lines.some((l) => /config applied: set-log-level \(logging\.level\)/.test(l)));
  assert.ok(
    gw.lines.some((l) => /config applied: reload-hooks \(hooks\.enabled, hooks\.token\)/.test(l)),
  );
  const health = await client.request<{ ok: boolean }>("health", {});
  assert.equal(health.ok, true);
  assert.ok(!events.some((e) => e.event === "shutdown"));
  await client.close();
});

Deno.test("config.set with a stale baseHash is rejected and the file is unchanged", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const { hash: stale } = await client.request<GetResult>("config.get", {});
  const first = text({ ...BASE, meta: { n: 1 } });
  await client.request("config.set", { raw: first, baseHash: stale });
  const err = await rejectsWith(
    client.request("config.set", { raw: text({ ...BASE, meta: { n: 2 } }), baseHash: stale }),
    /^Config changed since baseHash [0-9a-f]{12} was read .*nothing written \(call config\.get/,
  );
  assert.deepEqual(err.error.details, { currentHash: await sha256Hex(first) });
  assert.equal(await Deno.readTextFile(path), first);
  await client.close();
});

Deno.test("config.set racing on one baseHash: exactly one write wins", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const { hash } = await client.request<GetResult>("config.get", {});
  const raws = [1, 2, 3, 4, 5].map((n) => text({ ...BASE, meta: { n } }));
  const results = await Promise.allSettled(
    raws.map((raw) => client.request<SetResult>("config.set", { raw, baseHash: hash })),
  );
  const won = results.flatMap((r, i) => r.status === "fulfilled" ? [i] : []);
  assert.equal(won.length, 1, `expected one winner, got ${won.length}`);
  for (const r of results) {
    if (r.status === "rejected") {
      assert.ok(r.reason instanceof GatewayCallError);
      assert.match(r.reason.error.message, /^Config changed since baseHash/);
    }
  }
  assert.equal(await Deno.readTextFile(gw.proc.paths.configPath), raws[won[0]]);
  await client.close();
});

Deno.test("config.set without baseHash is rejected while the file exists", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const before = await Deno.readTextFile(gw.proc.paths.configPath);
  await rejectsWith(
    client.request("config.set", { raw: text(BASE) }),
    /^config\.set needs baseHash because .*openclaw\.json exists; nothing written/,
  );
  assert.equal(await Deno.readTextFile(gw.proc.paths.configPath), before);
  await client.close();
});

Deno.test("config.set rejects an invalid config naming line and key, writing nothing", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const before = await Deno.readTextFile(path);
  const { hash } = await client.request<GetResult>("config.get", {});
  const bad = `{\n  gateway: {\n    mode: "local",\n    port: "nope",\n  },\n}\n`;
  const err = await rejectsWith(
    client.request("config.set", { raw: bad, baseHash: hash }),
    /^Config rejected, nothing written: .*openclaw\.json:4: gateway\.port: must be integer/,
  );
  const details = err.error.details as { issues: { path: string; line: number }[] };
  assert.deepEqual(details.issues.map((i) => [i.path, i.line]), [["gateway.port", 4]]);
  assert.equal(await Deno.readTextFile(path), before);
  await client.close();
});

Deno.test("config.set rejects a valid config the gateway could not run (no token)", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const before = await Deno.readTextFile(gw.proc.paths.configPath);
  const { hash } = await client.request<GetResult>("config.get", {});
  await rejectsWith(
    client.request("config.set", { raw: text({ gateway: { mode: "local" } }), baseHash: hash }),
    /^Config rejected, nothing written: No gateway token configured: add gateway\.auth\.token/,
  );
  assert.equal(await Deno.readTextFile(gw.proc.paths.configPath), before);
  await client.close();
});

Deno.test("config.set rejects what the gateway would refuse at start, naming the key", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const before = await Deno.readTextFile(gw.proc.paths.configPath);
  const { hash } = await client.request<GetResult>("config.get", {});
  const gateway = BASE.gateway;
  const refused: [unknown, RegExp, string][] = [
    [
      { gateway: { ...gateway, mode: undefined } },
      /Gateway start blocked: set gateway\.mode/,
      "gateway.mode",
    ],
    [
      { gateway: { ...gateway, bind: "custom" } },
      /Bind mode "custom" needs gateway\.customBindHost/,
      "",
    ],
    [
      { gateway: { ...gateway, bind: "lan", auth: { mode: "none" } } },
      /Refusing to bind "0\.0\.0\.0" without auth/,
      "",
    ],
  ];
  for (const [config, re, key] of refused) {
    const err = await rejectsWith(
      client.request("config.set", { raw: text(config), baseHash: hash }),
      new RegExp(`^Config rejected, nothing written: ${re.source}`),
    );
    const details = err.error.details as { issues: { path: string }[] };
    assert.deepEqual(details.issues.map((i) => i.path), [key]);
  }
  assert.equal(await Deno.readTextFile(gw.proc.paths.configPath), before);
  await client.close();
});

Deno.test("config.set applies at once even when gateway.reload.mode is off", async () => {
  const off = { gateway: { ...BASE.gateway, reload: { mode: "off", debounceMs: 50 } } };
  await using gw = await startTestGateway({ config: off });
  const client = await gw.connect();
  const { hash } = await client.request<GetResult>("config.get", {});
  const res = await client.request<SetResult>("config.set", {
    raw: text({ ...off, logging: { level: "debug" } }),
    baseHash: hash,
  });
  assert.equal(gw.proc.config.hash, res.hash);
  assert.ok(gw.lines.some((l) => /config applied: set-log-level \(logging\.level\)/.test(l)));
  await client.close();
});

Deno.test("config answers show ${VAR} references as written, never the secret from the environment", async () => {
  const secret = "env-secret-0123456789abcdef0123456789abcdef";
  const config = {
    gateway: { mode: "local", auth: { token: "${OPENCLAW_TEST_SECRET}" } },
  };
  await using gw = await startTestGateway({ config, env: { OPENCLAW_TEST_SECRET: secret } });
  const client = await gw.connect({ token: secret });
  const got = await client.request<GetResult>("config.get", {});
  assert.equal(got.valid, true);
  assert.deepEqual(got.config, config);
  const set = await client.request<SetResult>("config.set", {
    raw: text({ ...config, meta: { n: 1 } }),
    baseHash: got.hash,
  });
  assert.deepEqual(set.config, { ...config, meta: { n: 1 } });
  const patched = await client.request<SetResult>("config.patch", {
    raw: "{ meta: { n: 2 } }",
    baseHash: set.hash,
  });
  assert.deepEqual((patched.config as { gateway: unknown }).gateway, config.gateway);
  for (const answer of [got, set, patched]) assert.ok(!JSON.stringify(answer).includes(secret));
  await client.close();
});

Deno.test("config.patch merges a JSON merge patch into the file and keeps the rest", async () => {
  await using gw = await startTestGateway({ config: { ...BASE, meta: { a: 1, b: 2 } } });
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  let { hash } = await client.request<GetResult>("config.get", {});
  const res = await client.request<SetResult>("config.patch", {
    raw: `{ meta: { a: null, c: [1] }, logging: { level: "warn" } }`,
    baseHash: hash,
  });
  const want = { ...BASE, meta: { b: 2, c: [1] }, logging: { level: "warn" } };
  assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), want);
  assert.deepEqual(res.config, redactConfig(want));
  hash = res.hash;
  await rejectsWith(
    client.request("config.patch", { raw: `{ meta: {} }`, baseHash: "0".repeat(64) }),
    /^Config changed since baseHash/,
  );
  await rejectsWith(
    client.request("config.patch", { raw: `[1]`, baseHash: hash }),
    /^config\.patch raw must be a JSON object/,
  );
  await rejectsWith(
    client.request("config.patch", { raw: `{ gateway: { port: -1 } }`, baseHash: hash }),
    /gateway\.port: must be >= 0/,
  );
  assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), want);
  await client.close();
});

Deno.test("config.apply writes, answers restartExpectedMs, and restarts once in process", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const events = recordEvents(client);
  const before = gw.proc.instance;
  const { hash } = await client.request<GetResult>("config.get", {});
  const next = text({ ...BASE, meta: { applied: true } });
  const res = await client.request<SetResult>("config.apply", {
    raw: next,
    baseHash: hash,
    restartDelayMs: 50,
  });
  assert.equal(res.restartExpectedMs, 50 + 1500);
  assert.equal(await Deno.readTextFile(gw.proc.paths.configPath), next);
  const closed = await within(client.closed, 10_000, "the 1012 close");
  assert.equal(closed.code, 1012);
  const shutdown = events.find((e) => e.event === "shutdown");
  assert.deepEqual(shutdown?.payload, { reason: "config.apply", restartExpectedMs: 1500 });
  await waitUntil(() => gw.lines.some((l) => /restart complete/.test(l)), "restart complete");
  assert.notEqual(gw.proc.instance, before);
  const again = await gw.connect();
  assert.equal((await again.request<{ ok: boolean }>("health", {})).ok, true);
  // The file watcher's echo of the write must not restart a second time.
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(gw.lines.filter((l) => /restarting in process/.test(l)).length, 1);
  await again.close();
});

Deno.test("config.get needs operator.admin", async () => {
  await using gw = await startTestGateway();
  const client = await gw.connect({ scopes: ["operator.read", "operator.write"] });
  await rejectsWith(client.request("config.get", {}), /^missing scope: operator\.admin$/);
  await rejectsWith(
    client.request("config.set", { raw: "{}", baseHash: "x" }),
    /^missing scope: operator\.admin$/,
  );
  await client.close();
});
