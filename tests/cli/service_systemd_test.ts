import assert from "node:assert/strict";
import { denoExec } from "../../service/exec.ts";
import { DENO_RUN_ARGS } from "../../service/spec.ts";
import { parseSystemdUnit } from "../../service/systemd.ts";
import { createFakeSupervisor, type FakeSupervisor } from "../_helpers/fake_supervisor.ts";
import { cliEnv, MAIN, runCli, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

const UNIT = "openclaw-gateway.service";

interface Bench {
  home: string;
  fake: FakeSupervisor;
  env: Record<string, string>;
  unitPath: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A temp home with a valid config on port 18999 and fake supervisors on PATH. */
async function bench(extra: Record<string, string> = {}): Promise<Bench> {
  const { home, cleanup } = await tempHome();
  const fake = await createFakeSupervisor();
  await writeConfig(home, { gateway: { mode: "local", port: 18999, auth: { token: TEST_TOKEN } } });
  return {
    home,
    fake,
    env: cliEnv(home, {
      PATH: fake.path,
      USER: "ann",
      OPENCLAW_SERVICE_PLATFORM: "systemd",
      ...extra,
    }),
    unitPath: `${home}/.config/systemd/user/${UNIT}`,
    async [Symbol.asyncDispose]() {
      await fake[Symbol.asyncDispose]();
      await cleanup();
    },
  };
}

Deno.test("gateway install writes the unit, enables it and turns lingering on", async () => {
  await using b = await bench();
  await b.fake.on("loginctl show-user ann -p Linger", { stdout: "Linger=no\n" });
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await b.fake.calls(), [
    "systemctl --user daemon-reload",
    `systemctl --user enable --now ${UNIT}`,
    "loginctl show-user ann -p Linger",
    "loginctl enable-linger ann",
  ]);
  const unit = parseSystemdUnit(await Deno.readTextFile(b.unitPath));
  assert.deepEqual(unit.execStart, [
    Deno.execPath(),
    ...DENO_RUN_ARGS,
    MAIN,
    "gateway",
    "--port",
    "18999",
  ]);
  assert.equal(unit.environment.OPENCLAW_SERVICE_MARKER, "openclaw");
  assert.equal(unit.environment.OPENCLAW_SERVICE_KIND, "gateway");
  assert.equal(unit.environment.HOME, b.home);
  assert.equal(unit.workingDirectory, b.home);
  assert.deepEqual(unit.wantedBy, ["default.target"]);
  assert.ok(!(await Deno.readTextFile(b.unitPath)).includes(TEST_TOKEN), "no secret in the unit");
  assert.equal((await Deno.stat(b.unitPath)).mode! & 0o777, 0o644);
  assert.match(r.stdout, /Installed the systemd user unit openclaw-gateway\.service/);
  assert.match(r.stdout, /Lingering is now on for ann/);
});

/** Lines systemd-analyze prints about the host's own units (see tests/service/systemd_test.ts). */
const HOST_UNIT_LINE = /^\/(?:usr\/local\/lib|usr\/lib|lib|etc|run)\/systemd\/(?:system|user)\S*:/;

Deno.test("gateway install writes a unit systemd-analyze verify accepts", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  const runtimeDir = `${b.home}/runtime`;
  await Deno.mkdir(runtimeDir, { mode: 0o700 });
  const res = await denoExec.run("systemd-analyze", ["verify", "--user", b.unitPath], {
    env: { XDG_RUNTIME_DIR: runtimeDir },
  });
  assert.notEqual(res.code, 127, "systemd-analyze is missing: apt-get install systemd");
  const complaints = res.stderr.split("\n").filter((l) => l.trim() && !HOST_UNIT_LINE.test(l));
  assert.deepEqual(complaints, []);
  assert.equal(res.code, 0, res.stderr);
});

