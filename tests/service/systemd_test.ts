import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { resolvePorts } from "../../src/config/paths.ts";
import { denoExec } from "../../service/exec.ts";
import { buildServiceSpec, type ServiceSpec } from "../../service/spec.ts";
import {
  parseSystemdUnit,
  renderSystemdUnit,
  systemdSystemUnitPath,
  systemdUnitName,
  systemdUserUnitPath,
} from "../../service/systemd.ts";

const VERSION = "1.2.3";

/** A folder whose name has a space and a `%`, holding an executable `openclaw`. */
async function compiledLayout(): Promise<{ dir: string; binary: string; home: string }> {
  const root = await Deno.makeTempDir({ prefix: "openclaw_systemd_" });
  const dir = `${root}/Open Claw 100%`;
  await Deno.mkdir(dir);
  const binary = `${dir}/openclaw`;
  // systemd-analyze checks that the ExecStart binary exists and is executable.
  await Deno.copyFile("/usr/bin/true", binary);
  await Deno.chmod(binary, 0o755);
  const home = `${root}/home`;
  await Deno.mkdir(home);
  return { dir, binary, home };
}

function spec(
  binary: string,
  home: string,
  opts: {
    profile?: string;
    dev?: boolean;
    system?: { user: string };
    env?: Record<string, string>;
  } = {},
): ServiceSpec {
  const env = { HOME: home, ...opts.env };
  const profile = opts.dev ? "dev" : opts.profile;
  return buildServiceSpec({
    supervisor: "systemd",
    version: VERSION,
    port: resolvePorts({ env, profile }).port,
    execPath: binary,
    mainModule: "file:///unused/main.ts",
    env,
    dev: opts.dev,
    profile: opts.profile,
    system: opts.system,
  });
}

/**
 * Lines `systemd-analyze verify` prints about the host's own unit files,
 * which it loads as dependencies of ours (network-online.target,
 * default.target, ...). They name a file under a systemd search path, never
 * our temp file, and say nothing about the unit under test.
 */
const HOST_UNIT_LINE = /^\/(?:usr\/local\/lib|usr\/lib|lib|etc|run)\/systemd\/(?:system|user)\S*:/;

/**
 * Runs `systemd-analyze verify` on `text` saved as `name` and asserts it
 * succeeds with an empty stderr apart from {@link HOST_UNIT_LINE} lines.
 */
async function assertVerifies(text: string, name: string, opts: { user: boolean }): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "openclaw_verify_" });
  const file = `${dir}/${name}`;
  await Deno.writeTextFile(file, text);
  // --user starts a user manager in test mode, which needs XDG_RUNTIME_DIR
  // ("Failed to initialize manager" without it, e.g. as root in a
  // container); a private one keeps the host's session out of the result.
  const runtimeDir = `${dir}/runtime`;
  await Deno.mkdir(runtimeDir, { mode: 0o700 });
  const args = ["verify", ...(opts.user ? ["--user"] : []), file];
  const result = await denoExec.run("systemd-analyze", args, {
    env: { XDG_RUNTIME_DIR: runtimeDir },
  });
  if (result.code === 127) {
    throw new Error(
      'systemd-analyze is missing: install it with "apt-get install systemd" (CI installs it)',
    );
  }
  const complaints = result.stderr.split("\n")
    .filter((line) => line.trim() !== "" && !HOST_UNIT_LINE.test(line));
  assert.deepEqual(complaints, [], `systemd-analyze verify ${name}:\n${text}`);
  assert.equal(result.code, 0, result.stderr);
}

Deno.test("systemdUnitName() names the default and profile units", () => {
  assert.equal(systemdUnitName(), "openclaw-gateway.service");
  assert.equal(systemdUnitName("rescue"), "openclaw-gateway-rescue.service");
  assert.equal(systemdUnitName("dev"), "openclaw-gateway-dev.service");
  assert.throws(() => systemdUnitName("../etc"), /Invalid profile name "\.\.\/etc"/);
});

Deno.test("systemdUserUnitPath() and systemdSystemUnitPath() follow the runbook", () => {
  assert.equal(
    systemdUserUnitPath("/home/ann"),
    "/home/ann/.config/systemd/user/openclaw-gateway.service",
  );
  assert.equal(
    systemdUserUnitPath("/home/ann", "rescue"),
    "/home/ann/.config/systemd/user/openclaw-gateway-rescue.service",
  );
  assert.equal(systemdSystemUnitPath(), "/etc/systemd/system/openclaw-gateway.service");
  assert.equal(systemdSystemUnitPath("main"), "/etc/systemd/system/openclaw-gateway-main.service");
});

