import assert from "node:assert/strict";
import { resolvePorts } from "../../src/config/paths.ts";
import { denoExec } from "../../service/exec.ts";
import {
  isLegacyLaunchdLabel,
  launchdLabel,
  launchdLogPaths,
  launchdPlistPath,
  legacyLaunchdLabels,
  parseLaunchdPlist,
  renderLaunchdPlist,
} from "../../service/launchd.ts";
import { buildServiceSpec, type ServiceSpec } from "../../service/spec.ts";

const VERSION = "1.2.3";
const PLISTLIB =
  'import plistlib,sys,json; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))';

function spec(
  home: string,
  opts: {
    profile?: string;
    dev?: boolean;
    execPath?: string;
    mainModule?: string;
    env?: Record<string, string>;
  } = {},
): ServiceSpec {
  const env = { HOME: home, ...opts.env };
  const profile = opts.dev ? "dev" : opts.profile;
  return buildServiceSpec({
    supervisor: "launchd",
    version: VERSION,
    port: resolvePorts({ env, profile }).port,
    execPath: opts.execPath ?? "/usr/local/bin/openclaw",
    mainModule: opts.mainModule ?? "file:///unused/main.ts",
    env,
    dev: opts.dev,
    profile: opts.profile,
  });
}

/** Parses `text` with Python's plistlib, the reference reader, and returns it as JSON. */
async function plistlib(text: string): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "openclaw_plist_" });
  const file = `${dir}/bot.molt.gateway.plist`;
  await Deno.writeTextFile(file, text);
  const result = await denoExec.run("python3", ["-c", PLISTLIB, file]);
  if (result.code === 127) {
    throw new Error('python3 is missing: install it with "apt-get install python3" (CI has it)');
  }
  assert.equal(result.stderr, "", text);
  assert.equal(result.code, 0);
  return JSON.parse(result.stdout);
}

Deno.test("launchdLabel() names the default and profile agents", () => {
  assert.equal(launchdLabel(), "bot.molt.gateway");
  assert.equal(launchdLabel("rescue"), "bot.molt.rescue");
  assert.equal(launchdLabel("dev"), "bot.molt.dev");
  assert.throws(() => launchdLabel("a b"), /Invalid profile name "a b"/);
});

Deno.test("launchdPlistPath() and launchdLogPaths() follow the runbook", () => {
  assert.equal(
    launchdPlistPath("/Users/ann"),
    "/Users/ann/Library/LaunchAgents/bot.molt.gateway.plist",
  );
  assert.equal(
    launchdPlistPath("/Users/ann", "rescue"),
    "/Users/ann/Library/LaunchAgents/bot.molt.rescue.plist",
  );
  assert.deepEqual(launchdLogPaths("/Users/ann/.openclaw"), {
    stdout: "/Users/ann/.openclaw/logs/gateway.log",
    stderr: "/Users/ann/.openclaw/logs/gateway.err.log",
  });
});

Deno.test("renderLaunchdPlist() writes the default agent plistlib reads", async () => {
  assert.deepEqual(await plistlib(renderLaunchdPlist(spec("/Users/ann"))), {
    Label: "bot.molt.gateway",
    Comment: "OpenClaw Gateway (v1.2.3)",
    RunAtLoad: true,
    KeepAlive: true,
    ThrottleInterval: 5,
    ExitTimeOut: 30,
    Umask: 63,
    ProgramArguments: ["/usr/local/bin/openclaw", "gateway", "--port", "18789"],
    WorkingDirectory: "/Users/ann",
    StandardOutPath: "/Users/ann/.openclaw/logs/gateway.log",
    StandardErrorPath: "/Users/ann/.openclaw/logs/gateway.err.log",
    EnvironmentVariables: {
      HOME: "/Users/ann",
      PATH:
        "/Users/ann/.local/bin:/Users/ann/.npm-global/bin:/Users/ann/bin:/Users/ann/.deno/bin:" +
        "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin",
      OPENCLAW_GATEWAY_PORT: "18789",
      OPENCLAW_LAUNCHD_LABEL: "bot.molt.gateway",
      OPENCLAW_SERVICE_MARKER: "openclaw",
      OPENCLAW_SERVICE_KIND: "gateway",
      OPENCLAW_SERVICE_VERSION: "1.2.3",
    },
  });
});

