import assert from "node:assert/strict";
import { createFakeSupervisor, createServiceBench } from "../_helpers/fake_supervisor.ts";
import {
  cliEnv,
  runCli,
  spawnCli,
  tempHome,
  TEST_TOKEN,
  writeConfig,
} from "../_helpers/gateway.ts";

/** The top-level keys the README's `--json` shape promises (optional ones listed apart). */
const ALWAYS = ["config", "extraServices", "gateway", "legacyServices", "port", "service"];

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("gateway status against a running, a stopped and a squatted gateway", async (t) => {
  const { home, cleanup } = await tempHome();
  await using fake = await createFakeSupervisor();
  const port = freePort();
  const configPath = await writeConfig(home, {
    gateway: { mode: "local", port, auth: { token: TEST_TOKEN } },
  });
  const systemDir = `${home}/system-units`;
  await Deno.mkdir(systemDir);
  const env = cliEnv(home, {
    PATH: fake.path,
    USER: "ann",
    OPENCLAW_SERVICE_PLATFORM: "systemd",
    OPENCLAW_SYSTEMD_SYSTEM_DIR: systemDir,
  });
  const url = `ws://127.0.0.1:${port}`;
  try {
    await t.step("running: RPC ok, port busy with the gateway's pid", async () => {
      await using gw = spawnCli(["gateway"], env);
      await gw.waitFor(/gateway ready/);
      const r = await runCli(["gateway", "status", "--json"], env);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(report).sort(), [...ALWAYS, "rpc"].sort());
      assert.equal(report.rpc.ok, true);
      assert.equal(report.rpc.url, url);
      assert.equal(report.rpc.status.pid, gw.child.pid);
      assert.deepEqual(report.gateway, {
        bindMode: "loopback",
        bindHost: "127.0.0.1",
        port,
        portSource: "env/config",
        probeUrl: url,
      });
      assert.deepEqual(report.config, {
        cli: { path: configPath, exists: true, valid: true },
      });
      assert.equal(report.port.status, "busy");
      assert.ok(report.port.listeners.some((l: { pid: number }) => l.pid === gw.child.pid));
      assert.deepEqual(report.port.hints, []);
      assert.equal(report.service.label, "openclaw-gateway.service");
      assert.equal(report.service.installed, false);
      assert.equal(report.service.loaded, false);
      assert.equal(report.service.command, null);
      assert.deepEqual(await fake.calls(), [], "no supervisor call for an uninstalled service");

      const human = await runCli(["gateway", "status"], env);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /Service: openclaw-gateway\.service is not installed/);
      assert.match(human.stdout, new RegExp(`Config \\(cli\\): ${configPath} \\(valid\\)`));
      assert.match(human.stdout, new RegExp(`Probe target: ${url}\\n`));
      assert.match(human.stdout, /Gateway: bind loopback \(127\.0\.0\.1\)/);
      assert.match(human.stdout, /RPC probe: ok \(gateway v\d/);
    });

    await t.step("stopped: RPC fails with a non-zero exit, --no-probe does not", async () => {
      const r = await runCli(["gateway", "status", "--json"], env);
      assert.equal(r.code, 1);
      const report = JSON.parse(r.stdout);
      assert.equal(report.rpc.ok, false);
      assert.match(report.rpc.error, /connection refused/);
      assert.equal(report.port.status, "free");
      assert.match(report.port.hints.join("\n"), /nothing listens on port \d+/);
      assert.equal(report.lastError, undefined, "no service, so no last error");
      assert.match(r.stderr, /RPC probe of ws:\/\/127\.0\.0\.1:\d+ failed/);
      const skipped = await runCli(["gateway", "status", "--json", "--no-probe"], env);
      assert.equal(skipped.code, 0, skipped.stderr);
      assert.equal(JSON.parse(skipped.stdout).rpc, undefined);
    });

    await t.step("squatted: service looks up, port held by another process", async () => {
      assert.equal((await runCli(["gateway", "install"], env)).code, 0);
      await fake.reset();
      await fake.on("systemctl --user show openclaw-gateway.service *", {
        stdout: "ActiveState=active\nSubState=running\nMainPID=4242\nExecMainStatus=0\n" +
          "LoadState=loaded\nUnitFileState=enabled\n",
      });
      const day = new Date().toISOString().slice(0, 10);
      const log = `${home}/.openclaw/logs/openclaw-${day}.log`;
      const failure = `another gateway instance is already listening on ${url}`;
      await Deno.writeTextFile(
        log,
        JSON.stringify({ time: "t1", level: "error", subsystem: "gateway", msg: failure }) +
          "\n" + JSON.stringify({ time: "t2", level: "info", subsystem: "gateway", msg: "bye" }) +
          "\n",
        { append: true },
      );
      const squatter = Deno.listen({ hostname: "127.0.0.1", port });
      const accepting = (async () => {
        for await (const conn of squatter) conn.close();
      })();
      try {
        const r = await runCli(["gateway", "status", "--json", "--timeout", "2000"], env);
        assert.equal(r.code, 1);
        const report = JSON.parse(r.stdout);
        assert.equal(report.lastError, `t1 [gateway] ${failure}`);
        assert.equal(report.service.installed, true);
        assert.equal(report.service.loaded, true);
        assert.equal(report.service.runtime.status, "running");
        assert.equal(report.service.runtime.pid, 4242);
        assert.deepEqual(report.service.configAudit, { ok: true, issues: [] });
        assert.equal(report.gateway.portSource, "service args");
        assert.equal(report.port.status, "busy");
        assert.ok(report.port.listeners.some((l: { pid: number }) => l.pid === Deno.pid));
        assert.match(report.port.hints.join("\n"), /does not answer as this gateway/);
        assert.deepEqual(await fake.calls(), [
          "systemctl --user show openclaw-gateway.service -p " +
          "ActiveState,SubState,MainPID,ExecMainStatus,LoadState,UnitFileState",
        ]);
        const human = await runCli(["gateway", "status", "--timeout", "2000"], env);
        assert.match(human.stdout, new RegExp(`Last gateway error: t1 \\[gateway\\] ${failure}`));
        assert.match(human.stdout, /Runtime: running \(pid 4242, state active\/running, enabled\)/);
        assert.match(human.stdout, /RPC probe: failed/);
      } finally {
        squatter.close();
        await accepting.catch(() => {});
      }
    });

    await t.step(
      "other gateway-like services are warned about; --deep adds system units",
      async () => {
        const userDir = `${home}/.config/systemd/user`;
        await Deno.writeTextFile(`${userDir}/clawdbot-gateway.service`, "[Service]\n");
        await Deno.writeTextFile(`${userDir}/openclaw-gateway-rescue.service`, "[Service]\n");
        await Deno.writeTextFile(`${userDir}/unrelated.service`, "[Service]\n");
        await Deno.writeTextFile(
          `${systemDir}/my-bot.service`,
          "[Service]\nEnvironment=OPENCLAW_SERVICE_MARKER=openclaw\n",
        );
        const shallow = JSON.parse(
          (await runCli(["gateway", "status", "--json", "--no-probe"], env)).stdout,
        );
        assert.deepEqual(shallow.legacyServices, [
          { label: "clawdbot-gateway.service", detail: `${userDir}/clawdbot-gateway.service` },
        ]);
        assert.deepEqual(shallow.extraServices, []);
        const deep = await runCli(["gateway", "status", "--deep", "--no-probe"], env);
        assert.match(deep.stdout, /Warning: legacy service clawdbot-gateway\.service/);
        assert.match(
          deep.stdout,
          /Warning: another gateway-like system service my-bot\.service \(.*system-units/,
        );
        assert.doesNotMatch(deep.stdout, /rescue|unrelated/);
      },
    );
  } finally {
    await cleanup();
  }
});