Deno.test("renderSystemdUnit() writes the default user unit", () => {
  const s = spec("/usr/local/bin/openclaw", "/home/ann");
  assert.equal(
    renderSystemdUnit(s),
    [
      "[Unit]",
      "Description=OpenClaw Gateway (v1.2.3)",
      "After=network-online.target",
      "Wants=network-online.target",
      "",
      "[Service]",
      "ExecStart=/usr/local/bin/openclaw gateway --port 18789",
      "Restart=always",
      "RestartSec=5",
      "KillMode=process",
      "WorkingDirectory=/home/ann",
      "Environment=HOME=/home/ann",
      "Environment=PATH=/home/ann/.local/bin:/home/ann/.npm-global/bin:/home/ann/bin:" +
      "/home/ann/.deno/bin:/usr/local/bin:/usr/bin:/bin",
      "Environment=OPENCLAW_GATEWAY_PORT=18789",
      "Environment=OPENCLAW_SYSTEMD_UNIT=openclaw-gateway.service",
      "Environment=OPENCLAW_SERVICE_MARKER=openclaw",
      "Environment=OPENCLAW_SERVICE_KIND=gateway",
      "Environment=OPENCLAW_SERVICE_VERSION=1.2.3",
      "",
      "[Install]",
      "WantedBy=default.target",
      "",
    ].join("\n"),
  );
});

Deno.test("renderSystemdUnit() names the profile in the description and markers", () => {
  const unit = parseSystemdUnit(renderSystemdUnit(spec("/usr/bin/openclaw", "/home/ann", {
    profile: "rescue",
  })));
  assert.equal(unit.description, "OpenClaw Gateway (profile: rescue, v1.2.3)");
  assert.equal(unit.environment.OPENCLAW_PROFILE, "rescue");
  assert.equal(unit.environment.OPENCLAW_SYSTEMD_UNIT, "openclaw-gateway-rescue.service");
  assert.equal(unit.environment.OPENCLAW_STATE_DIR, undefined);
});

Deno.test("renderSystemdUnit() gives the dev profile its own port and unit", () => {
  const unit = parseSystemdUnit(
    renderSystemdUnit(spec("/usr/bin/openclaw", "/home/ann", { dev: true })),
  );
  assert.deepEqual(unit.execStart, ["/usr/bin/openclaw", "gateway", "--port", "19001"]);
  assert.equal(unit.environment.OPENCLAW_GATEWAY_PORT, "19001");
  assert.equal(unit.environment.OPENCLAW_PROFILE, "dev");
  assert.equal(unit.environment.OPENCLAW_SYSTEMD_UNIT, "openclaw-gateway-dev.service");
});

Deno.test("renderSystemdUnit() writes User= and multi-user.target for a system unit", () => {
  const text = renderSystemdUnit(spec("/usr/bin/openclaw", "/home/ann", {
    system: { user: "ann" },
  }));
  const unit = parseSystemdUnit(text);
  assert.equal(unit.user, "ann");
  assert.deepEqual(unit.wantedBy, ["multi-user.target"]);
  assert.deepEqual(unit.sections.Service.User, ["ann"]);
  assert.equal(parseSystemdUnit(renderSystemdUnit(spec("/b/o", "/h"))).user, undefined);
});

Deno.test("renderSystemdUnit() quotes an ExecStart path with a space", () => {
  const text = renderSystemdUnit(spec("/opt/Open Claw/openclaw", "/home/ann"));
  assert.match(text, /^ExecStart="\/opt\/Open Claw\/openclaw" gateway --port 18789$/m);
});

Deno.test("renderSystemdUnit() escapes % as %% and $ as $$", () => {
  const s = spec("/opt/100%/openclaw", "/home/ann 50%");
  s.programArguments.push("$HOME");
  const text = renderSystemdUnit(s);
  assert.match(text, /^ExecStart=\/opt\/100%%\/openclaw gateway --port 18789 \$\$HOME$/m);
  assert.match(text, /^WorkingDirectory=\/home\/ann 50%%$/m);
  assert.match(text, /^Environment="HOME=\/home\/ann 50%%"$/m);
});

Deno.test("renderSystemdUnit() escapes quotes and backslashes inside quoted words", () => {
  const s = spec("/usr/bin/openclaw", "/home/ann");
  s.programArguments.push('say "hi"', "back\\slash", "it's", "", ";");
  s.environment.OPENCLAW_NOTE = 'a "b" \\c';
  const text = renderSystemdUnit(s);
  assert.match(text, / "say \\"hi\\"" "back\\\\slash" "it's" "" ";"$/m);
  assert.match(text, /^Environment="OPENCLAW_NOTE=a \\"b\\" \\\\c"$/m);
});