Deno.test("renderLaunchdPlist() gives a profile its own label, logs and markers", async () => {
  const plist = await plistlib(renderLaunchdPlist(spec("/Users/ann", { profile: "rescue" })));
  assert.equal(plist.Label, "bot.molt.rescue");
  assert.equal(plist.Comment, "OpenClaw Gateway (profile: rescue, v1.2.3)");
  assert.equal(plist.StandardOutPath, "/Users/ann/.openclaw-rescue/logs/gateway.log");
  assert.equal(plist.StandardErrorPath, "/Users/ann/.openclaw-rescue/logs/gateway.err.log");
  const env = plist.EnvironmentVariables as Record<string, string>;
  assert.equal(env.OPENCLAW_PROFILE, "rescue");
  assert.equal(env.OPENCLAW_LAUNCHD_LABEL, "bot.molt.rescue");
  assert.equal(env.OPENCLAW_STATE_DIR, undefined);
  assert.equal(env.OPENCLAW_SYSTEMD_UNIT, undefined);
});

Deno.test("renderLaunchdPlist() runs the dev profile on port 19001", async () => {
  const plist = await plistlib(renderLaunchdPlist(spec("/Users/ann", { dev: true })));
  assert.equal(plist.Label, "bot.molt.dev");
  assert.deepEqual(plist.ProgramArguments, [
    "/usr/local/bin/openclaw",
    "gateway",
    "--port",
    "19001",
  ]);
  assert.equal(
    (plist.EnvironmentVariables as Record<string, string>).OPENCLAW_GATEWAY_PORT,
    "19001",
  );
  assert.equal(plist.StandardOutPath, "/Users/ann/.openclaw-dev/logs/gateway.log");
});

Deno.test("renderLaunchdPlist() runs main.ts under deno with the task's permissions", async () => {
  const plist = await plistlib(renderLaunchdPlist(spec("/Users/ann", {
    execPath: "/opt/homebrew/bin/deno",
    mainModule: "file:///Users/ann/Open%20Claw/main.ts",
  })));
  assert.deepEqual(plist.ProgramArguments, [
    "/opt/homebrew/bin/deno",
    "run",
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-run",
    "--allow-sys",
    "/Users/ann/Open Claw/main.ts",
    "gateway",
    "--port",
    "18789",
  ]);
});

Deno.test("renderLaunchdPlist() XML-escapes paths and values", async () => {
  const home = `/Users/A&B <"x"> 'y' 100%`;
  const s = spec(home, {
    execPath: `${home}/openclaw`,
    env: { OPENCLAW_CONFIG_PATH: `${home}/a&b.json` },
  });
  const text = renderLaunchdPlist(s);
  assert.ok(!text.includes("A&B"), "raw & in the XML");
  const plist = await plistlib(text);
  assert.equal(plist.WorkingDirectory, home);
  assert.deepEqual((plist.ProgramArguments as string[])[0], `${home}/openclaw`);
  const env = plist.EnvironmentVariables as Record<string, string>;
  assert.equal(env.HOME, home);
  assert.equal(env.OPENCLAW_CONFIG_PATH, `${home}/a&b.json`);
});

