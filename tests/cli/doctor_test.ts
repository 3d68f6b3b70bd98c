import assert from "node:assert/strict";
import { denoExec, type Exec } from "../../service/exec.ts";
import { cliContext } from "../../src/cli/context.ts";
import { legacyServicesCheck } from "../../src/cli/service_checks.ts";
import { resolveService } from "../../src/cli/service_target.ts";
import { readConfig } from "../../src/config/load.ts";
import { createServiceBench } from "../_helpers/fake_supervisor.ts";
import { runCli, startTestGateway, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

const bench = () => createServiceBench();

interface Check {
  id: string;
  ok: boolean;
  message: string;
  fixable: boolean;
}

async function doctor(env: Record<string, string>, ...args: string[]) {
  const r = await runCli(["doctor", "--json", ...args], env);
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[]; fixed: Check[] };
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { ...r, report, byId };
}

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test("doctor finds loose permissions, no token, a stale unit and legacy units; --fix repairs them", async () => {
  await using b = await bench();
  const state = `${b.home}/.openclaw`;
  const config = `${state}/openclaw.json`;
  const original = '// my notes\n{ gateway: { mode: "local", port: 18999 } }\n';
  await writeConfig(b.home, original);
  await b.fake.on("loginctl show-user *", { stdout: "Linger=yes\n" });
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  const unit = `${b.home}/.config/systemd/user/openclaw-gateway.service`;
  await Deno.writeTextFile(
    unit,
    (await Deno.readTextFile(unit)).replace("RestartSec=5", "RestartSec=60"),
  );
  await Deno.writeTextFile(`${b.home}/.config/systemd/user/moltbot-gateway.service`, "[Service]\n");
  const creds = `${state}/credentials/whatsapp/default`;
  await Deno.mkdir(creds, { recursive: true });
  await Deno.writeTextFile(`${creds}/creds.json`, "{}");
  await Deno.chmod(`${creds}/creds.json`, 0o644);
  await Deno.chmod(config, 0o644);
  await Deno.chmod(state, 0o755);

  const before = await doctor(b.env);
  assert.equal(before.code, 1);
  assert.equal(before.report.ok, false);
  const failed = before.report.checks.filter((c) => !c.ok).map((c) => c.id);
  assert.deepEqual(failed, ["state-dir", "file-perms", "token", "service-file", "legacy-services"]);
  assert.ok(before.report.checks.filter((c) => !c.ok).every((c) => c.fixable));
  assert.match(before.byId["state-dir"].message, /is 0755/);
  assert.match(before.byId["file-perms"].message, /creds\.json \(0644\)/);
  assert.match(before.byId["service-file"].message, /other settings differ/);
  assert.match(before.byId["legacy-services"].message, /moltbot-gateway\.service/);
  assert.equal(before.byId.config.ok, true);
  assert.equal(before.byId.lsof.ok, true);
  assert.match(before.stderr, /5 problem\(s\) remain.*doctor --fix/);

  await b.fake.reset();
  await b.fake.on("loginctl show-user *", { stdout: "Linger=yes\n" });
  const fixed = await doctor(b.env, "--fix");
  assert.equal(fixed.code, 0, fixed.stderr + fixed.stdout);
  assert.equal(fixed.report.ok, true);
  assert.deepEqual(fixed.report.fixed.map((f) => f.id), [
    "state-dir",
    "file-perms",
    "token",
    "service-file",
    "legacy-services",
  ]);
  assert.equal(await mode(state), 0o700);
  assert.equal(await mode(config), 0o600);
  assert.equal(await mode(`${creds}/creds.json`), 0o600);
  const snap = await readConfig(config, {});
  assert.deepEqual(snap.issues, []);
  assert.match(snap.config?.gateway?.auth?.token ?? "", /^[A-Za-z0-9_-]{43}$/);
  assert.equal(snap.config?.gateway?.port, 18999, "other settings survive");
  assert.equal(await Deno.readTextFile(`${config}.bak`), original);
  assert.match(fixed.report.fixed[2].message, /JSON5 comments were not carried over/);
  await assert.rejects(
    Deno.stat(`${b.home}/.config/systemd/user/moltbot-gateway.service`),
    Deno.errors.NotFound,
  );
  const calls = await b.fake.calls();
  assert.ok(
    calls.includes("systemctl --user disable --now moltbot-gateway.service"),
    calls.join("\n"),
  );
  assert.ok(calls.includes("systemctl --user daemon-reload"));
  const again = await runCli(["gateway", "install"], b.env);
  assert.match(again.stdout, /already installed and current/, "the unit matches install again");
});

Deno.test("doctor names the invalid config's file and line, and --fix cannot clear it", async () => {
  await using b = await bench();
  const path = await writeConfig(b.home, '{\n  gateway: {\n    mode: "lokal",\n  },\n}\n');
  for (const args of [[], ["--fix"]]) {
    const r = await doctor(b.env, ...args);
    assert.equal(r.code, 1);
    assert.equal(r.byId.config.ok, false);
    assert.match(r.byId.config.message, new RegExp(`${path}:3: gateway\\.mode: must be one of`));
    assert.equal(r.byId.config.fixable, false);
  }
});

