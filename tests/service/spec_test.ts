import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { denoExec } from "../../service/exec.ts";
import { detectSupervisor, isWsl, WINDOWS_SUPERVISION_MESSAGE } from "../../service/platform.ts";
import {
  buildServiceSpec,
  type BuildServiceSpecOptions,
  DENO_RUN_ARGS,
  isCompiledBinary,
  serviceDescription,
  validateServiceSpec,
} from "../../service/spec.ts";
import { VERSION } from "../../src/version.ts";

function options(overrides: Partial<BuildServiceSpecOptions> = {}): BuildServiceSpecOptions {
  return {
    supervisor: "systemd",
    version: "1.2.3",
    port: 18789,
    execPath: "/usr/local/bin/openclaw",
    mainModule: "file:///srv/openclaw/main.ts",
    env: { HOME: "/home/ann" },
    ...overrides,
  };
}

const SYSTEMD_PATH = "/home/ann/.local/bin:/home/ann/.npm-global/bin:/home/ann/bin:" +
  "/home/ann/.deno/bin:/usr/local/bin:/usr/bin:/bin";

Deno.test("isCompiledBinary() tells deno from a compiled openclaw", () => {
  assert.equal(isCompiledBinary("/usr/bin/deno"), false);
  assert.equal(isCompiledBinary("/home/ann/.deno/bin/deno"), false);
  assert.equal(isCompiledBinary("C:\\deno\\deno.exe"), false);
  assert.equal(isCompiledBinary("/usr/local/bin/openclaw"), true);
  assert.equal(isCompiledBinary("/opt/dist/openclaw-x86_64-unknown-linux-gnu"), true);
});

Deno.test("buildServiceSpec() runs a compiled binary as `<binary> gateway --port N`", () => {
  const spec = buildServiceSpec(options({ port: 19999 }));
  assert.deepEqual(spec.programArguments, [
    "/usr/local/bin/openclaw",
    "gateway",
    "--port",
    "19999",
  ]);
  assert.equal(spec.port, 19999);
});

Deno.test("buildServiceSpec() runs main.ts under deno with the gateway task's flags", () => {
  const spec = buildServiceSpec(options({
    execPath: "/usr/bin/deno",
    mainModule: "file:///srv/Open%20Claw/main.ts",
  }));
  assert.deepEqual(spec.programArguments, [
    "/usr/bin/deno",
    ...DENO_RUN_ARGS,
    "/srv/Open Claw/main.ts",
    "gateway",
    "--port",
    "18789",
  ]);
  assert.deepEqual(
    buildServiceSpec(options({ execPath: "/usr/bin/deno", mainModule: "/srv/main.ts" }))
      .programArguments.slice(-4),
    ["/srv/main.ts", "gateway", "--port", "18789"],
  );
});

Deno.test("DENO_RUN_ARGS matches the deno.json gateway task", () => {
  assert.equal(denoJson.tasks.gateway, `deno ${DENO_RUN_ARGS.join(" ")} main.ts gateway`);
});

Deno.test("buildServiceSpec() refuses a module it cannot run from disk", () => {
  assert.throws(
    () =>
      buildServiceSpec(options({ execPath: "/usr/bin/deno", mainModule: "https://x.test/m.ts" })),
    /Cannot run "https:\/\/x\.test\/m\.ts" as a service/,
  );
  assert.throws(() => buildServiceSpec(options({ port: 0 })), /Invalid service port 0/);
  assert.throws(() => buildServiceSpec(options({ version: "" })), /Missing service version/);
  assert.throws(() => buildServiceSpec(options({ execPath: "openclaw" })), /absolute path/);
});

Deno.test("buildServiceSpec() bakes in the markers, HOME and a minimal PATH", () => {
  const spec = buildServiceSpec(options());
  assert.deepEqual(spec, {
    version: "1.2.3",
    programArguments: ["/usr/local/bin/openclaw", "gateway", "--port", "18789"],
    workingDirectory: "/home/ann",
    environment: {
      HOME: "/home/ann",
      PATH: SYSTEMD_PATH,
      OPENCLAW_GATEWAY_PORT: "18789",
      OPENCLAW_SYSTEMD_UNIT: "openclaw-gateway.service",
      OPENCLAW_SERVICE_MARKER: "openclaw",
      OPENCLAW_SERVICE_KIND: "gateway",
      OPENCLAW_SERVICE_VERSION: "1.2.3",
    },
    port: 18789,
    stateDir: "/home/ann/.openclaw",
  });
});

