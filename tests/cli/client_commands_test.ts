/**
 * Client commands (`health`, `status`, `gateway call|health`) as real
 * processes: gateway down, credential precedence and auth failures, and the
 * `--url` rule (explicit URLs never get config or environment credentials).
 */

import assert from "node:assert/strict";
import {
  cliEnv,
  startTestGateway,
  tempHome,
  TEST_TOKEN,
  writeConfig,
} from "../_helpers/gateway.ts";
import { freePort, runCliBounded } from "../_helpers/cli_e2e.ts";

Deno.test("client commands exit 1 when the gateway is down, saying it is not reachable and how to start it", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const port = freePort();
    const env = cliEnv(home, { OPENCLAW_GATEWAY_PORT: String(port) });
    const commands = [
      ["health"],
      ["health", "--json"],
      ["status", "--json"],
      ["gateway", "call", "health", "--params", "{}"],
      ["gateway", "health"],
    ];
    const results = await Promise.all(commands.map((args) => runCliBounded(args, env)));
    results.forEach((res, i) => {
      const label = commands[i].join(" ");
      assert.equal(res.code, 1, `${label}: ${res.stderr}`);
      assert.equal(res.stdout, "", `${label} printed on stdout`);
      assert.ok(
        res.stderr.includes(`not reachable at ws://127.0.0.1:${port}`),
        `${label}: ${res.stderr}`,
      );
      assert.ok(res.stderr.includes(`"openclaw gateway"`), `${label}: ${res.stderr}`);
    });
    // Nothing of a client run is written into the state folder.
    assert.equal(await Deno.stat(`${home}/.openclaw`).then(() => true, () => false), false);
  } finally {
    await cleanup();
  }
});

Deno.test("client commands take the token from --token, then OPENCLAW_GATEWAY_TOKEN, then config, and name the auth failure code", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, {
      gateway: { port: gw.port, auth: { token: "config-token-wrong-0000" } },
    });
    const env = (token?: string) =>
      cliEnv(home, token === undefined ? {} : { OPENCLAW_GATEWAY_TOKEN: token });
    const [configWrong, envRight, flagRight, flagWrong] = await Promise.all([
      runCliBounded(["health"], env()),
      runCliBounded(["health"], env(TEST_TOKEN)),
      runCliBounded(["health", "--token", TEST_TOKEN], env("env-token-wrong-0000")),
      runCliBounded(["status", "--token", "flag-token-wrong"], env(TEST_TOKEN)),
    ]);
    for (const [label, res] of [["config", configWrong], ["flag", flagWrong]] as const) {
      assert.equal(res.code, 1, `${label}: ${res.stdout}`);
      assert.match(res.stderr, /refused the credentials \(AUTH_TOKEN_MISMATCH\)/, label);
      assert.ok(res.stderr.includes(gw.url), `${label} names the URL: ${res.stderr}`);
    }
    assert.equal(envRight.code, 0, `env beats config: ${envRight.stderr}`);
    assert.match(envRight.stdout, /^Gateway: ok/m);
    assert.equal(flagRight.code, 0, `flag beats env: ${flagRight.stderr}`);
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw gateway call|health use the --token given after the subcommand", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    // No credentials in config or env: only the flag can make these succeed.
    await writeConfig(home, { gateway: { port: gw.port } });
    const env = cliEnv(home);
    const commands = [
      ["gateway", "call", "status", "--token", TEST_TOKEN],
      ["gateway", "health", "--token", TEST_TOKEN],
      ["gateway", "call", "health", "--url", gw.url, "--token", TEST_TOKEN],
    ];
    const results = await Promise.all(commands.map((args) => runCliBounded(args, env)));
    const failed = results.flatMap((res, i) =>
      res.code === 0 ? [] : [`openclaw ${commands[i].join(" ")} -> ${res.code}: ${res.stderr}`]
    );
    assert.deepEqual(failed, [], "--token after the subcommand was not used");
  } finally {
    await cleanup();
  }
});

Deno.test("client commands with --url need explicit credentials and never send the configured ones", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    // The right token is in config and env: an explicit URL must still not get it.
    await writeConfig(home, { gateway: { port: gw.port, auth: { token: TEST_TOKEN } } });
    const env = cliEnv(home, { OPENCLAW_GATEWAY_TOKEN: TEST_TOKEN });
    const [bare, withToken, badScheme] = await Promise.all([
      runCliBounded(["gateway", "call", "health", "--url", gw.url], env),
      runCliBounded(["health", "--url", gw.url, "--token", TEST_TOKEN], env),
      runCliBounded(["status", "--url", `http://127.0.0.1:${gw.port}`, "--token", TEST_TOKEN], env),
    ]);
    assert.equal(bare.code, 1, `--url without creds: ${bare.stdout}`);
    assert.equal(bare.stdout, "");
    assert.match(bare.stderr, /^Error: --url .* needs --token or --password/m);
    assert.equal(withToken.code, 0, withToken.stderr);
    assert.match(withToken.stdout, /^Gateway: ok/m);
    assert.equal(badScheme.code, 1);
    assert.match(badScheme.stderr, /Invalid --url "http:\/\/127\.0\.0\.1:\d+": use ws:\/\//);
  } finally {
    await cleanup();
  }
});

Deno.test("client commands refuse a bad --timeout before connecting", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const res = await runCliBounded(
      ["gateway", "call", "health", "--timeout", "soon"],
      cliEnv(home, { OPENCLAW_GATEWAY_PORT: String(freePort()) }),
    );
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^Error: Invalid --timeout "soon"/m);
  } finally {
    await cleanup();
  }
});