Deno.test("parseLaunchdPlist() agrees with plistlib on every rendered plist", async () => {
  const specs = [
    spec("/Users/ann"),
    spec("/Users/ann", { profile: "rescue" }),
    spec("/Users/ann", { dev: true }),
    spec(`/Users/A&B <"x"> 'y'`, { env: { OPENCLAW_STATE_DIR: "/srv/&state" } }),
  ];
  for (const s of specs) {
    const text = renderLaunchdPlist(s);
    const parsed = parseLaunchdPlist(text);
    assert.deepEqual(parsed.raw, await plistlib(text));
    assert.equal(parsed.label, launchdLabel(s.profile));
    assert.deepEqual(parsed.programArguments, s.programArguments);
    assert.deepEqual(parsed.environment, s.environment);
    assert.equal(parsed.workingDirectory, s.workingDirectory);
    assert.equal(parsed.standardOutPath, `${s.stateDir}/logs/gateway.log`);
    assert.equal(parsed.standardErrorPath, `${s.stateDir}/logs/gateway.err.log`);
  }
});

Deno.test("parseLaunchdPlist() reads a hand-edited Apple-style plist like plistlib", async () => {
  const text = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" ' +
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    "\t<!-- edited by hand -->",
    "\t<key>Label</key>",
    "\t<string>com.openclaw.gateway</string>",
    "\t<key>KeepAlive</key>",
    "\t<false/>",
    "\t<key>ProgramArguments</key>",
    "\t<array>",
    "\t\t<string>/usr/local/bin/openclaw &#38; co</string>",
    "\t\t<string/>",
    "\t\t<string>  spaced  </string>",
    "\t</array>",
    "\t<key>EnvironmentVariables</key>",
    "\t<dict/>",
    "\t<key>Nice</key>",
    "\t<integer>-5</integer>",
    "\t<key>Ratio</key>",
    "\t<real>0.5</real>",
    "</dict>",
    "</plist>",
  ].join("\n");
  const parsed = parseLaunchdPlist(text);
  assert.deepEqual(parsed.raw, await plistlib(text));
  assert.deepEqual(parsed.programArguments, ["/usr/local/bin/openclaw & co", "", "  spaced  "]);
  assert.deepEqual(parsed.environment, {});
});

Deno.test("parseLaunchdPlist() rejects what is not a plist dict", () => {
  assert.throws(() => parseLaunchdPlist("<html></html>"), /does not start with <plist>/);
  assert.throws(
    () => parseLaunchdPlist("<plist><array></array></plist>"),
    /top-level value is not a <dict>/,
  );
  assert.throws(() => parseLaunchdPlist("<plist><dict><key>A</key>"), /unexpected end/);
  assert.throws(
    () => parseLaunchdPlist("<plist><dict><key>A</key><date>x</date></dict></plist>"),
    /unsupported <date>/,
  );
});

Deno.test("legacyLaunchdLabels() picks com.openclaw.* labels and plist files", () => {
  assert.deepEqual(
    legacyLaunchdLabels([
      "bot.molt.gateway",
      "com.openclaw.gateway",
      "/Users/ann/Library/LaunchAgents/com.openclaw.rescue.plist",
      "com.openclaw.gateway.plist",
      "com.openclaw.",
      "com.openclawish.gateway",
      "com.apple.Finder",
    ]),
    ["com.openclaw.gateway", "com.openclaw.rescue"],
  );
  assert.equal(isLegacyLaunchdLabel("bot.molt.rescue"), false);
  assert.equal(isLegacyLaunchdLabel("com.openclaw.mac"), true);
});

Deno.test("renderLaunchdPlist() never writes a token or password", async () => {
  const text = renderLaunchdPlist(spec("/Users/ann", {
    env: {
      OPENCLAW_GATEWAY_TOKEN: "tok-5ecret-abc",
      OPENCLAW_GATEWAY_PASSWORD: "pw-5ecret-def",
      TELEGRAM_BOT_TOKEN: "123:5ecret",
    },
  }));
  assert.doesNotMatch(text, /5ecret|TOKEN|PASSWORD/);
  const env = (await plistlib(text)).EnvironmentVariables as Record<string, string>;
  assert.deepEqual(Object.keys(env).filter((k) => /TOKEN|PASSWORD/.test(k)), []);
  const withToken = spec("/Users/ann");
  withToken.environment.OPENCLAW_GATEWAY_PASSWORD = "p";
  assert.throws(() => renderLaunchdPlist(withToken), /Refusing to write secret/);
});
