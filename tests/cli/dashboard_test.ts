/**
 * `openclaw dashboard` as a real process against a real gateway on port 0:
 * the printed link (served port, base path, `#token=` only in token mode),
 * the `--json` shape, the refusals (UI off, no gateway, UI not served there),
 * and the browser opener (a fake `xdg-open` on PATH).
 */

import assert from "node:assert/strict";
import {
  cliEnv,
  startTestGateway,
  tempHome,
  TEST_TOKEN,
  writeConfig,
} from "../_helpers/gateway.ts";
import { assertRefused, freePort, runCliBounded } from "../_helpers/cli_e2e.ts";
import {
  noDisplayReason,
  openerCommand,
  platformOpener,
  type Spawner,
} from "../../src/cli/dashboard_open.ts";

const PASSWORD = "dashboard-test-password-0123456789";

/** Fetches `url` as a browser would ask for a page; resolves with the status and body start. */
async function getPage(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    headers: { Accept: "text/html" },
    signal: AbortSignal.timeout(5_000),
  });
  const body = await res.text();
  return { status: res.status, body: body.slice(0, 200) };
}

Deno.test("openclaw dashboard prints the served port and the #token= link, as text and --json", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, { gateway: { port: gw.port, auth: { token: TEST_TOKEN } } });
    const otherHome = `${home}/other`;
    await writeConfig(otherHome, { gateway: { port: freePort() } });
    const env = cliEnv(home);
    const wildcard = cliEnv(home, { OPENCLAW_GATEWAY_URL: `ws://0.0.0.0:${gw.port}` });
    const viaUrl = ["--url", `ws://127.0.0.1:${gw.port}`, "--token", TEST_TOKEN];
    const [text, json, viaWildcard, viaFlag] = await Promise.all([
      runCliBounded(["dashboard", "--no-open"], env),
      runCliBounded(["dashboard", "--no-open", "--json"], env),
      runCliBounded(["dashboard", "--no-open", "--json", "--token", TEST_TOKEN], wildcard),
      // --url wins over a config that names a port nobody serves.
      runCliBounded(["dashboard", "--no-open", "--json", ...viaUrl], cliEnv(otherHome)),
    ]);
    const url = `http://127.0.0.1:${gw.port}/`;
    const tokenUrl = `${url}#token=${TEST_TOKEN}`;
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^Control UI: ${url}$`, "m"));
    assert.ok(text.stdout.includes(tokenUrl), text.stdout);
    assert.equal(text.stderr, "", "--no-open warns about nothing");
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      url,
      auth: "token",
      tokenUrl,
      opened: false,
      openSkipped: "--no-open",
    });
    // A wildcard address is printed as the loopback literal a browser can open.
    assert.equal(viaWildcard.code, 0, viaWildcard.stderr);
    assert.equal(JSON.parse(viaWildcard.stdout).tokenUrl, tokenUrl);
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    assert.equal(JSON.parse(viaFlag.stdout).tokenUrl, tokenUrl);
    // The printed address is the control UI itself.
    const page = await getPage(url);
    assert.equal(page.status, 200);
    assert.match(page.body, /<!doctype html>/i);
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw dashboard follows gateway.served.json to the port the gateway actually serves", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    const configured = freePort();
    await writeConfig(home, { gateway: { port: configured, auth: { token: TEST_TOKEN } } });
    // A live pid (this test) serving gw.port while the config names `configured`:
    // what a restart that could not bind the new port leaves behind.
    await Deno.writeTextFile(
      `${home}/.openclaw/gateway.served.json`,
      JSON.stringify({ pid: Deno.pid, port: gw.port, configuredPort: configured }),
    );
    const res = await runCliBounded(["dashboard", "--no-open"], cliEnv(home));
    assert.equal(res.code, 0, res.stderr);
    assert.ok(res.stdout.includes(`http://127.0.0.1:${gw.port}/#token=${TEST_TOKEN}`), res.stdout);
    assert.match(
      res.stderr,
      new RegExp(`serves port ${gw.port}, not the configured ${configured}`),
    );
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw dashboard in password mode puts no secret in the URL and says the page asks", async () => {
  const ui = { basePath: "/console" };
  await using gw = await startTestGateway({
    config: {
      gateway: { mode: "local", auth: { mode: "password", password: PASSWORD }, controlUi: ui },
    },
  });
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, {
      gateway: { port: gw.port, auth: { mode: "password", password: PASSWORD }, controlUi: ui },
    });
    const env = cliEnv(home);
    const url = `http://127.0.0.1:${gw.port}/console/`;
    const [text, json] = await Promise.all([
      runCliBounded(["dashboard", "--no-open"], env),
      runCliBounded(["dashboard", "--no-open", "--json"], env),
    ]);
    for (const res of [text, json]) {
      assert.equal(res.code, 0, res.stderr);
      assert.ok(!res.stdout.includes(PASSWORD), `the password was printed:\n${res.stdout}`);
      assert.ok(!res.stdout.includes("#token="), res.stdout);
    }
    assert.match(text.stdout, new RegExp(`^Control UI: ${url}$`, "m"));
    assert.match(text.stdout, /the page asks for the gateway password/);
    assert.deepEqual(JSON.parse(json.stdout), {
      url,
      auth: "password",
      opened: false,
      openSkipped: "--no-open",
    });
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw dashboard with auth mode none prints the plain link and no token", async () => {
  await using gw = await startTestGateway({
    config: { gateway: { mode: "local", auth: { mode: "none" } } },
  });
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, { gateway: { port: gw.port, auth: { mode: "none" } } });
    const res = await runCliBounded(["dashboard", "--no-open", "--json"], cliEnv(home));
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), {
      url: `http://127.0.0.1:${gw.port}/`,
      auth: "none",
      opened: false,
      openSkipped: "--no-open",
    });
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw dashboard refuses when gateway.controlUi.enabled is false, naming the key", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const path = await writeConfig(home, {
      gateway: { port: freePort(), auth: { token: TEST_TOKEN }, controlUi: { enabled: false } },
    });
    const res = await runCliBounded(["dashboard", "--no-open"], cliEnv(home));
    assertRefused(res, "controlUi disabled");
    assert.ok(res.stderr.includes("gateway.controlUi.enabled is false"), res.stderr);
    assert.ok(res.stderr.includes(path), res.stderr);
    assert.equal(res.stdout, "");
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw dashboard without a running gateway says how to start one", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const port = freePort();
    await writeConfig(home, { gateway: { port, auth: { token: TEST_TOKEN } } });
    const res = await runCliBounded(["dashboard"], cliEnv(home, { DISPLAY: ":99" }));
    assertRefused(res, "no gateway");
    assert.ok(res.stderr.includes(`No gateway is running at http://127.0.0.1:${port}`), res.stderr);
    assert.ok(res.stderr.includes('"openclaw gateway"'), res.stderr);
    assert.ok(res.stderr.includes('"openclaw gateway start"'), res.stderr);
    assert.ok(!res.stderr.includes(TEST_TOKEN), "the token leaked into the error");
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw dashboard refuses when the running gateway does not serve the UI at the base path", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, {
      gateway: { port: gw.port, auth: { token: TEST_TOKEN }, controlUi: { basePath: "/other" } },
    });
    const res = await runCliBounded(["dashboard", "--no-open"], cliEnv(home));
    assertRefused(res, "base path mismatch");
    assert.match(
      res.stderr,
      /does not serve the control UI at "\/other\/" \(HTTP 200, another page\)/,
    );
    assert.ok(res.stderr.includes("gateway.controlUi.basePath"), res.stderr);
  } finally {
    await cleanup();
  }
});

