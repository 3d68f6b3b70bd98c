import assert from "node:assert/strict";
import { denoExec } from "../../service/exec.ts";
import { DENO_RUN_ARGS } from "../../service/spec.ts";
import { parseSystemdUnit } from "../../service/systemd.ts";
import { createServiceBench, type ServiceBench } from "../_helpers/fake_supervisor.ts";
import { MAIN, runCli, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

const UNIT = "openclaw-gateway.service";

/** A service bench with a valid config on port 18999. */
async function bench(extra: Record<string, string> = {}): Promise<ServiceBench> {
  const b = await createServiceBench(extra);
  await writeConfig(b.home, {
    gateway: { mode: "local", port: 18999, auth: { token: TEST_TOKEN } },
  });
  return b;
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
    /Warning: Installed anyway, but the service will not start: Gateway start blocked: set gateway\.mode to "local"/,
  );
  await Deno.stat(b.unitPath);
});

/**
 * Runs `gateway install --system` with `getent` knowing `user`'s home, checks
 * the supervisor calls and returns the unit written.
 */
async function installSystem(
  b: ServiceBench,
  opts: { user: string; home: string; env: Record<string, string> },
) {
  await b.fake.on(`getent passwd ${opts.user}`, {
    stdout: `${opts.user}:x:1001:1001:${opts.user},,,:${opts.home}:/bin/bash\n`,
  });
  const r = await runCli(["gateway", "install", "--system"], opts.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await b.fake.calls(), [
    `getent passwd ${opts.user}`,
    "systemctl daemon-reload",
    `systemctl enable --now ${UNIT}`,
  ]);
  const unit = parseSystemdUnit(await Deno.readTextFile(`${b.systemDir}/${UNIT}`));
  return { unit, stderr: r.stderr };
}

Deno.test("gateway install --system writes a system unit and skips lingering", async () => {
  await using b = await bench();
  const { env } = b;
  const { unit } = await installSystem(b, { user: "ann", home: b.home, env });
  assert.equal(unit.user, "ann");
  assert.deepEqual(unit.wantedBy, ["multi-user.target"]);
  await b.fake.reset();
  // Only the system unit exists, so stop finds it without --system.
  assert.equal((await runCli(["gateway", "stop"], env)).code, 0);
  assert.deepEqual(await b.fake.calls(), [`systemctl stop ${UNIT}`]);
});

Deno.test("gateway install --system under sudo builds the unit from the service user's home", async () => {
  // HOME is root's (b.home); SUDO_USER names the account the unit runs as.
  await using b = await bench();
  const alice = `${b.home}/home-alice`;
  await writeConfig(alice, {
    gateway: { mode: "local", port: 18777, auth: { token: TEST_TOKEN } },
  });
  const env = { ...b.env, SUDO_USER: "alice" };
  const { unit, stderr } = await installSystem(b, { user: "alice", home: alice, env });
  assert.equal(stderr, "", "alice's config is valid: no warning");
  assert.equal(unit.user, "alice");
  assert.equal(unit.environment.HOME, alice);
  assert.equal(unit.workingDirectory, alice);
  assert.ok(unit.environment.PATH.startsWith(`${alice}/.local/bin:`), unit.environment.PATH);
  assert.equal(unit.environment.OPENCLAW_STATE_DIR, undefined, "alice's default state dir");
  assert.deepEqual(unit.execStart.slice(-2), ["--port", "18777"], "the port of alice's config");
  // status and doctor judge the unit by the same home, so it counts as current.
  const status = await runCli(["gateway", "status", "--json", "--no-probe"], env);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(JSON.parse(status.stdout).service.configAudit, { ok: true, issues: [] });
});

Deno.test("gateway install --system refuses when the service user has no home folder", async () => {
  await using b = await bench({ SUDO_USER: "bob" });
  const { env, systemDir } = b;
  await b.fake.on("getent passwd bob", { code: 2 });
  const r = await runCli(["gateway", "install", "--system"], env);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /Cannot find the home folder of service user "bob" \("getent passwd bob" found no such user\)/,
  );
  assert.deepEqual(await b.fake.calls(), ["getent passwd bob"]);
  await assert.rejects(Deno.stat(`${systemDir}/${UNIT}`), Deno.errors.NotFound);
});

Deno.test("gateway uninstall warns when daemon-reload fails but still removes the unit", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  await b.fake.reset();
  await b.fake.on("systemctl --user daemon-reload", { code: 1, stderr: "Access denied\n" });
  const r = await runCli(["gateway", "uninstall"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Warning: "systemctl --user daemon-reload" failed: Access denied/);
  await assert.rejects(Deno.stat(b.unitPath), Deno.errors.NotFound);
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

Deno.test("gateway restart refuses a config the gateway would refuse at start (no token)", async () => {
  await using b = await bench();
  // Schema-valid, but token auth with no token: the service would crash-loop.
  await writeConfig(b.home, { gateway: { mode: "local", auth: { mode: "token" } } });
  const r = await runCli(["gateway", "restart"], b.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Refusing to restart: .*gateway\.auth\.token/);
  assert.deepEqual(await b.fake.calls(), [], "no supervisor call");
});
