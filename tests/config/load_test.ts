import assert from "node:assert/strict";
import {
  ConfigError,
  formatIssues,
  parseConfigText,
  readConfig,
  sha256Hex,
} from "../../src/config/load.ts";
import { writeFileAtomic } from "../../src/config/write.ts";

const PATH = "/home/ada/.openclaw/openclaw.json";

Deno.test("parseConfigText() accepts JSON5 with comments, single quotes and trailing commas", async () => {
  const raw = `// my gateway
{
  /* block comment */
  gateway: {
    mode: 'local',
    port: 18790,
    auth: { token: "abc-def", },
  },
  channels: { telegram: { enabled: true } },
}
`;
  const snap = await parseConfigText(PATH, raw, {});
  assert.deepEqual(snap.issues, []);
  assert.deepEqual(snap.config, {
    gateway: { mode: "local", port: 18790, auth: { token: "abc-def" } },
    channels: { telegram: { enabled: true } },
  });
  assert.equal(snap.exists, true);
  assert.equal(snap.raw, raw);
  assert.equal(snap.hash, await sha256Hex(raw));
  assert.match(snap.hash, /^[0-9a-f]{64}$/);
});

Deno.test("parseConfigText() reports an unknown key with its dotted path and line", async () => {
  const raw = `{\n  gateway: {\n    mode: "local",\n    prot: 18789,\n  },\n}\n`;
  const snap = await parseConfigText(PATH, raw, {});
  assert.equal(snap.config, undefined);
  assert.deepEqual(snap.issues, [{ path: "gateway.prot", message: "unknown key", line: 4 }]);

  const quoted = `{\n  "gateway": {\n    "auth": {\n      "tokn": "x"\n    }\n  }\n}`;
  assert.deepEqual((await parseConfigText(PATH, quoted, {})).issues, [
    { path: "gateway.auth.tokn", message: "unknown key", line: 4 },
  ]);
  assert.deepEqual((await parseConfigText(PATH, `{\n  gatway: {},\n}`, {})).issues, [
    { path: "gatway", message: "unknown key", line: 2 },
  ]);
});

Deno.test("parseConfigText() refuses a model choice that is not provider/model, an alias or a configured id", async () => {
  const raw =
    `{\n  agents: {\n    defaults: {\n      model: { primary: "gpt4", fallbacks: ["openai/x", "y"] },\n    },\n    list: [{ id: "ops", model: "/bad" }],\n  },\n}\n`;
  const snap = await parseConfigText(PATH, raw, {});
  assert.equal(snap.config, undefined);
  assert.deepEqual(snap.issues.map((i) => i.path), [
    "agents.defaults.model.primary",
    "agents.defaults.model.fallbacks.1",
    "agents.list.0.model",
  ]);
  assert.match(snap.issues[0].message, /model "gpt4" is not a "provider\/model" reference/);
  assert.match(snap.issues[0].message, /write it as "provider\/model"/);
  assert.equal(snap.issues[0].line, 4);
  const ok = `{
    models: { providers: { local: { baseUrl: "http://127.0.0.1:1/v1", models: [{ id: "llama", name: "llama" }] } } },
    agents: { defaults: { model: { primary: "fast", fallbacks: ["llama"] }, models: { "openai/gpt-6-astra": { alias: "fast" } } } },
  }`;
  const good = await parseConfigText(PATH, ok, {});
  assert.deepEqual(good.issues, []);
  assert.ok(good.config);
});

Deno.test("parseConfigText() reports wrong types and lists the allowed values of an enum", async () => {
  const raw =
    `{\n  gateway: { mode: "local" },\n  logging: { level: "loud" },\n  canvasHost: { port: 1.5 },\n  gateway2: 1,\n}\n`;
  const snap = await parseConfigText(PATH, raw, {});
  const byPath = Object.fromEntries(snap.issues.map((i) => [i.path, i]));
  assert.deepEqual(byPath["logging.level"], {
    path: "logging.level",
    message: 'must be one of "trace", "debug", "info", "warn", "error", "silent"',
    line: 3,
  });
  assert.deepEqual(byPath["canvasHost.port"], {
    path: "canvasHost.port",
    message: "must be integer",
    line: 4,
  });
  assert.deepEqual(byPath["gateway2"], { path: "gateway2", message: "unknown key", line: 5 });
  assert.equal(snap.issues.length, 3, "every issue at once, each once");

  const portText = `{\n  gateway: {\n    port: "18789",\n  },\n}`;
  assert.deepEqual((await parseConfigText(PATH, portText, {})).issues, [
    { path: "gateway.port", message: "must be integer", line: 3 },
  ]);
  const range = await parseConfigText(PATH, `{ gateway: { port: 70000 } }`, {});
  assert.equal(range.issues[0].path, "gateway.port");
  assert.match(range.issues[0].message, /65535/);
});

Deno.test("parseConfigText() locates a key that follows a nested object using the same key name", async () => {
  // `mode` first appears inside gateway.auth (line 3); the bad gateway.mode is on line 4.
  const raw =
    `{\n  gateway: {\n    auth: { mode: "token", token: "x" },\n    mode: "lcoal",\n  },\n}\n`;
  const snap = await parseConfigText(PATH, raw, {});
  assert.deepEqual(snap.issues, [
    { path: "gateway.mode", message: 'must be one of "local", "remote"', line: 4 },
  ]);
});