/** A bin folder with an `xdg-open` that records its arguments in `calls` and exits `code`. */
async function fakeXdgOpen(dir: string, code: number): Promise<{ bin: string; calls: string }> {
  const bin = `${dir}/bin-${code}`;
  const calls = `${dir}/xdg-open-${code}.calls`;
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(
    `${bin}/xdg-open`,
    `#!/bin/sh\nprintf '%s\\n' "$@" >> '${calls}'\nexit ${code}\n`,
    { mode: 0o755 },
  );
  return { bin, calls };
}

async function readOr(path: string, fallback: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => fallback);
}

Deno.test({
  name: "openclaw dashboard opens the signed-in link with xdg-open, and only with a display",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using gw = await startTestGateway();
    const { home, cleanup } = await tempHome();
    try {
      await writeConfig(home, { gateway: { port: gw.port, auth: { token: TEST_TOKEN } } });
      const ok = await fakeXdgOpen(home, 0);
      const failing = await fakeXdgOpen(home, 3);
      const path = (bin: string) => `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
      const tokenUrl = `http://127.0.0.1:${gw.port}/#token=${TEST_TOKEN}`;
      const [opened, noDisplay, failed, noOpen] = await Promise.all([
        runCliBounded(["dashboard"], cliEnv(home, { PATH: path(ok.bin), DISPLAY: ":99" })),
        runCliBounded(["dashboard", "--json"], cliEnv(home, { PATH: path(failing.bin) })),
        runCliBounded(
          ["dashboard"],
          cliEnv(home, { PATH: path(failing.bin), WAYLAND_DISPLAY: "w" }),
        ),
        runCliBounded(
          ["dashboard", "--no-open"],
          cliEnv(home, { PATH: path(ok.bin), DISPLAY: ":99" }),
        ),
      ]);
      assert.equal(opened.code, 0, opened.stderr);
      assert.match(opened.stdout, /^Opened in your browser$/m);
      assert.equal(await readOr(ok.calls, ""), `${tokenUrl}\n`, "xdg-open got the link, once");
      // No display: the opener is not run, the link still prints.
      assert.equal(noDisplay.code, 0, noDisplay.stderr);
      assert.equal(JSON.parse(noDisplay.stdout).opened, false);
      assert.match(JSON.parse(noDisplay.stdout).openSkipped, /no display/);
      // A failing opener is a warning that keeps the token out of stderr.
      assert.equal(failed.code, 0, failed.stderr);
      assert.ok(failed.stdout.includes(tokenUrl), failed.stdout);
      assert.match(
        failed.stderr,
        /^Warning: not opened in a browser: "xdg-open" exited with code 3/m,
      );
      assert.ok(!failed.stderr.includes(TEST_TOKEN), failed.stderr);
      assert.equal(await readOr(failing.calls, ""), `${tokenUrl}\n`, "only the WAYLAND run opened");
      assert.equal(noOpen.code, 0, noOpen.stderr);
      assert.doesNotMatch(noOpen.stdout, /Opened/);
    } finally {
      await cleanup();
    }
  },
});

