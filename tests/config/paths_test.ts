import assert from "node:assert/strict";
import {
  DEFAULT_PORT,
  DEV_PORT,
  parsePort,
  resolvePaths,
  resolvePorts,
  resolveProfile,
  validateProfileName,
} from "../../src/config/paths.ts";

const HOME = "/home/ada";

Deno.test("resolvePaths() puts the default instance under ~/.openclaw", () => {
  const p = resolvePaths({}, { HOME });
  assert.deepEqual(p, {
    profile: undefined,
    home: HOME,
    stateDir: `${HOME}/.openclaw`,
    configPath: `${HOME}/.openclaw/openclaw.json`,
    logDir: `${HOME}/.openclaw/logs`,
    workspaceDir: `${HOME}/.openclaw/workspace`,
    stateDirFromEnv: false,
    configPathFromEnv: false,
  });
});

Deno.test("resolvePaths() prefers OPENCLAW_HOME over HOME over USERPROFILE", () => {
  assert.equal(resolvePaths({}, { OPENCLAW_HOME: "/oc", HOME }).stateDir, "/oc/.openclaw");
  assert.equal(resolvePaths({}, { HOME, USERPROFILE: "/win" }).stateDir, `${HOME}/.openclaw`);
  assert.equal(resolvePaths({}, { USERPROFILE: "/win" }).stateDir, "/win/.openclaw");
  assert.throws(() => resolvePaths({}, {}), /Cannot find the home folder: set HOME/);
});

Deno.test("resolvePaths() isolates --dev in ~/.openclaw-dev and --profile NAME in ~/.openclaw-NAME", () => {
  const dev = resolvePaths({ dev: true }, { HOME });
  assert.equal(dev.profile, "dev");
  assert.equal(dev.stateDir, `${HOME}/.openclaw-dev`);
  assert.equal(dev.configPath, `${HOME}/.openclaw-dev/openclaw.json`);
  assert.equal(dev.logDir, `${HOME}/.openclaw-dev/logs`);

  const work = resolvePaths({ profile: "work" }, { HOME });
  assert.equal(work.profile, "work");
  assert.equal(work.stateDir, `${HOME}/.openclaw-work`);
  assert.equal(work.configPath, `${HOME}/.openclaw-work/openclaw.json`);
});

Deno.test("resolvePaths() takes --dev or --profile over OPENCLAW_PROFILE; 'default' means no profile", () => {
  const env = { HOME, OPENCLAW_PROFILE: "fromenv" };
  assert.equal(resolvePaths({ dev: true }, env).profile, "dev");
  assert.equal(resolvePaths({ profile: "work" }, env).profile, "work");
  assert.equal(resolvePaths({}, env).stateDir, `${HOME}/.openclaw-fromenv`);
  assert.equal(resolvePaths({ profile: "default" }, env).stateDir, `${HOME}/.openclaw`);
  assert.equal(resolvePaths({}, { HOME, OPENCLAW_PROFILE: "" }).profile, undefined);
});

Deno.test("resolvePaths() honours OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH with ~ expansion", () => {
  const state = resolvePaths({}, { HOME, OPENCLAW_STATE_DIR: "~/state" });
  assert.equal(state.stateDir, `${HOME}/state`);
  assert.equal(state.configPath, `${HOME}/state/openclaw.json`);
  assert.equal(state.logDir, `${HOME}/state/logs`);
  assert.equal(state.stateDirFromEnv, true);
  assert.equal(state.configPathFromEnv, false);

  const both = resolvePaths({ profile: "work" }, {
    HOME,
    OPENCLAW_STATE_DIR: "/srv/oc",
    OPENCLAW_CONFIG_PATH: "~/etc/oc.json5",
  });
  assert.equal(both.stateDir, "/srv/oc", "the env state dir wins over the profile folder");
  assert.equal(both.configPath, `${HOME}/etc/oc.json5`);
  assert.equal(both.configPathFromEnv, true);

  assert.equal(resolvePaths({}, { HOME, OPENCLAW_STATE_DIR: "~" }).stateDir, HOME);
  // Only a leading "~/" or a bare "~" is the home folder.
  assert.equal(resolvePaths({}, { HOME, OPENCLAW_STATE_DIR: "/a/~/b" }).stateDir, "/a/~/b");
  assert.equal(resolvePaths({}, { HOME, OPENCLAW_STATE_DIR: "" }).stateDir, `${HOME}/.openclaw`);
});

Deno.test("resolvePaths() refuses profile names that cannot be a folder or service name", () => {
  for (const bad of ["../x", "a/b", ".hidden", "-lead", "with space", "é", "a".repeat(65)]) {
    assert.throws(
      () => resolvePaths({ profile: bad }, { HOME }),
      (err: Error) => err.message.startsWith(`Invalid profile name ${JSON.stringify(bad)}:`),
      bad,
    );
  }
  assert.throws(() => resolvePaths({}, { HOME, OPENCLAW_PROFILE: "x/y" }), /Invalid profile/);
  for (const good of ["work", "Work_2", "a-b", "0", "a".repeat(64)]) {
    assert.equal(validateProfileName(good), good);
  }
});