Deno.test("buildServiceSpec() uses the launchd label and Homebrew PATH for launchd", () => {
  const spec = buildServiceSpec(options({ supervisor: "launchd", env: { HOME: "/Users/ann" } }));
  assert.equal(spec.environment.OPENCLAW_LAUNCHD_LABEL, "bot.molt.gateway");
  assert.equal(spec.environment.OPENCLAW_SYSTEMD_UNIT, undefined);
  assert.equal(
    spec.environment.PATH,
    "/Users/ann/.local/bin:/Users/ann/.npm-global/bin:/Users/ann/bin:/Users/ann/.deno/bin:" +
      "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin",
  );
});

Deno.test("buildServiceSpec() isolates a profile by name, state dir and unit", () => {
  const spec = buildServiceSpec(options({ profile: "rescue", port: 19789 }));
  assert.equal(spec.profile, "rescue");
  assert.equal(spec.stateDir, "/home/ann/.openclaw-rescue");
  assert.equal(spec.environment.OPENCLAW_PROFILE, "rescue");
  assert.equal(spec.environment.OPENCLAW_SYSTEMD_UNIT, "openclaw-gateway-rescue.service");
  assert.equal(spec.environment.OPENCLAW_GATEWAY_PORT, "19789");
  // The gateway derives these from OPENCLAW_PROFILE, so they are left out.
  assert.equal(spec.environment.OPENCLAW_STATE_DIR, undefined);
  assert.equal(spec.environment.OPENCLAW_CONFIG_PATH, undefined);
  const dev = buildServiceSpec(options({ dev: true }));
  assert.equal(dev.profile, "dev");
  assert.equal(dev.stateDir, "/home/ann/.openclaw-dev");
  const fromEnv = buildServiceSpec(options({ env: { HOME: "/home/ann", OPENCLAW_PROFILE: "b" } }));
  assert.equal(fromEnv.environment.OPENCLAW_SYSTEMD_UNIT, "openclaw-gateway-b.service");
});

Deno.test("buildServiceSpec() writes state dir and config path only when not the defaults", () => {
  const custom = buildServiceSpec(options({
    env: {
      HOME: "/home/ann",
      OPENCLAW_STATE_DIR: "~/.openclaw-a",
      OPENCLAW_CONFIG_PATH: "/etc/a.json",
    },
  }));
  assert.equal(custom.stateDir, "/home/ann/.openclaw-a");
  assert.equal(custom.environment.OPENCLAW_STATE_DIR, "/home/ann/.openclaw-a");
  assert.equal(custom.environment.OPENCLAW_CONFIG_PATH, "/etc/a.json");
  const stateOnly = buildServiceSpec(options({
    env: { HOME: "/home/ann", OPENCLAW_STATE_DIR: "/srv/oc" },
  }));
  assert.equal(stateOnly.environment.OPENCLAW_STATE_DIR, "/srv/oc");
  assert.equal(stateOnly.environment.OPENCLAW_CONFIG_PATH, undefined);
  // OPENCLAW_HOME moves the default state dir, but the service only gets HOME.
  const altHome = buildServiceSpec(options({
    env: { HOME: "/home/ann", OPENCLAW_HOME: "/data/ann" },
  }));
  assert.equal(altHome.environment.HOME, "/home/ann");
  assert.equal(altHome.environment.OPENCLAW_STATE_DIR, "/data/ann/.openclaw");
  const explicitDefault = buildServiceSpec(options({
    env: { HOME: "/home/ann", OPENCLAW_STATE_DIR: "/home/ann/.openclaw" },
  }));
  assert.equal(explicitDefault.environment.OPENCLAW_STATE_DIR, undefined);
});