Deno.test("platformOpener() picks the platform command, passes the URL as one argument, reports failures", async () => {
  const url = "http://127.0.0.1:1/#token=a%26b";
  assert.deepEqual(openerCommand("darwin", url), ["open", [url]]);
  assert.deepEqual(openerCommand("windows", url), [
    "rundll32",
    ["url.dll,FileProtocolHandler", url],
  ]);
  assert.deepEqual(openerCommand("linux", url), ["xdg-open", [url]]);
  assert.equal(noDisplayReason("darwin", {}), undefined);
  assert.equal(noDisplayReason("linux", { WAYLAND_DISPLAY: "wayland-0" }), undefined);
  assert.match(noDisplayReason("freebsd", {}) ?? "", /no display/);

  const calls: Array<[string, string[]]> = [];
  const spawn = (out: Awaited<ReturnType<Spawner>>): Spawner => (cmd, args) => {
    calls.push([cmd, args]);
    return Promise.resolve(out);
  };
  const env = { DISPLAY: ":0" };
  assert.deepEqual(
    await platformOpener({ env, os: "darwin", spawn: spawn({ code: 0 }) }).open(url),
    {
      opened: true,
    },
  );
  assert.deepEqual(calls, [["open", [url]]]);
  // Still running after the wait: launched (some openers stay with the browser).
  assert.equal((await platformOpener({ env, spawn: spawn({}) }).open(url)).opened, true);
  const missing = await platformOpener({ env, os: "linux", spawn: spawn({ missing: true }) })
    .open(url);
  assert.deepEqual(missing, { opened: false, reason: '"xdg-open" was not found' });
  const none = await platformOpener({ env: {}, os: "linux", spawn: spawn({ code: 0 }) }).open(url);
  assert.equal(none.opened, false);
  assert.equal(calls.length, 3, "no opener runs without a display");
});