const bench = () => createServiceBench();

/** Appends one JSON-lines error record to today's daily log `<logDir>/<prefix>-DAY.log`. */
async function logError(logDir: string, prefix: string, msg: string): Promise<void> {
  await Deno.mkdir(logDir, { recursive: true });
  const day = new Date().toISOString().slice(0, 10);
  const record = { time: "t", level: "error", subsystem: "gateway", msg };
  await Deno.writeTextFile(`${logDir}/${prefix}-${day}.log`, JSON.stringify(record) + "\n", {
    append: true,
  });
}

/** Adds `Environment=` lines to a unit's [Service] section, as an operator's hand edit would. */
async function addToService(unitPath: string, ...lines: string[]): Promise<void> {
  const text = await Deno.readTextFile(unitPath);
  await Deno.writeTextFile(
    unitPath,
    text.replace("[Service]\n", `[Service]\n${lines.join("\n")}\n`),
  );
}

Deno.test("gateway status reads the last error from the service's state dir and profile", async () => {
  await using b = await bench();
  const serviceState = `${b.home}/service-state`;
  const port = freePort();
  const installed = await runCli(
    ["gateway", "install", "--port", String(port)],
    { ...b.env, OPENCLAW_STATE_DIR: serviceState },
  );
  assert.equal(installed.code, 0, installed.stderr);
  await logError(`${b.home}/.openclaw/logs`, "openclaw", "the CLI's own instance");
  await logError(`${serviceState}/logs`, "openclaw", "the service's instance");

  // This CLI has no OPENCLAW_STATE_DIR: the service's config and logs live elsewhere.
  const r = await runCli(["gateway", "status", "--json", "--no-probe"], b.env);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.config.mismatch, true);
  assert.equal(report.config.daemon.path, `${serviceState}/openclaw.json`);
  assert.equal(report.lastError, "t [gateway] the service's instance");

  await addToService(b.unitPath, "Environment=OPENCLAW_PROFILE=blue");
  await logError(`${serviceState}/logs`, "openclaw-blue", "the blue profile");
  const blue = JSON.parse(
    (await runCli(["gateway", "status", "--json", "--no-probe"], b.env)).stdout,
  );
  assert.equal(blue.lastError, "t [gateway] the blue profile");
});

