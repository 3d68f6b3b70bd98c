import assert from "node:assert/strict";
import { GatewayCallError } from "../../src/client/gateway_client.ts";
import { REDACTED } from "../../src/config/redact.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";

interface ValidateResult {
  valid: boolean;
  hash: string;
  stale: boolean;
  issues: { path: string; message: string; line?: number; column?: number }[];
  message?: string;
  mode: string;
  restart: boolean;
  changes: { path: string; effect: string; action?: string }[];
}

const HOOKS_TOKEN = "hooks-token-0123456789abcdef";
const BASE = {
  gateway: { mode: "local", auth: { token: TEST_TOKEN }, reload: { debounceMs: 50 } },
  hooks: { enabled: true, token: HOOKS_TOKEN },
};

function text(config: unknown): string {
  return JSON.stringify(config, null, 2) + "\n";
}

Deno.test("config.validate names line and key of a bad edit and writes nothing", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const before = await Deno.readTextFile(path);
  const { hash, raw } = await client.request<{ hash: string; raw: string }>("config.get", {});
  const schemaBad = raw.replace('"mode": "local",', '"mode": "local",\n    "port": "nope",');
  const res = await client.request<ValidateResult>("config.validate", {
    raw: schemaBad,
    baseHash: hash,
  });
  assert.equal(res.valid, false);
  assert.equal(res.stale, false);
  assert.deepEqual(res.issues.map((i) => [i.path, i.line]), [["gateway.port", 4]]);
  assert.match(res.issues[0].message, /must be integer/);
  assert.deepEqual(res.changes, []);
  const parseBad = await client.request<ValidateResult>("config.validate", {
    raw: raw.replace('"local",', '"local"'),
  });
  assert.equal(parseBad.valid, false);
  assert.equal(parseBad.issues[0].line, 4);
  assert.ok(parseBad.issues[0].column! > 0);
  assert.match(parseBad.issues[0].message, /^not valid JSON5/);
  const refused = await client.request<ValidateResult>("config.validate", {
    raw: text({ gateway: { mode: "local" } }),
  });
  assert.equal(refused.valid, false);
  assert.match(refused.message!, /No gateway token configured: add gateway\.auth\.token/);
  assert.equal(await Deno.readTextFile(path), before);
  await client.close();
});

Deno.test("config.validate says per changed key whether it is live or a restart", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const before = await Deno.readTextFile(path);
  const { hash, raw } = await client.request<{ hash: string; raw: string }>("config.get", {});
  const edited = JSON.parse(raw);
  edited.logging = { level: "debug" };
  const hot = await client.request<ValidateResult>("config.validate", {
    raw: text(edited),
    baseHash: hash,
  });
  // The masked secrets came back as masks: they are not changes.
  assert.equal(hot.valid, true, JSON.stringify(hot.issues));
  assert.equal(hot.mode, "hybrid");
  assert.equal(hot.restart, false);
  assert.deepEqual(hot.changes, [{
    path: "logging.level",
    effect: "hot",
    action: "set-log-level",
  }]);
  edited.gateway.port = 1;
  const restart = await client.request<ValidateResult>("config.validate", { raw: text(edited) });
  assert.equal(restart.restart, true);
  assert.deepEqual(restart.changes.find((c) => c.path === "gateway.port"), {
    path: "gateway.port",
    effect: "restart",
  });
  await Deno.writeTextFile(path, before.replace("50", "60"));
  const stale = await client.request<ValidateResult>("config.validate", {
    raw: text(edited),
    baseHash: hash,
  });
  assert.equal(stale.stale, true);
  assert.notEqual(stale.hash, hash);
  await client.close();
});

Deno.test("config.set and config.patch given the mask keep the stored secret", async () => {
  await using gw = await startTestGateway({ config: BASE });
  const client = await gw.connect();
  const path = gw.proc.paths.configPath;
  const got = await client.request<{ hash: string; raw: string }>("config.get", {});
  assert.ok(got.raw.includes(REDACTED) && !got.raw.includes(HOOKS_TOKEN));
  const set = await client.request<{ hash: string; config: typeof BASE }>("config.set", {
    raw: got.raw.replace('"enabled": true', '"enabled": false'),
    baseHash: got.hash,
  });
  const onDisk = JSON.parse(await Deno.readTextFile(path));
  assert.deepEqual(onDisk, { ...BASE, hooks: { enabled: false, token: HOOKS_TOKEN } });
  assert.equal(set.config.hooks.token, REDACTED);
  const patched = await client.request<{ hash: string }>("config.patch", {
    raw: JSON.stringify({ hooks: { token: REDACTED, enabled: true } }),
    baseHash: set.hash,
  });
  assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), BASE);
  // A mask where nothing is stored is refused, naming the key; nothing written.
  const before = await Deno.readTextFile(path);
  const err = await client.request("config.patch", {
    raw: JSON.stringify({ gateway: { remote: { token: REDACTED } } }),
    baseHash: patched.hash,
  }).then(() => undefined, (e) => e);
  assert.ok(err instanceof GatewayCallError);
  assert.match(err.error.message, /gateway\.remote\.token: is the masked placeholder/);
  assert.equal(await Deno.readTextFile(path), before);
  await client.close();
});