Deno.test("parseConfigText() reports a JSON5 syntax error with line and column", async () => {
  const raw = `{\n  gateway: {\n    mode: "local"\n    port: 18789,\n  },\n}\n`;
  const snap = await parseConfigText(PATH, raw, {});
  assert.equal(snap.config, undefined);
  assert.equal(snap.parsed, undefined);
  assert.equal(snap.issues.length, 1);
  const [issue] = snap.issues;
  assert.equal(issue.path, "");
  assert.equal(issue.line, 4);
  assert.equal(issue.column, 5);
  assert.match(issue.message, /^not valid JSON5: invalid character 'p' at 4:5$/);
});

Deno.test("parseConfigText() refuses an empty file and a non-object top level", async () => {
  for (const raw of ["", "   \n\t\n"]) {
    assert.deepEqual((await parseConfigText(PATH, raw, {})).issues, [
      { path: "", message: "file is empty (write {} for an empty config)", line: 1 },
    ]);
  }
  for (const raw of ["[1, 2]", "42", '"text"', "null"]) {
    const snap = await parseConfigText(PATH, raw, {});
    assert.deepEqual(snap.issues, [{
      path: "",
      message: "the top level must be an object",
      line: 1,
    }], raw);
    assert.equal(snap.config, undefined);
  }
  const empty = await parseConfigText(PATH, "{}", {});
  assert.deepEqual([empty.issues, empty.config], [[], {}]);
});

Deno.test("parseConfigText() substitutes ${VAR} from the environment and names a missing one", async () => {
  const raw =
    `{\n  gateway: {\n    auth: { token: "\${OC_TOKEN}" },\n    remote: { url: "wss://\${OC_HOST}:\${OC_PORT}" },\n    trustedProxies: ["\${OC_PROXY}"],\n  },\n}\n`;
  const env = { OC_TOKEN: "t0k", OC_HOST: "gw.example", OC_PORT: "443", OC_PROXY: "10.0.0.1" };
  const snap = await parseConfigText(PATH, raw, env);
  assert.deepEqual(snap.issues, []);
  assert.deepEqual(snap.config?.gateway, {
    auth: { token: "t0k" },
    remote: { url: "wss://gw.example:443" },
    trustedProxies: ["10.0.0.1"],
  });
  // The parsed value keeps the reference: writes back must not bake secrets in.
  assert.equal(
    (snap.parsed as { gateway: { auth: { token: string } } }).gateway.auth.token,
    "${OC_TOKEN}",
  );

  const missing = await parseConfigText(PATH, raw, { ...env, OC_HOST: undefined });
  assert.equal(missing.config, undefined);
  assert.deepEqual(missing.issues, [
    { path: "gateway.remote.url", message: "environment variable OC_HOST is not set", line: 4 },
  ]);
  // Lower-case names are not references.
  const lower = await parseConfigText(PATH, `{ gateway: { auth: { token: "\${lower}" } } }`, {});
  assert.equal(lower.config?.gateway?.auth?.token, "${lower}");
});

Deno.test("formatIssues() names file, line and key, and what to do next", () => {
  assert.equal(
    formatIssues(PATH, [
      { path: "gateway.prot", message: "unknown key", line: 4 },
      { path: "", message: "not valid JSON5: x" },
    ]),
    `Invalid config ${PATH}:4: gateway.prot: unknown key; ${PATH}: not valid JSON5: x ` +
      `(fix the file, then run "openclaw doctor" to check it)`,
  );
});

Deno.test("readConfig() treats a missing file as an empty valid config; a ConfigError names file, line and key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-load-" });
  try {
    const missing = await readConfig(`${dir}/nope.json`, {});
    assert.deepEqual(
      [missing.exists, missing.raw, missing.config, missing.issues],
      [false, null, {}, []],
    );
    assert.equal(missing.hash, await sha256Hex(""));

    const path = `${dir}/openclaw.json`;
    await Deno.writeTextFile(path, `{\n  gateway: {\n    bind: "everywhere",\n  },\n}\n`);
    const bad = await readConfig(path, {});
    assert.equal(bad.config, undefined);
    const err = new ConfigError(bad.path, bad.issues);
    assert.equal(err.path, path);
    assert.equal(err.issues[0].path, "gateway.bind");
    assert.match(
      err.message,
      new RegExp(`^Invalid config ${path}:3: gateway\\.bind: must be one of "loopback"`),
    );
    await Deno.writeTextFile(path, `{ gateway: { mode: "local" } }`);
    assert.equal((await readConfig(path, {})).config?.gateway?.mode, "local");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// tests/config/write_test.ts covers the basics of writeFileAtomic(); these are the cases it leaves.

Deno.test("writeFileAtomic() makes a loosened file private again and keeps only the latest previous version", async () => {
  const root = await Deno.makeTempDir({ prefix: "openclaw-write-" });
  try {
    const dir = `${root}/state/nested`;
    const path = `${dir}/openclaw.json`;
    await writeFileAtomic(path, "first\n");
    assert.equal(
      (await Deno.stat(`${root}/state`)).mode! & 0o777,
      0o700,
      "parents are private too",
    );
    await writeFileAtomic(path, "second\n");
    await writeFileAtomic(path, "third\n");
    assert.equal(await Deno.readTextFile(`${path}.bak`), "second\n");

    await Deno.chmod(path, 0o644);
    const big = "x".repeat(300_000);
    await writeFileAtomic(path, big, { backup: false });
    assert.equal(await Deno.readTextFile(path), big);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal(
      await Deno.readTextFile(`${path}.bak`),
      "second\n",
      "backup: false keeps the old .bak",
    );

    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), ["openclaw.json", "openclaw.json.bak"], "no temp files left");

    // A hand-loosened config becomes a private .bak when replaced.
    await Deno.chmod(path, 0o644);
    await writeFileAtomic(path, "fourth\n");
    assert.equal((await Deno.stat(`${path}.bak`)).mode! & 0o777, 0o600, ".bak must be 0600");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