Deno.test("doctor tells a gateway on its port from some other listener", async () => {
  await using b = await bench();
  await using gw = await startTestGateway();
  await writeConfig(b.home, {
    gateway: { mode: "local", port: gw.port, auth: { token: TEST_TOKEN } },
  });
  const ours = await doctor(b.env);
  assert.equal(ours.byId.port.ok, true);
  assert.match(ours.byId.port.message, new RegExp(`a gateway listens on port ${gw.port}`));

  const squatter = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = (async () => {
    for await (const conn of squatter) conn.close();
  })();
  try {
    const port = (squatter.addr as Deno.NetAddr).port;
    await writeConfig(b.home, { gateway: { mode: "local", port, auth: { token: TEST_TOKEN } } });
    const theirs = await doctor(b.env);
    assert.equal(theirs.code, 1);
    assert.equal(theirs.byId.port.ok, false);
    assert.match(
      theirs.byId.port.message,
      new RegExp(`port ${port} is held by .*pid ${Deno.pid}.*not a gateway`),
    );
  } finally {
    squatter.close();
    await accepting.catch(() => {});
  }
});

Deno.test("doctor --fix prints the enable-linger command when loginctl refuses", async () => {
  await using b = await bench();
  await writeConfig(b.home, {
    gateway: { mode: "local", port: 18999, auth: { token: TEST_TOKEN } },
  });
  assert.equal((await runCli(["gateway", "install"], b.env)).code, 0);
  await b.fake.on("loginctl show-user *", { stdout: "Linger=no\n" });
  await b.fake.on("loginctl enable-linger *", { code: 1, stderr: "Access denied\n" });
  const r = await doctor(b.env, "--fix");
  assert.equal(r.code, 1);
  assert.equal(r.byId.linger.ok, false);
  assert.match(r.byId.linger.message, /lingering is off for ann/);
  assert.match(r.report.fixed[0].message, /fix failed: .*run: sudo loginctl enable-linger ann/);
});

Deno.test("doctor takes the auth mode from the environment like the gateway does", async () => {
  await using b = await bench();
  await writeConfig(b.home, { gateway: { mode: "local", port: 18999 } });
  const r = await doctor({ ...b.env, OPENCLAW_GATEWAY_PASSWORD: "pw-from-env" });
  assert.equal(r.byId.token.ok, true, r.byId.token.message);
  assert.match(r.byId.token.message, /auth mode is "password": no token needed/);
});

Deno.test("legacyServicesCheck() boots LaunchDaemons out of the system domain, or prints sudo commands", async () => {
  await using b = await bench();
  const daemons = `${b.home}/LaunchDaemons`;
  const agents = `${b.home}/Library/LaunchAgents`;
  await Deno.mkdir(daemons);
  await Deno.mkdir(agents, { recursive: true });
  const daemon = `${daemons}/com.openclaw.gateway.plist`;
  const agent = `${agents}/com.openclaw.helper.plist`;
  await Deno.writeTextFile(daemon, "<plist/>");
  await Deno.writeTextFile(agent, "<plist/>");
  const env = {
    ...b.env,
    OPENCLAW_SERVICE_PLATFORM: "launchd",
    OPENCLAW_LAUNCHD_DAEMONS_DIR: daemons,
  };
  const ctx = cliContext({}, env, { out: () => {}, err: () => {} });
  // The real fake launchctl, run as a process (this test process's PATH lacks it).
  const exec: Exec = {
    run: (cmd, args, opts) => denoExec.run(`${b.fake.binDir}/${cmd}`, args, opts),
  };
  const target = await resolveService(ctx, exec);

  const asUser = await legacyServicesCheck({ ...target, uid: 501 }, exec);
  assert.equal(asUser.ok, false);
  await assert.rejects(asUser.fix!(), (err: Error) => {
    assert.equal(
      err.message,
      "stopped and removed com.openclaw.helper; system services need root: run " +
        `"sudo launchctl bootout system/com.openclaw.gateway && sudo rm ${daemon}"`,
    );
    return true;
  });
  assert.deepEqual(await b.fake.calls(), ["launchctl bootout gui/501/com.openclaw.helper"]);
  await assert.rejects(Deno.stat(agent), Deno.errors.NotFound);
  await Deno.stat(daemon);

  await b.fake.reset();
  const asRoot = await legacyServicesCheck({ ...target, uid: 0 }, exec);
  assert.equal(await asRoot.fix!(), "stopped and removed com.openclaw.gateway");
  assert.deepEqual(await b.fake.calls(), ["launchctl bootout system/com.openclaw.gateway"]);
  await assert.rejects(Deno.stat(daemon), Deno.errors.NotFound);
});

Deno.test("doctor flags a token shorter than the gateway accepts; --fix replaces it", async () => {
  await using b = await bench();
  const config = await writeConfig(b.home, {
    gateway: { mode: "local", auth: { token: "short-token" } },
  });
  const before = await doctor(b.env);
  assert.equal(before.byId.token.ok, false);
  assert.match(before.byId.token.message, /too short \(11 characters, at least 16 needed\)/);
  assert.ok(!before.stdout.includes("short-token"), "the token itself is shown");
  await doctor(b.env, "--fix");
  const token = (await readConfig(config, {})).config?.gateway?.auth?.token ?? "";
  assert.ok(token.length >= 16 && token !== "short-token", `token now ${token.length} chars`);
});