Deno.test("gateway install is a no-op when current and needs --force when stale", async () => {
  await using b = await bench();
  await b.fake.on("loginctl show-user *", { stdout: "Linger=yes\n" });
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  await b.fake.reset();

  const again = await runCli(["gateway", "install"], b.env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already installed and current: nothing to do/);
  assert.deepEqual(await b.fake.calls(), []);

  const stale = (await Deno.readTextFile(b.unitPath)).replace("--port 18999", "--port 18000");
  await Deno.writeTextFile(b.unitPath, stale);
  const refused = await runCli(["gateway", "install"], b.env);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /differs from what install writes now \(command is ".*--port 18000"/,
  );
  assert.match(refused.stderr, /openclaw gateway install --force/);
  assert.deepEqual(await b.fake.calls(), []);
  assert.equal(await Deno.readTextFile(b.unitPath), stale);

  await b.fake.on("loginctl show-user *", { stdout: "Linger=yes\n" });
  const forced = await runCli(["gateway", "install", "--force"], b.env);
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(await b.fake.calls(), [
    "systemctl --user daemon-reload",
    `systemctl --user enable ${UNIT}`,
    `systemctl --user restart ${UNIT}`,
    "loginctl show-user ann -p Linger",
  ]);
  assert.match(await Deno.readTextFile(b.unitPath), /--port 18999/);
  assert.match(forced.stdout, /Reinstalled/);
  assert.match(forced.stdout, /Lingering is on for ann/);
});

Deno.test("gateway install takes --port over OPENCLAW_GATEWAY_PORT over gateway.port", async () => {
  await using b = await bench({ OPENCLAW_GATEWAY_PORT: "19111" });
  const fromEnv = await runCli(["gateway", "install", "--json"], b.env);
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  const report = JSON.parse(fromEnv.stdout);
  assert.equal(report.port, 19111);
  assert.equal(report.action, "installed");
  assert.equal(report.path, b.unitPath);
  assert.deepEqual(report.programArguments.slice(-3), ["gateway", "--port", "19111"]);
  const fromFlag = await runCli(["gateway", "install", "--force", "--port", "19222"], b.env);
  assert.equal(fromFlag.code, 0, fromFlag.stderr);
  assert.deepEqual(parseSystemdUnit(await Deno.readTextFile(b.unitPath)).execStart.slice(-2), [
    "--port",
    "19222",
  ]);
});

Deno.test("gateway install prints the exact enable-linger command when loginctl refuses", async () => {
  await using b = await bench();
  await b.fake.on("loginctl show-user *", {
    code: 1,
    stderr: "Failed to get user: User ID 1000 is not logged in or lingering\n",
  });
  await b.fake.on("loginctl enable-linger *", {
    code: 1,
    stderr: "Could not enable linger: Access denied\n",
  });
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /lingering is off for ann.*; run: sudo loginctl enable-linger ann/);
  assert.deepEqual((await b.fake.calls()).slice(-2), [
    "loginctl show-user ann -p Linger",
    "loginctl enable-linger ann",
  ]);
});

Deno.test("gateway install explains a missing user bus and leaves nothing behind", async () => {
  await using b = await bench();
  await b.fake.on("systemctl --user daemon-reload", {
    code: 1,
    stderr: "Failed to connect to bus: No medium found\n",
  });
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /"systemctl --user daemon-reload" failed: there is no systemd user bus/);
  assert.match(r.stderr, /Failed to connect to bus: No medium found/);
  assert.match(r.stderr, /export XDG_RUNTIME_DIR=\/run\/user\/\$\(id -u\)/);
  assert.match(r.stderr, /install --system/);
  assert.deepEqual(await b.fake.calls(), ["systemctl --user daemon-reload"]);
  await assert.rejects(Deno.stat(b.unitPath), Deno.errors.NotFound);
});

Deno.test("gateway install explains systemd missing as PID 1 inside WSL", async () => {
  await using b = await bench({ WSL_DISTRO_NAME: "Ubuntu" });
  await b.fake.on("systemctl *", {
    code: 1,
    stderr: "System has not been booted with systemd as init system (PID 1). Can't operate.\n",
  });
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /systemd is not running here .*\/etc\/wsl\.conf.*systemd=true/);
});