Deno.test("buildServiceSpec() never copies a token or password from the environment", () => {
  const spec = buildServiceSpec(options({
    env: {
      HOME: "/home/ann",
      OPENCLAW_GATEWAY_TOKEN: "tok-5ecret",
      OPENCLAW_GATEWAY_PASSWORD: "pw-5ecret",
      TELEGRAM_BOT_TOKEN: "1:5ecret",
    },
  }));
  assert.doesNotMatch(JSON.stringify(spec), /5ecret|TOKEN|PASSWORD/);
});

Deno.test("buildServiceSpec() takes the working directory and system user as given", () => {
  const spec = buildServiceSpec(options({ workingDirectory: "/srv", system: { user: "oc" } }));
  assert.equal(spec.workingDirectory, "/srv");
  assert.deepEqual(spec.system, { user: "oc" });
  assert.throws(
    () => buildServiceSpec(options({ system: { user: "a b" } })),
    /Invalid service user "a b"/,
  );
});

Deno.test("validateServiceSpec() rejects relative paths and bad variable names", () => {
  const good = buildServiceSpec(options());
  assert.throws(
    () => validateServiceSpec({ ...good, workingDirectory: "home" }),
    /Invalid service workingDirectory "home": use an absolute path/,
  );
  assert.throws(
    () => validateServiceSpec({ ...good, environment: { "A-B": "x" } }),
    /Invalid service environment name "A-B"/,
  );
  assert.throws(
    () => validateServiceSpec({ ...good, environment: { OPENCLAW_X: "a\rb" } }),
    /environment\.OPENCLAW_X .*remove control characters/,
  );
});

Deno.test("serviceDescription() names the version and the profile", () => {
  assert.equal(serviceDescription({ version: "1.2.3" }), "OpenClaw Gateway (v1.2.3)");
  assert.equal(
    serviceDescription({ version: "1.2.3", profile: "rescue" }),
    "OpenClaw Gateway (profile: rescue, v1.2.3)",
  );
  assert.equal(
    buildServiceSpec(options({ version: VERSION })).environment.OPENCLAW_SERVICE_VERSION,
    VERSION,
  );
});

// service/exec.ts and service/platform.ts are tested here too: they are the
// small edges the spec is installed through.

Deno.test("denoExec.run() returns the code, stdout and stderr", async () => {
  const result = await denoExec.run("sh", ["-c", 'echo "out $OC_X"; echo err >&2; exit 3'], {
    env: { OC_X: "42" },
  });
  assert.deepEqual(result, { code: 3, stdout: "out 42\n", stderr: "err\n" });
});

Deno.test("denoExec.run() reports a missing binary as code 127", async () => {
  const result = await denoExec.run("openclaw-no-such-binary", ["x"]);
  assert.deepEqual(result, {
    code: 127,
    stdout: "",
    stderr: "openclaw-no-such-binary: command not found",
  });
});

Deno.test("detectSupervisor() maps each OS to its supervisor", () => {
  assert.equal(detectSupervisor("linux"), "systemd");
  assert.equal(detectSupervisor("darwin"), "launchd");
  assert.equal(detectSupervisor("windows"), "unsupported-windows");
  assert.equal(detectSupervisor("freebsd"), "unsupported");
  assert.match(WINDOWS_SUPERVISION_MESSAGE, /WSL2/);
  assert.match(WINDOWS_SUPERVISION_MESSAGE, /systemd/);
});

Deno.test("isWsl() reads the kernel release and WSL_DISTRO_NAME", () => {
  const files = (map: Record<string, string>) => (path: string) => {
    if (path in map) return map[path];
    throw new Deno.errors.NotFound(path);
  };
  assert.equal(isWsl(files({}), { WSL_DISTRO_NAME: "Ubuntu" }), true);
  assert.equal(
    isWsl(files({ "/proc/sys/kernel/osrelease": "5.15.153.1-microsoft-standard-WSL2\n" }), {}),
    true,
  );
  assert.equal(
    isWsl(files({ "/proc/version": "Linux version 4.4.0-19041-Microsoft (gcc)" }), {}),
    true,
  );
  assert.equal(
    isWsl(files({ "/proc/version": "Linux version 6.1.0-18-amd64 (debian-kernel)" }), {}),
    false,
  );
  assert.equal(isWsl(files({}), {}), false);
  assert.equal(isWsl(() => undefined, { WSL_DISTRO_NAME: "" }), false);
});
