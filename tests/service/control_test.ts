import assert from "node:assert/strict";
import { auditServiceFile } from "../../service/audit.ts";
import { maskServiceCommand, SupervisorError } from "../../service/control.ts";
import type { Exec, ExecResult } from "../../service/exec.ts";
import {
  explainLaunchctlFailure,
  launchdControl,
  launchdRuntime,
} from "../../service/launchd_control.ts";
import { ensureLinger, lingerState } from "../../service/linger.ts";
import { parseLsofFields } from "../../service/listeners.ts";
import { resolveSupervisor } from "../../service/platform.ts";
import { classifyService } from "../../service/scan.ts";
import {
  explainSystemctlFailure,
  parseShow,
  systemdControl,
  systemdRuntime,
} from "../../service/systemd_control.ts";
import { parseSystemdUnit, systemdSystemUnitPath } from "../../service/systemd.ts";

/** An in-process {@link Exec}: records calls, answers from `reply`. */
function fakeExec(reply: (line: string) => Partial<ExecResult> = () => ({})) {
  const calls: string[] = [];
  const exec: Exec = {
    run(cmd, args) {
      const line = [cmd, ...args].join(" ");
      calls.push(line);
      return Promise.resolve({ code: 0, stdout: "", stderr: "", ...reply(line) });
    },
  };
  return { exec, calls };
}

const fail = (code: number, stderr: string): ExecResult => ({ code, stdout: "", stderr });

Deno.test("systemdRuntime() maps systemctl show properties", () => {
  const props = parseShow(
    "ActiveState=active\nSubState=running\nMainPID=77\nExecMainStatus=0\nLoadState=loaded\n",
  );
  assert.deepEqual(systemdRuntime(props), {
    loaded: true,
    status: "running",
    state: "active",
    subState: "running",
    pid: 77,
    lastExitStatus: 0,
  });
  assert.deepEqual(
    systemdRuntime(parseShow("ActiveState=failed\nMainPID=0\nExecMainStatus=1\nLoadState=loaded")),
    { loaded: true, status: "stopped", state: "failed", lastExitStatus: 1 },
  );
  assert.deepEqual(systemdRuntime(parseShow("ActiveState=inactive\nLoadState=not-found")), {
    loaded: false,
    status: "stopped",
    state: "inactive",
    missingUnit: true,
  });
});

Deno.test("launchdRuntime() reads launchctl print", () => {
  assert.deepEqual(
    launchdRuntime("gui/501/bot.molt.gateway = {\n\tstate = not running\n\tlast exit code = 78\n}"),
    { loaded: true, status: "stopped", state: "not running", lastExitStatus: 78 },
  );
});

Deno.test("explainSystemctlFailure() says why and what to run", () => {
  const opts = { scope: "user" as const, unit: "openclaw-gateway.service" };
  const bus = explainSystemctlFailure(
    ["--user", "start", opts.unit],
    fail(1, "Failed to connect to bus: No medium found\n"),
    opts,
  );
  assert.ok(bus instanceof SupervisorError);
  assert.match(
    bus.message,
    /^"systemctl --user start openclaw-gateway\.service" failed: there is no systemd user bus/,
  );
  assert.match(bus.message, /export XDG_RUNTIME_DIR=\/run\/user\/\$\(id -u\)/);
  const container = explainSystemctlFailure(
    ["--user", "daemon-reload"],
    fail(1, "System has not been booted with systemd as init system (PID 1). Can't operate.\n"),
    opts,
  );
  assert.match(container.message, /systemd is not running here .*container/);
  const denied = explainSystemctlFailure(
    ["enable", "--now", opts.unit],
    fail(1, "Failed to enable unit: Access denied\n"),
    { ...opts, scope: "system" },
  );
  assert.match(denied.message, /needs root; rerun the command with sudo/);
  const unknown = explainSystemctlFailure(
    ["--user", "stop", opts.unit],
    fail(5, "Failed to stop openclaw-gateway.service: Unit openclaw-gateway.service not loaded.\n"),
    opts,
  );
  assert.match(
    unknown.message,
    /systemd does not know openclaw-gateway\.service .*gateway install/,
  );
  assert.match(
    explainSystemctlFailure(["--user", "daemon-reload"], fail(127, ""), opts).message,
    /systemctl is not installed/,
  );
});

Deno.test("explainLaunchctlFailure() names the missing GUI session", () => {
  const err = explainLaunchctlFailure(
    ["bootstrap", "gui/501", "/p.plist"],
    fail(125, "Bootstrap failed: 125: Domain does not support specified action\n"),
    { uid: 501, label: "bot.molt.gateway" },
  );
  assert.match(err.message, /no GUI login session for uid 501/);
});

