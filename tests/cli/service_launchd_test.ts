import assert from "node:assert/strict";
import { denoExec } from "../../service/exec.ts";
import { DENO_RUN_ARGS } from "../../service/spec.ts";
import { createServiceBench, type ServiceBench } from "../_helpers/fake_supervisor.ts";
import { MAIN, runCli, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

const LABEL = "bot.molt.gateway";
const GUI = `gui/${Deno.uid()}`;

interface Bench extends ServiceBench {
  plist: string;
  agents: string;
}

/** A temp home with a valid config on port 18999, launchd forced, fake launchctl on PATH. */
async function bench(): Promise<Bench> {
  const b = await createServiceBench({ OPENCLAW_SERVICE_PLATFORM: "launchd" });
  await writeConfig(b.home, {
    gateway: { mode: "local", port: 18999, auth: { token: TEST_TOKEN } },
  });
  const agents = `${b.home}/Library/LaunchAgents`;
  return Object.assign(b, { agents, plist: `${agents}/${LABEL}.plist` });
}

/** The plist as Python's plistlib (the reference reader) sees it. */
async function plistlib(path: string): Promise<Record<string, unknown>> {
  const code = 'import plistlib,sys,json; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))';
  const res = await denoExec.run("python3", ["-c", code, path]);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
}

Deno.test("gateway install (launchd) removes legacy agents, then enables and bootstraps", async () => {
  await using b = await bench();
  await Deno.mkdir(b.agents, { recursive: true });
  await Deno.writeTextFile(`${b.agents}/com.openclaw.gateway.plist`, "<plist/>");
  await Deno.writeTextFile(`${b.agents}/com.example.other.plist`, "<plist/>");
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await b.fake.calls(), [
    `launchctl bootout ${GUI}/com.openclaw.gateway`,
    `launchctl enable ${GUI}/${LABEL}`,
    `launchctl bootstrap ${GUI} ${b.plist}`,
  ]);
  await assert.rejects(Deno.stat(`${b.agents}/com.openclaw.gateway.plist`), Deno.errors.NotFound);
  await Deno.stat(`${b.agents}/com.example.other.plist`);
  assert.match(r.stdout, /Removed legacy agent com\.openclaw\.gateway/);
  const plist = await plistlib(b.plist);
  assert.equal(plist.Label, LABEL);
  assert.deepEqual(plist.ProgramArguments, [
    Deno.execPath(),
    ...DENO_RUN_ARGS,
    MAIN,
    "gateway",
    "--port",
    "18999",
  ]);
  assert.equal(plist.KeepAlive, true);
  assert.equal(plist.RunAtLoad, true);
  assert.equal(plist.StandardOutPath, `${b.home}/.openclaw/logs/gateway.log`);
  const env = plist.EnvironmentVariables as Record<string, string>;
  assert.equal(env.OPENCLAW_SERVICE_MARKER, "openclaw");
  assert.equal(env.OPENCLAW_LAUNCHD_LABEL, LABEL);
  assert.ok(!JSON.stringify(plist).includes(TEST_TOKEN), "no secret in the plist");
});

Deno.test("gateway install --force (launchd) boots the old agent out before loading the new", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  await b.fake.reset();
  const r = await runCli(["gateway", "install", "--force", "--port", "19444"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await b.fake.calls(), [
    `launchctl bootout ${GUI}/${LABEL}`,
    `launchctl enable ${GUI}/${LABEL}`,
    `launchctl bootstrap ${GUI} ${b.plist}`,
  ]);
  assert.deepEqual((await plistlib(b.plist)).ProgramArguments, [
    Deno.execPath(),
    ...DENO_RUN_ARGS,
    MAIN,
    "gateway",
    "--port",
    "19444",
  ]);
});

Deno.test("gateway start, stop, restart and uninstall drive launchctl", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  const run = async (verb: string, notLoaded = false) => {
    await b.fake.reset();
    if (notLoaded) {
      await b.fake.on("launchctl print *", { code: 113, stderr: "Could not find service\n" });
    }
    const r = await runCli(["gateway", verb], b.env);
    assert.equal(r.code, 0, r.stderr);
    return await b.fake.calls();
  };
  assert.deepEqual(await run("stop"), [`launchctl bootout ${GUI}/${LABEL}`]);
  assert.deepEqual(await run("start", true), [
    `launchctl print ${GUI}/${LABEL}`,
    `launchctl bootstrap ${GUI} ${b.plist}`,
  ]);
  assert.deepEqual(await run("start"), [
    `launchctl print ${GUI}/${LABEL}`,
    `launchctl kickstart ${GUI}/${LABEL}`,
  ]);
  assert.deepEqual(await run("restart"), [
    `launchctl print ${GUI}/${LABEL}`,
    `launchctl kickstart -k ${GUI}/${LABEL}`,
  ]);
  assert.deepEqual(await run("uninstall"), [`launchctl bootout ${GUI}/${LABEL}`]);
  await assert.rejects(Deno.stat(b.plist), Deno.errors.NotFound);
});

Deno.test("gateway install (launchd) explains a missing GUI session and rolls back", async () => {
  await using b = await bench();
  await b.fake.on("launchctl bootstrap *", {
    code: 125,
    stderr: "Bootstrap failed: 125: Domain does not support specified action\n",
  });
  const r = await runCli(["gateway", "install"], b.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /"launchctl bootstrap gui\/\d+ .*" failed: no GUI login session/);
  await assert.rejects(Deno.stat(b.plist), Deno.errors.NotFound);
});

Deno.test("gateway status (launchd) reads the runtime from launchctl print", async () => {
  await using b = await bench();
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  await b.fake.on("launchctl print *", {
    stdout: `${GUI}/${LABEL} = {\n\tstate = running\n\tpid = 4242\n\tlast exit code = 0\n}\n`,
  });
  const r = await runCli(["gateway", "status", "--json", "--no-probe"], b.env);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.service.label, LABEL);
  assert.equal(report.service.supervisor, "launchd");
  assert.equal(report.service.loaded, true);
  assert.deepEqual(report.service.runtime, {
    loaded: true,
    status: "running",
    state: "running",
    pid: 4242,
    lastExitStatus: 0,
  });
  assert.deepEqual(report.service.configAudit, { ok: true, issues: [] });
  assert.equal(report.rpc, undefined);
});

Deno.test("gateway status (launchd) reads launchd's error log in the service's state dir", async () => {
  await using b = await bench();
  const serviceState = `${b.home}/service-state`;
  const install = await runCli(["gateway", "install"], {
    ...b.env,
    OPENCLAW_STATE_DIR: serviceState,
  });
  assert.equal(install.code, 0, install.stderr);
  await Deno.mkdir(`${serviceState}/logs`, { recursive: true });
  await Deno.writeTextFile(`${serviceState}/logs/gateway.err.log`, "fatal: the service's error\n");
  await Deno.mkdir(`${b.home}/.openclaw/logs`, { recursive: true });
  await Deno.writeTextFile(`${b.home}/.openclaw/logs/gateway.err.log`, "fatal: the CLI's error\n");
  const r = await runCli(["gateway", "status", "--json", "--no-probe"], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).lastError, "fatal: the service's error");
});