Deno.test("parseSystemdUnit() reads back every rendered unit", async () => {
  const { binary, home } = await compiledLayout();
  const tricky = spec(binary, `${home}`, { profile: "odd" });
  tricky.programArguments.push('q"uote', "b\\s", "$X", "%n", "", "a  b");
  tricky.environment.OPENCLAW_NOTE = 'x=y %i "z" \\ \'';
  const specs = [
    spec(binary, home),
    spec(binary, home, { profile: "rescue" }),
    spec(binary, home, { dev: true }),
    spec(binary, home, { system: { user: "root" } }),
    tricky,
  ];
  for (const s of specs) {
    const unit = parseSystemdUnit(renderSystemdUnit(s));
    assert.deepEqual(unit.execStart, s.programArguments);
    assert.deepEqual(unit.environment, s.environment);
    assert.equal(unit.workingDirectory, s.workingDirectory);
    assert.equal(unit.user, s.system?.user);
  }
});

Deno.test("parseSystemdUnit() handles comments, continuations and repeated settings", () => {
  const unit = parseSystemdUnit([
    "# written by hand",
    "[Unit]",
    "Description=Hand 100%%",
    "[Service]",
    "ExecStart=/bin/false",
    "ExecStart=-/usr/bin/openclaw \\",
    "  gateway 'single quoted' \\x41\\s",
    "; a comment",
    'Environment=A=1 "B=two words"',
    "Environment=A=3",
    "[Install]",
    "WantedBy=default.target multi-user.target",
  ].join("\n"));
  assert.equal(unit.description, "Hand 100%");
  assert.deepEqual(unit.execStart, ["/usr/bin/openclaw", "gateway", "single quoted", "A "]);
  assert.deepEqual(unit.environment, { A: "3", B: "two words" });
  assert.deepEqual(unit.wantedBy, ["default.target", "multi-user.target"]);
});

Deno.test("renderSystemdUnit() never writes a token or password", () => {
  const text = renderSystemdUnit(spec("/usr/bin/openclaw", "/home/ann", {
    env: {
      OPENCLAW_GATEWAY_TOKEN: "tok-5ecret-abc",
      OPENCLAW_GATEWAY_PASSWORD: "pw-5ecret-def",
      TELEGRAM_BOT_TOKEN: "123:5ecret",
    },
  }));
  assert.doesNotMatch(text, /5ecret|TOKEN|PASSWORD/);
});

Deno.test("renderSystemdUnit() refuses a spec with a secret or a newline", () => {
  const withToken = spec("/usr/bin/openclaw", "/home/ann");
  withToken.environment.OPENCLAW_GATEWAY_TOKEN = "t";
  assert.throws(() => renderSystemdUnit(withToken), /Refusing to write secret/);
  const withNewline = spec("/usr/bin/openclaw", "/home/ann");
  withNewline.programArguments.push("a\nExecStartPre=/bin/evil");
  assert.throws(() => renderSystemdUnit(withNewline), /remove control characters/);
});

Deno.test("renderSystemdUnit() output passes systemd-analyze verify", async (t) => {
  const { binary, home } = await compiledLayout();
  const cases: [string, ServiceSpec, boolean][] = [
    ["default", spec(binary, home), true],
    ["profile", spec(binary, home, { profile: "rescue" }), true],
    ["dev", spec(binary, home, { dev: true }), true],
    ["system", spec(binary, home, { system: { user: "root" } }), false],
  ];
  for (const [label, s, user] of cases) {
    await t.step(`${label} unit in a folder with a space and a %`, async () => {
      assert.match(s.programArguments[0], / .*%/);
      await assertVerifies(renderSystemdUnit(s), systemdUnitName(s.profile), { user });
    });
  }
  await t.step("unit running main.ts under the real deno", async () => {
    const main = `${home}/src 100%/main.ts`;
    await Deno.mkdir(`${home}/src 100%`);
    await Deno.writeTextFile(main, "");
    const env = { HOME: home, OPENCLAW_GATEWAY_TOKEN: "tok-5ecret" };
    const s = buildServiceSpec({
      supervisor: "systemd",
      version: VERSION,
      port: 18789,
      execPath: Deno.execPath(),
      mainModule: pathToFileURL(main).href,
      env,
    });
    const text = renderSystemdUnit(s);
    assert.ok(text.includes(`"${home}/src 100%%/main.ts"`), text);
    await assertVerifies(text, systemdUnitName(), { user: true });
  });
});

Deno.test("systemd-analyze verify catches a broken unit (the check has teeth)", async () => {
  const broken = "[Service]\nExecStart=/nonexistent/openclaw gateway\nFoo=bar\n";
  await assert.rejects(
    () => assertVerifies(broken, "openclaw-gateway.service", { user: true }),
    assert.AssertionError,
  );
});