Deno.test("gateway status masks secrets a hand-edited unit holds but still probes with them", async () => {
  await using b = await bench();
  const port = freePort();
  await writeConfig(b.home, { gateway: { mode: "local", port, auth: { token: TEST_TOKEN } } });
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  const secret = "hand-added-secret-0123456789";
  await addToService(b.unitPath, `Environment=OPENCLAW_GATEWAY_TOKEN=${secret}`);
  const unit = await Deno.readTextFile(b.unitPath);
  await Deno.writeTextFile(
    b.unitPath,
    unit.replace(/^(ExecStart=.*)$/m, "$1 --password hunter2-password"),
  );
  // The gateway runs with the unit's token, not the config's.
  await using gw = spawnCli(["gateway"], { ...b.env, OPENCLAW_GATEWAY_TOKEN: secret });
  await gw.waitFor(/gateway ready/);

  const r = await runCli(["gateway", "status", "--json"], b.env);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.rpc.ok, true, "the probe used the unit's token");
  assert.equal(report.service.command.environment.OPENCLAW_GATEWAY_TOKEN, "***");
  assert.deepEqual(report.service.command.programArguments.slice(-2), ["--password", "***"]);
  assert.match(report.service.configAudit.issues.join("\n"), /OPENCLAW_GATEWAY_TOKEN/);
  const human = await runCli(["gateway", "status"], b.env);
  const install = await runCli(["gateway", "install"], b.env);
  assert.equal(install.code, 1, "the unit differs, so install asks for --force");
  const doctor = await runCli(["doctor", "--json"], b.env);
  for (const [what, text] of Object.entries({ status: r, human, install, doctor })) {
    for (const leaked of [secret, "hunter2-password"]) {
      assert.ok(!(text.stdout + text.stderr).includes(leaked), `${what} printed ${leaked}`);
    }
  }
  assert.match(human.stdout, /--password \*\*\*/);
});

Deno.test("gateway status and doctor refuse to guess a port the config cannot give", async () => {
  await using b = await createServiceBench();
  // The gateway keeps running on its last good config; 18789 would be a guess.
  await writeConfig(b.home, '{\n  gateway: {\n    mode: "local",\n    port: "abc",\n  },\n}\n');
  const status = await runCli(["gateway", "status"], b.env);
  assert.equal(status.code, 1);
  assert.match(status.stderr, /Cannot tell which port the gateway listens on: .*:4: gateway\.port/);
  assert.doesNotMatch(status.stdout + status.stderr, /18789/);
  const doctor = await runCli(["doctor"], b.env);
  assert.equal(doctor.code, 1);
  assert.match(doctor.stdout + doctor.stderr, /port.*Cannot tell which port/);
  // With the port given by the environment, status probes that.
  const withEnv = await runCli(["gateway", "status", "--no-probe", "--json"], {
    ...b.env,
    OPENCLAW_GATEWAY_PORT: "24999",
  });
  assert.equal(JSON.parse(withEnv.stdout).gateway.port, 24999, withEnv.stderr);
});