Deno.test("systemdControl().deactivate() tolerates a unit systemd never loaded", async () => {
  const { exec, calls } = fakeExec(() => fail(5, "Unit openclaw-gateway.service not loaded.\n"));
  const control = systemdControl({
    exec,
    scope: "user",
    unit: "openclaw-gateway.service",
    path: "/x/openclaw-gateway.service",
  });
  await control.deactivate();
  assert.deepEqual(calls, ["systemctl --user disable --now openclaw-gateway.service"]);
  const { exec: busless } = fakeExec(() => fail(1, "Failed to connect to bus: No medium found"));
  await assert.rejects(
    systemdControl({ exec: busless, scope: "user", unit: "u.service", path: "/x" }).deactivate(),
    /no systemd user bus/,
  );
});

Deno.test("launchdControl() retries a bootstrap that raced a bootout once", async () => {
  let bootstraps = 0;
  const { exec, calls } = fakeExec((line) =>
    line.includes("bootstrap") && bootstraps++ === 0
      ? fail(5, "Bootstrap failed: 5: Input/output error\n")
      : {}
  );
  const control = launchdControl({
    exec,
    uid: 501,
    label: "bot.molt.gateway",
    path: "/p.plist",
    retryDelayMs: 0,
  });
  await control.activate({ reinstall: true });
  assert.deepEqual(calls, [
    "launchctl bootout gui/501/bot.molt.gateway",
    "launchctl enable gui/501/bot.molt.gateway",
    "launchctl bootstrap gui/501 /p.plist",
    "launchctl bootstrap gui/501 /p.plist",
  ]);
});

Deno.test("lingerState() and ensureLinger() read and set loginctl's Linger", async () => {
  const on = fakeExec(() => ({ stdout: "Linger=yes\n" }));
  assert.deepEqual(await lingerState(on.exec, "ann"), { enabled: true });
  assert.deepEqual(await ensureLinger(on.exec, "ann"), {
    user: "ann",
    enabled: true,
    changed: false,
  });
  assert.deepEqual(on.calls.at(-1), "loginctl show-user ann -p Linger");
  const off = fakeExec((line) => line.includes("show-user") ? { stdout: "Linger=no\n" } : {});
  assert.deepEqual(await ensureLinger(off.exec, "ann"), {
    user: "ann",
    enabled: true,
    changed: true,
  });
  assert.deepEqual(off.calls, ["loginctl show-user ann -p Linger", "loginctl enable-linger ann"]);
  const missing = fakeExec(() => fail(127, "loginctl: command not found"));
  assert.equal((await ensureLinger(missing.exec, "ann")).enabled, false);
  assert.equal(missing.calls.length, 1, "no enable-linger without loginctl");
});

Deno.test("parseLsofFields() reads pid, command and address per process", () => {
  assert.deepEqual(
    parseLsofFields(
      "p12\ncdeno\nf9\nn127.0.0.1:18789\nf10\nn[::1]:18789\np40\ncnc\nf3\nn*:18789\n",
    ),
    [
      { pid: 12, command: "deno", address: "127.0.0.1:18789" },
      { pid: 40, command: "nc", address: "*:18789" },
    ],
  );
});

Deno.test("classifyService() spares profile services and flags legacy and stray ones", () => {
  assert.equal(classifyService("systemd", "openclaw-gateway-rescue.service", true), undefined);
  assert.equal(classifyService("systemd", "clawdbot-gateway.service", false), "legacy");
  assert.equal(classifyService("systemd", "moltbot.service", false), "legacy");
  assert.equal(classifyService("systemd", "openclaw.service", false), "extra");
  assert.equal(classifyService("systemd", "assistant.service", true), "extra");
  assert.equal(classifyService("systemd", "nginx.service", false), undefined);
  assert.equal(classifyService("launchd", "bot.molt.rescue", true), undefined);
  assert.equal(classifyService("launchd", "com.openclaw.gateway", true), "legacy");
  assert.equal(classifyService("launchd", "ai.openclaw.gateway", false), "extra");
});

Deno.test("auditServiceFile() lists what differs from the current render", () => {
  const unit = (args: string, env: string) =>
    `[Service]\nExecStart=${args}\nWorkingDirectory=/home/ann\n${env}\n`;
  const want = unit("/bin/openclaw gateway --port 1", "Environment=A=1\nEnvironment=B=2");
  const parse = (text: string) => ({
    programArguments: parseSystemdUnit(text).execStart,
    workingDirectory: parseSystemdUnit(text).workingDirectory,
    environment: parseSystemdUnit(text).environment,
  });
  assert.deepEqual(auditServiceFile(want, want, parse), { ok: true, issues: [] });
  const have = unit("/bin/openclaw gateway --port 2", "Environment=A=0\nEnvironment=C=3");
  assert.deepEqual(auditServiceFile(want, have, parse).issues, [
    'command is "/bin/openclaw gateway --port 2", install writes "/bin/openclaw gateway --port 1"',
    'environment A is "0", install writes "1"',
    "environment lacks B=2",
    "environment has C, which install no longer writes",
  ]);
  assert.deepEqual(auditServiceFile(want, `${want}\n# note\n`, parse).issues, [
    "other settings differ from the current template",
  ]);
});

