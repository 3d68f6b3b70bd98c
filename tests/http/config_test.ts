import assert from "node:assert/strict";
import { parseConfigText } from "../../src/config/load.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { checkRunnable, StartError } from "../../src/config/runnable.ts";
import { HTTP_DEFAULTS, httpSettings } from "../../src/http/mod.ts";

const PATH = "/fake/openclaw.json";
const ENV = { OPENCLAW_HOME: "/nonexistent-openclaw-home" };
const TOKEN = "t".repeat(32);

async function verdict(config: Record<string, unknown>) {
  const full = { gateway: { mode: "local", auth: { token: TOKEN } }, ...config };
  return checkRunnable(await parseConfigText(PATH, JSON.stringify(full, null, 2), ENV), {
    env: ENV,
    paths: resolvePaths({}, ENV),
  });
}

Deno.test("checkRunnable() refuses enabled hooks without a token, with the gateway's, or a short one", async () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ enabled: true }, "hooks.token", /hooks\.token is not set/],
    [{ enabled: true, token: TOKEN }, "hooks.token", /must differ from the gateway token/],
    [{ enabled: true, token: "short" }, "hooks.token", /shorter than 16/],
    [{ enabled: true, token: "h".repeat(32), path: "/" }, "hooks.path", /shadow every route/],
    [
      { enabled: true, token: "h".repeat(32), presets: ["gmail"] },
      "hooks.presets",
      /no hook presets/,
    ],
  ];
  for (const [hooks, key, re] of cases) {
    const v = await verdict({ hooks });
    assert.ok(!v.ok, JSON.stringify(hooks));
    assert.ok(v.error instanceof StartError);
    assert.equal(v.issues[0].path, key);
    assert.match(v.message, re);
    assert.ok(!v.message.includes(TOKEN), "the message never quotes a secret");
  }
  assert.ok((await verdict({ hooks: { enabled: false } })).ok, "disabled hooks need no token");
  assert.ok((await verdict({ hooks: { enabled: true, token: "h".repeat(32) } })).ok);
});

Deno.test("the schema closes hooks and gateway.http: an unknown key names its path", async () => {
  for (
    const [config, path] of [
      [{ hooks: { enabeld: true } }, "hooks.enabeld"],
      [{ hooks: { mappings: [{ match: { paht: "x" } }] } }, "hooks.mappings.0.match.paht"],
      [
        { gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints: { chat: {} } } } },
        "gateway.http.endpoints.chat",
      ],
    ] as const
  ) {
    const v = await verdict(config as Record<string, unknown>);
    assert.ok(!v.ok, path);
    assert.ok(
      v.issues.some((i) => i.path.replaceAll("/", ".").includes(path)),
      JSON.stringify(v.issues),
    );
  }
});

Deno.test("httpSettings() applies the spec's defaults", () => {
  const s = httpSettings({});
  assert.equal(s.chat.enabled, false);
  assert.equal(s.responses.enabled, false);
  assert.equal(s.hooks.enabled, false);
  assert.equal(s.chat.maxBodyBytes, 20 * 1024 * 1024);
  assert.deepEqual(s.chat.images, {
    maxBytes: 10 * 1024 * 1024,
    maxTotalBytes: 20 * 1024 * 1024,
    maxParts: 8,
  });
  assert.equal(s.tools.maxBodyBytes, 2 * 1024 * 1024);
  assert.equal(s.hooks.path, "/hooks");
  assert.equal(s.hooks.maxBodyBytes, HTTP_DEFAULTS.hooksMaxBodyBytes);
  assert.deepEqual(s.headers, {});
  const r = httpSettings({
    gateway: {
      http: {
        endpoints: { responses: { enabled: true, files: { maxBytes: 16 * 1024 * 1024 } } },
        securityHeaders: { strictTransportSecurity: "max-age=31536000" },
      },
    },
    hooks: { path: "webhooks/" },
  });
  assert.equal(r.responses.maxBodyBytes, 32 * 1024 * 1024, "2x the file cap when larger");
  assert.equal(r.hooks.path, "/webhooks");
  assert.deepEqual(r.headers, { "Strict-Transport-Security": "max-age=31536000" });
});