Deno.test("resolvePorts() falls back to 18789, or 19001 for the dev profile", () => {
  assert.equal(DEFAULT_PORT, 18789);
  assert.equal(DEV_PORT, 19001);
  assert.deepEqual(resolvePorts({ env: {} }), {
    port: 18789,
    source: "default",
    browserControlPort: 18791,
    canvasPort: 18793,
  });
  assert.deepEqual(resolvePorts({ env: {}, profile: "dev" }), {
    port: 19001,
    source: "profile",
    browserControlPort: 19003,
    canvasPort: 19005,
  });
  assert.equal(resolvePorts({ env: {}, profile: "work" }).port, 18789);
});

Deno.test("resolvePorts() takes --port over OPENCLAW_GATEWAY_PORT over gateway.port over the profile", () => {
  const all = {
    flag: "4000",
    env: { OPENCLAW_GATEWAY_PORT: "5000" },
    configPort: 6000,
    profile: "dev",
  };
  assert.deepEqual(
    [resolvePorts(all).port, resolvePorts(all).source],
    [4000, "flag"],
  );
  const noFlag = { ...all, flag: undefined };
  assert.deepEqual([resolvePorts(noFlag).port, resolvePorts(noFlag).source], [5000, "env"]);
  const noEnv = { ...noFlag, env: {} };
  assert.deepEqual([resolvePorts(noEnv).port, resolvePorts(noEnv).source], [6000, "config"]);
  const noConfig = { ...noEnv, configPort: undefined };
  assert.deepEqual([resolvePorts(noConfig).port, resolvePorts(noConfig).source], [
    19001,
    "profile",
  ]);
  // An empty env var is unset; --port 0 (any free port) is a real choice.
  assert.equal(resolvePorts({ env: { OPENCLAW_GATEWAY_PORT: "" }, configPort: 7000 }).port, 7000);
  assert.equal(resolvePorts({ flag: "0", env: { OPENCLAW_GATEWAY_PORT: "5000" } }).port, 0);
  assert.equal(resolvePorts({ flag: 4100, env: {} }).port, 4100);
});

Deno.test("resolvePorts() derives browser control +2 and canvas +4, unless the canvas port is set", () => {
  const base = resolvePorts({ flag: "20000", env: {} });
  assert.equal(base.browserControlPort, 20002);
  assert.equal(base.canvasPort, 20004);
  const env = { OPENCLAW_CANVAS_HOST_PORT: "30000" };
  assert.equal(resolvePorts({ flag: "20000", env }).canvasPort, 30000);
  assert.equal(resolvePorts({ flag: "20000", env, configCanvasPort: 31000 }).canvasPort, 31000);
  assert.equal(resolvePorts({ flag: "20000", env }).browserControlPort, 20002);
});

Deno.test("resolvePorts() names the source of a bad port value", () => {
  const cases: [Parameters<typeof resolvePorts>[0], RegExp][] = [
    [{ flag: "abc", env: {} }, /^Invalid port "abc" from --port: use a whole number 0-65535$/],
    [{ flag: "70000", env: {} }, /"70000" from --port/],
    [{ flag: "-1", env: {} }, /"-1" from --port/],
    [{ flag: "80.5", env: {} }, /"80.5" from --port/],
    [{ flag: "", env: {} }, /"" from --port/],
    [{ env: { OPENCLAW_GATEWAY_PORT: "http" } }, /"http" from OPENCLAW_GATEWAY_PORT/],
    [{ env: { OPENCLAW_CANVAS_HOST_PORT: "99999" } }, /"99999" from OPENCLAW_CANVAS_HOST_PORT/],
  ];
  for (const [inputs, re] of cases) {
    assert.throws(() => resolvePorts(inputs), (err: Error) => re.test(err.message), String(re));
  }
});

Deno.test("resolveProfile() refuses --dev with another --profile, and an empty --profile", () => {
  assert.throws(
    () => resolveProfile({ dev: true, profile: "work" }, {}),
    /--dev and --profile "work"/,
  );
  assert.throws(() => resolveProfile({ profile: "" }, {}), /Invalid profile name ""/);
  assert.equal(resolveProfile({ dev: true, profile: "dev" }, {}), "dev");
  assert.equal(resolveProfile({}, { OPENCLAW_PROFILE: "" }), undefined);
});

Deno.test("parsePort() takes decimal digits only (no hex, exponent or fraction)", () => {
  for (const bad of ["0x61D6", "1e3", "25014.0", "+80", "-1", "65536", "", " "]) {
    assert.throws(() => parsePort(bad, "--port"), /use a whole number 0-65535/, bad);
  }
  assert.equal(parsePort(" 8080 ", "--port"), 8080);
  assert.equal(parsePort(0, "gateway.port"), 0);
});
