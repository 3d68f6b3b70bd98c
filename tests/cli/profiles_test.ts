/**
 * Profile isolation as real processes: `--profile NAME` and `--dev` keep
 * config, token and logs in their own state folder, and client commands of a
 * profile find that instance.
 */

import assert from "node:assert/strict";
import { cliEnv, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";
import {
  freePort,
  listDir,
  modeOf,
  runCliBounded,
  startGatewayCli,
  stopWith,
  tokenIn,
  utcDate,
} from "../_helpers/cli_e2e.ts";

Deno.test("openclaw --profile work and --dev keep config, token and logs in their own state folder", async () => {
  const work = await tempHome();
  const dev = await tempHome();
  try {
    const dayBefore = utcDate();
    // --port keeps the dev gateway off its real base port 19001.
    const [gwWork, gwDev] = await Promise.all([
      startGatewayCli(["--profile", "work", "gateway", "--port", "0"], cliEnv(work.home)),
      startGatewayCli(["--dev", "gateway", "--port", "0"], cliEnv(dev.home)),
    ]);
    await using _w = gwWork;
    await using _d = gwDev;
    assert.deepEqual(
      (await Promise.all([stopWith(gwWork, "SIGTERM"), stopWith(gwDev, "SIGTERM")])).map((s) =>
        s.code
      ),
      [0, 0],
    );
    const days = [dayBefore, utcDate()];
    for (
      const [home, profile, hint, gw] of [
        [work.home, "work", "openclaw --profile work health", gwWork],
        [dev.home, "dev", "openclaw --dev health", gwDev],
      ] as const
    ) {
      const stateDir = `${home}/.openclaw-${profile}`;
      assert.deepEqual(await listDir(home), [`.openclaw-${profile}`], `only the ${profile} folder`);
      assert.equal(await modeOf(stateDir), 0o700);
      assert.equal(await modeOf(`${stateDir}/openclaw.json`), 0o600);
      const logs = await listDir(`${stateDir}/logs`);
      assert.equal(logs.length, 1, `${profile} logs: ${logs}`);
      assert.ok(days.some((d) => logs[0] === `openclaw-${profile}-${d}.log`), logs[0]);
      assert.ok(gw.lines.some((l) => l.includes(hint)), `ready line says "${hint}"`);
    }
    const [workToken, devToken] = await Promise.all([
      tokenIn(`${work.home}/.openclaw-work/openclaw.json`),
      tokenIn(`${dev.home}/.openclaw-dev/openclaw.json`),
    ]);
    assert.notEqual(workToken, devToken, "each first run generates its own token");
  } finally {
    await work.cleanup();
    await dev.cleanup();
  }
});

Deno.test("openclaw --profile work health finds that instance's port and token; the default and dev profiles do not", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const port = freePort();
    const configPath = await writeConfig(
      home,
      { gateway: { mode: "local", port, auth: { token: TEST_TOKEN } } },
      "work",
    );
    await using gw = await startGatewayCli(["--profile", "work", "gateway"], cliEnv(home));
    assert.equal(gw.port, port, "the gateway took gateway.port from the profile's config");

    const [byFlag, byEnv, byDefault, byDev] = await Promise.all([
      runCliBounded(["--profile", "work", "health", "--json"], cliEnv(home)),
      runCliBounded(["status", "--json"], cliEnv(home, { OPENCLAW_PROFILE: "work" })),
      runCliBounded(["health", "--timeout", "3000"], cliEnv(home)),
      runCliBounded(["--dev", "health", "--timeout", "3000"], cliEnv(home)),
    ]);
    assert.equal(byFlag.code, 0, byFlag.stderr);
    assert.equal(JSON.parse(byFlag.stdout).config.path, configPath);
    assert.equal(byEnv.code, 0, byEnv.stderr);
    assert.equal(JSON.parse(byEnv.stdout).url, `ws://127.0.0.1:${port}`);

    // The default profile looks at its own (default) port, without the work token.
    assert.notEqual(byDefault.code, 0, byDefault.stdout);
    assert.ok(byDefault.stderr.includes("ws://127.0.0.1:18789"), byDefault.stderr);
    assert.ok(!byDefault.stderr.includes(`:${port}`), byDefault.stderr);
    // --dev without a config looks at the dev base port.
    assert.notEqual(byDev.code, 0, byDev.stdout);
    assert.ok(byDev.stderr.includes("ws://127.0.0.1:19001"), byDev.stderr);
    assert.equal((await stopWith(gw, "SIGTERM")).code, 0);
  } finally {
    await cleanup();
  }
});