Deno.test("gateway uninstall disables, removes the unit and reloads", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  await b.fake.reset();
  const r = await runCli(["gateway", "uninstall"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await b.fake.calls(), [
    `systemctl --user disable --now ${UNIT}`,
    "systemctl --user daemon-reload",
  ]);
  await assert.rejects(Deno.stat(b.unitPath), Deno.errors.NotFound);
  await b.fake.reset();
  const again = await runCli(["gateway", "uninstall"], b.env);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /not installed: nothing to do/);
  assert.deepEqual(await b.fake.calls(), []);
});

Deno.test("gateway start, stop and restart call systemctl once each", async () => {
  await using b = await bench();
  const notYet = await runCli(["gateway", "start"], b.env);
  assert.equal(notYet.code, 1);
  assert.match(notYet.stderr, /openclaw-gateway\.service is not installed .*gateway install/);
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  for (const verb of ["start", "stop", "restart"]) {
    await b.fake.reset();
    const r = await runCli(["gateway", verb], b.env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await b.fake.calls(), [`systemctl --user ${verb} ${UNIT}`]);
  }
  await b.fake.reset();
  await b.fake.on("systemctl --user stop *", {
    code: 1,
    stderr:
      "Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined\n",
  });
  const noBus = await runCli(["gateway", "stop"], b.env);
  assert.equal(noBus.code, 1);
  assert.match(noBus.stderr, /no systemd user bus .*XDG_RUNTIME_DIR/);
});

Deno.test("gateway restart refuses an invalid config and points at a valid backup", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  const configPath = `${b.home}/.openclaw/openclaw.json`;
  await Deno.copyFile(configPath, `${configPath}.bak`);
  await Deno.writeTextFile(
    configPath,
    '{\n  gateway: {\n    mode: "local",\n    prot: 1,\n  },\n}\n',
  );
  await b.fake.reset();
  const r = await runCli(["gateway", "restart"], b.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Refusing to restart/);
  assert.match(r.stderr, new RegExp(`${configPath}:4: gateway\\.prot: unknown key`));
  assert.match(r.stderr, /cp .*openclaw\.json\.bak .*openclaw\.json/);
  assert.deepEqual(await b.fake.calls(), []);
});

Deno.test("gateway install warns when the config would keep the service from starting", async () => {
  await using b = await bench();
  await writeConfig(b.home, { gateway: { mode: "remote", auth: { token: TEST_TOKEN } } });
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /Warning: Installed anyway, but the service will not start: gateway\.mode is not "local"/,
  );
  await Deno.stat(b.unitPath);
});

Deno.test("gateway install --system writes a system unit and skips lingering", async () => {
  await using b = await bench();
  const systemDir = `${b.home}/etc-systemd-system`;
  await Deno.mkdir(systemDir);
  const env = { ...b.env, OPENCLAW_SYSTEMD_SYSTEM_DIR: systemDir };
  const r = await runCli(["gateway", "install", "--system"], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await b.fake.calls(), [
    "systemctl daemon-reload",
    `systemctl enable --now ${UNIT}`,
  ]);
  const unit = parseSystemdUnit(await Deno.readTextFile(`${systemDir}/${UNIT}`));
  assert.equal(unit.user, "ann");
  assert.deepEqual(unit.wantedBy, ["multi-user.target"]);
  await b.fake.reset();
  // Only the system unit exists, so stop finds it without --system.
  assert.equal((await runCli(["gateway", "stop"], env)).code, 0);
  assert.deepEqual(await b.fake.calls(), [`systemctl stop ${UNIT}`]);
});

Deno.test("gateway install names the unit after the profile", async () => {
  await using b = await bench();
  await writeConfig(b.home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } }, "rescue");
  const r = await runCli(["--profile", "rescue", "gateway", "install"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    (await b.fake.calls())[1],
    "systemctl --user enable --now openclaw-gateway-rescue.service",
  );
  const unit = parseSystemdUnit(
    await Deno.readTextFile(`${b.home}/.config/systemd/user/openclaw-gateway-rescue.service`),
  );
  assert.equal(unit.environment.OPENCLAW_PROFILE, "rescue");
  assert.deepEqual(unit.execStart.slice(-2), ["--port", "18789"]);
  assert.match(unit.description ?? "", /profile: rescue/);
});