Deno.test("maskServiceCommand() hides secret variables and --token/--password values", () => {
  const masked = maskServiceCommand({
    programArguments: ["/bin/openclaw", "gateway", "--token", "t1", "--password=p1", "--port", "1"],
    workingDirectory: "/home/ann",
    environment: { OPENCLAW_GATEWAY_TOKEN: "t2", MY_SECRET: "s", HOME: "/home/ann" },
  });
  assert.deepEqual(masked, {
    programArguments: [
      "/bin/openclaw",
      "gateway",
      "--token",
      "***",
      "--password=***",
      "--port",
      "1",
    ],
    workingDirectory: "/home/ann",
    environment: { OPENCLAW_GATEWAY_TOKEN: "***", MY_SECRET: "***", HOME: "/home/ann" },
  });
});

Deno.test("auditServiceFile() never quotes a secret a hand-edited file holds", () => {
  const parse = (text: string) => ({
    programArguments: parseSystemdUnit(text).execStart,
    environment: parseSystemdUnit(text).environment,
  });
  const want = "[Service]\nExecStart=/bin/openclaw gateway --port 1\nEnvironment=A=1\n";
  const have = "[Service]\nExecStart=/bin/openclaw gateway --port 1 --token t1\n" +
    "Environment=A=1\nEnvironment=OPENCLAW_GATEWAY_PASSWORD=p1\n";
  const issues = auditServiceFile(want, have, parse).issues;
  assert.deepEqual(issues, [
    'command is "/bin/openclaw gateway --port 1 --token ***", install writes ' +
    '"/bin/openclaw gateway --port 1"',
    "environment has OPENCLAW_GATEWAY_PASSWORD, which install no longer writes",
  ]);
});

Deno.test("reload() runs daemon-reload for systemd and nothing for launchd", async () => {
  const systemd = fakeExec();
  for (const scope of ["user", "system"] as const) {
    await systemdControl({ exec: systemd.exec, scope, unit: "u.service", path: "/x" }).reload();
  }
  assert.deepEqual(systemd.calls, ["systemctl --user daemon-reload", "systemctl daemon-reload"]);
  const failing = fakeExec(() => fail(1, "Access denied"));
  await assert.rejects(
    systemdControl({ exec: failing.exec, scope: "system", unit: "u.service", path: "/x" }).reload(),
    /"systemctl daemon-reload" failed: Access denied: the system manager needs root/,
  );
  const launchd = fakeExec();
  await launchdControl({ exec: launchd.exec, uid: 501, label: "l", path: "/p" }).reload();
  assert.deepEqual(launchd.calls, []);
});

Deno.test("launchdControl() drives a system-scope daemon in the system domain", async () => {
  const { exec, calls } = fakeExec();
  const control = launchdControl({ exec, uid: 501, scope: "system", label: "l", path: "/p" });
  assert.equal(control.scope, "system");
  await control.deactivate();
  assert.deepEqual(calls, ["launchctl bootout system/l"]);
});

Deno.test("resolveSupervisor() honours OPENCLAW_SERVICE_PLATFORM and rejects typos", () => {
  assert.equal(resolveSupervisor("linux", {}), "systemd");
  assert.equal(resolveSupervisor("linux", { OPENCLAW_SERVICE_PLATFORM: "launchd" }), "launchd");
  assert.equal(resolveSupervisor("darwin", { OPENCLAW_SERVICE_PLATFORM: "systemd" }), "systemd");
  assert.throws(
    () => resolveSupervisor("linux", { OPENCLAW_SERVICE_PLATFORM: "upstart" }),
    /Invalid OPENCLAW_SERVICE_PLATFORM "upstart": use systemd or launchd/,
  );
});

Deno.test("systemdSystemUnitPath() takes the OPENCLAW_SYSTEMD_SYSTEM_DIR folder", () => {
  assert.equal(systemdSystemUnitPath(), "/etc/systemd/system/openclaw-gateway.service");
  assert.equal(
    systemdSystemUnitPath("rescue", "/tmp/units"),
    "/tmp/units/openclaw-gateway-rescue.service",
  );
});
