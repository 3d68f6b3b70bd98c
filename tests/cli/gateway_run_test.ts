/**
 * `openclaw gateway` as a real process: first run, client commands against
 * it, graceful stop on SIGTERM/SIGINT, logs, fatal start errors, and port
 * precedence.
 */

import assert from "node:assert/strict";
import { parseConfigText } from "../../src/config/load.ts";
import { cliEnv, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";
import {
  assertRefused,
  base64UrlBytes,
  connectRecorder,
  freePort,
  holdPort,
  listDir,
  modeOf,
  type Recording,
  runCliBounded,
  startGatewayCli,
  stopWith,
  tokenIn,
  utcDate,
} from "../_helpers/cli_e2e.ts";
import { within } from "../_helpers/limit.ts";

const LEVELS = ["trace", "debug", "info", "warn", "error"];

/** Every line of the daily log file parses as a record with the four base fields. */
async function readLogRecords(logDir: string, prefix: string, days: string[]) {
  const names = await listDir(logDir);
  assert.equal(names.length, 1, `one daily log file in ${logDir}: ${names}`);
  const [name] = names;
  assert.ok(
    days.some((d) => name === `${prefix}-${d}.log`),
    `log file ${name} is not ${prefix}-<today>.log (${days})`,
  );
  const path = `${logDir}/${name}`;
  assert.equal(await modeOf(path), 0o600, "log file mode");
  assert.equal(await modeOf(logDir), 0o700, "log folder mode");
  const text = await Deno.readTextFile(path);
  const records = text.trimEnd().split("\n").map((line, i) => {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new assert.AssertionError({ message: `line ${i + 1} is not JSON: ${line}` });
    }
    assert.ok(!Number.isNaN(Date.parse(String(rec.time))), `line ${i + 1} time: ${line}`);
    assert.ok(LEVELS.includes(String(rec.level)), `line ${i + 1} level: ${line}`);
    assert.equal(typeof rec.subsystem, "string", `line ${i + 1} subsystem: ${line}`);
    assert.equal(typeof rec.msg, "string", `line ${i + 1} msg: ${line}`);
    return rec;
  });
  return { path, text, records };
}

/** The connected client saw `shutdown` (with `reason`) as its last frame, then a 1001 close. */
async function assertShutdownThenClose(rec: Recording, reason: string): Promise<void> {
  const closed = await within(rec.client.closed, 10_000, "the close");
  assert.equal(closed.code, 1001, `close code (seen: ${rec.seen})`);
  // `closed` resolves before the recorder's own handler runs; let it.
  await Promise.resolve();
  assert.deepEqual(rec.seen.slice(-2), ["event:shutdown", "close:1001"], `order: ${rec.seen}`);
  const shutdown = rec.events.at(-1)!;
  assert.equal((shutdown.payload as { reason?: string }).reason, reason);
  assert.equal(rec.events.filter((e) => e.event === "shutdown").length, 1);
}

Deno.test("openclaw gateway creates a private config on first run, serves the client commands and stops on SIGTERM after telling clients", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const dayBefore = utcDate();
    await using gw = await startGatewayCli(["gateway", "--port", "0"], cliEnv(home));
    const stateDir = `${home}/.openclaw`;
    const configPath = `${stateDir}/openclaw.json`;

    // The first run wrote a private config with local mode and a strong token.
    assert.equal(await modeOf(stateDir), 0o700, "state folder mode");
    assert.equal(await modeOf(configPath), 0o600, "config file mode");
    const snap = await parseConfigText(configPath, await Deno.readTextFile(configPath), {});
    assert.deepEqual(snap.issues, []);
    assert.equal(snap.config?.gateway?.mode, "local");
    const token = await tokenIn(configPath);
    assert.equal(snap.config?.gateway?.auth?.token, token);
    assert.ok(base64UrlBytes(token).length >= 32, `token ${token} has < 32 bytes`);
    // It says where it listens and where the token lives.
    assert.ok(gw.port > 0);
    assert.ok(gw.lines.some((l) => l.includes(`gateway ready on ws://127.0.0.1:${gw.port}`)));
    assert.ok(gw.lines.some((l) => l.includes(configPath)), "names the config it created");

    const rec = await connectRecorder(gw.url, token);
    const env = cliEnv(home, { OPENCLAW_GATEWAY_PORT: String(gw.port) });
    const [health, healthJson, gatewayHealth, statusJson, call, unknown, badParams] = await Promise
      .all([
        runCliBounded(["health"], env),
        runCliBounded(["health", "--json"], env),
        runCliBounded(["gateway", "health"], env),
        runCliBounded(["status", "--json"], env),
        runCliBounded(["gateway", "call", "health", "--params", "{}"], env),
        runCliBounded(["gateway", "call", "nope"], env),
        runCliBounded(["gateway", "call", "health", "--params", "{not json"], env),
      ]);

    for (const [label, res] of [["health", health], ["gateway health", gatewayHealth]] as const) {
      assert.equal(res.code, 0, `${label}: ${res.stderr}`);
      assert.match(res.stdout, /^Gateway: ok \(v\S+, up \d+s\)$/m, label);
      assert.ok(res.stdout.includes(`Config: valid ${configPath}`), `${label}: ${res.stdout}`);
    }

    assert.equal(healthJson.code, 0, healthJson.stderr);
    const h = JSON.parse(healthJson.stdout);
    assert.equal(h.ok, true);
    assert.equal(typeof h.ts, "number");
    assert.ok(Math.abs(h.ts - Date.now()) < 60_000, `ts ${h.ts}`);
    assert.deepEqual(h.config.path, configPath);
    assert.equal(h.config.valid, true);
    assert.deepEqual(h.config.issues, []);

    // `gateway call health` prints the same shape `health --json` does.
    assert.equal(call.code, 0, call.stderr);
    const called = JSON.parse(call.stdout);
    assert.deepEqual(Object.keys(called).sort(), Object.keys(h).sort());
    assert.equal(called.ok, true);

    assert.equal(statusJson.code, 0, statusJson.stderr);
    const s = JSON.parse(statusJson.stdout);
    assert.equal(s.url, gw.url);
    assert.equal(s.pid, gw.child.pid, "status reports the gateway's own pid");
    assert.equal(s.authMode, "token");
    assert.equal(s.gateway.port, gw.port);
    assert.equal(s.gateway.bindHost, "127.0.0.1");
    assert.equal(s.gateway.configPath, configPath);
    assert.match(
      s.gateway.logFile,
      new RegExp(`^${stateDir}/logs/openclaw-\\d{4}-\\d\\d-\\d\\d\\.log$`),
    );

    assert.equal(unknown.code, 1, unknown.stdout);
    assert.match(unknown.stderr, /^Error: .*unknown method: nope/m);
    assert.equal(unknown.stdout, "");

    assert.notEqual(badParams.code, 0);
    assert.match(badParams.stderr, /^Error: Invalid --params: not JSON/m);
    assert.equal(badParams.stdout, "");

    // SIGTERM: the client gets `shutdown` before its socket closes, and the exit is clean.
    const status = await stopWith(gw, "SIGTERM");
    assert.equal(status.code, 0, gw.lines.join("\n"));
    assert.equal(status.signal, null);
    await assertShutdownThenClose(rec, "SIGTERM");

    // Logs without --verbose: a daily JSON-lines file, no debug lines anywhere, no token.
    const { text, records } = await readLogRecords(
      `${stateDir}/logs`,
      "openclaw",
      [dayBefore, utcDate()],
    );
    assert.ok(records.some((r) => r.msg === `listening on ws://127.0.0.1:${gw.port}`));
    assert.ok(records.some((r) => r.msg === "stopped" && r.reason === "SIGTERM"));
    assert.deepEqual(records.filter((r) => r.level === "debug"), []);
    assert.deepEqual(gw.lines.filter((l) => /\bDEBUG\b/.test(l)), []);
    assert.ok(!text.includes(token), "token in the log file");
    assert.ok(!gw.lines.some((l) => l.includes(token)), "token on stdout");
  } finally {
    await cleanup();
  }
});

// Short enough that V8 quotes all of a short malformed frame in its JSON.parse
// error, which the gateway logs: a real path for a secret to reach the log.
const SHORT_TOKEN = "Zq8-Tok-4417xyzw";

Deno.test("openclaw gateway --verbose mirrors req/res debug lines to stdout, keeps secrets out and stops on SIGINT", async () => {
  const malformed = "x" + SHORT_TOKEN;
  try {
    JSON.parse(malformed);
  } catch (err) {
    assert.ok(String(err).includes(SHORT_TOKEN), `precondition: V8 quotes the input: ${err}`);
  }
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, { gateway: { mode: "local", auth: { token: SHORT_TOKEN } } });
    const dayBefore = utcDate();
    await using gw = await startGatewayCli(["gateway", "--verbose", "--port", "0"], cliEnv(home));
    const rec = await connectRecorder(gw.url, SHORT_TOKEN);
    await rec.client.request("health", {});
    rec.client.sendRaw(malformed);
    await gw.waitFor(/DEBUG \[ws\] req .*"method":"health"/);
    await gw.waitFor(/DEBUG \[ws\] res .*"ok":true/);
    await gw.waitFor(/malformed JSON frame/);

    const status = await stopWith(gw, "SIGINT");
    assert.equal(status.code, 0, gw.lines.join("\n"));
    await assertShutdownThenClose(rec, "SIGINT");

    const { text, records } = await readLogRecords(
      `${home}/.openclaw/logs`,
      "openclaw",
      [dayBefore, utcDate()],
    );
    assert.ok(
      records.some((r) => r.level === "debug" && r.msg === "req" && r.method === "health"),
      "debug req record in the file",
    );
    // The frame's text (which the parser's message would quote) is never logged.
    const bad = records.find((r) => r.msg === "malformed JSON frame");
    assert.ok(bad, "malformed JSON record in the file");
    assert.ok(
      !JSON.stringify(bad).includes("Tok-4417"),
      `frame text logged: ${JSON.stringify(bad)}`,
    );
    assert.ok(!text.includes(SHORT_TOKEN), "token in the log file");
    assert.ok(!gw.lines.some((l) => l.includes(SHORT_TOKEN)), "token on stdout");
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw gateway refuses fatal start problems with exit 1 and a message that says what to do", async () => {
  const homes = await Promise.all(Array.from({ length: 8 }, () => tempHome()));
  const held = holdPort();
  try {
    const [inUse, typo, syntax, noMode, unconfigured, lanNoAuth, badBind, badProfile] = homes.map((
      h,
    ) => h.home);
    const valid = { gateway: { mode: "local", auth: { token: TEST_TOKEN } } };
    await writeConfig(inUse, valid);
    const typoPath = await writeConfig(
      typo,
      `{\n  gateway: {\n    mode: "local",\n    prot: 18789,\n    auth: { token: "${TEST_TOKEN}" },\n  },\n}\n`,
    );
    const syntaxPath = await writeConfig(
      syntax,
      `{\n  gateway: {\n    mode: "local"\n    port: 18789,\n  },\n}\n`,
    );
    const noModePath = await writeConfig(noMode, { gateway: { auth: { token: TEST_TOKEN } } });
    await writeConfig(unconfigured, { gateway: { auth: { token: TEST_TOKEN } } });
    await writeConfig(lanNoAuth, { gateway: { mode: "local", auth: { mode: "none" } } });
    await writeConfig(badBind, valid);
    // badProfile stays empty: a refused profile must not write anything.

    const run = (home: string, ...args: string[]) => runCliBounded(args, cliEnv(home));
    const [rInUse, rTypo, rSyntax, rNoMode, gwUnconfigured, rLan, rBind, rProfile] = await Promise
      .all([
        run(inUse, "gateway", "--port", String(held.port)),
        run(typo, "gateway", "--port", "0"),
        run(syntax, "gateway", "--port", "0"),
        run(noMode, "gateway", "--port", "0"),
        startGatewayCli(["gateway", "--allow-unconfigured", "--port", "0"], cliEnv(unconfigured)),
        run(lanNoAuth, "gateway", "--bind", "lan", "--port", "0"),
        run(badBind, "gateway", "--bind", "everywhere", "--port", "0"),
        run(badProfile, "--profile", "../x", "gateway", "--port", "0"),
      ]);
    await using _gw = gwUnconfigured;

    assertRefused(rInUse, "port in use");
    assert.ok(rInUse.stderr.includes(`127.0.0.1:${held.port}`), rInUse.stderr);
    assert.match(rInUse.stderr, /port in use/);
    assert.match(rInUse.stderr, /--force/);

    assertRefused(rTypo, "unknown key");
    assert.ok(rTypo.stderr.includes(`${typoPath}:4: gateway.prot: unknown key`), rTypo.stderr);

    assertRefused(rSyntax, "JSON5 syntax error");
    assert.ok(rSyntax.stderr.includes(`${syntaxPath}:4:`), rSyntax.stderr);
    assert.match(rSyntax.stderr, /not valid JSON5/);

    assertRefused(rNoMode, "gateway.mode missing");
    assert.ok(
      rNoMode.stderr.includes(`set gateway.mode to "local" in ${noModePath}`),
      rNoMode.stderr,
    );
    assert.match(rNoMode.stderr, /--allow-unconfigured/);

    // The same config starts with --allow-unconfigured.
    assert.ok(gwUnconfigured.port > 0);
    assert.equal((await stopWith(gwUnconfigured, "SIGTERM")).code, 0);

    assertRefused(rLan, "lan without auth");
    assert.match(rLan.stderr, /Refusing to bind "0\.0\.0\.0" without auth/);

    assertRefused(rBind, "bad --bind");
    assert.match(rBind.stderr, /Invalid --bind "everywhere": use loopback, lan, custom/);

    assertRefused(rProfile, "bad --profile");
    assert.match(rProfile.stderr, /Invalid profile name "\.\.\/x"/);
    assert.deepEqual(await listDir(badProfile), [], "a refused profile wrote files");
  } finally {
    held.close();
    await Promise.all(homes.map((h) => h.cleanup()));
  }
});

Deno.test("openclaw gateway takes its port from --port, then OPENCLAW_GATEWAY_PORT, then gateway.port", async () => {
  const homes = await Promise.all(Array.from({ length: 3 }, () => tempHome()));
  // Ports a lower-precedence source names are held: if that source won, the start would fail.
  const heldConfig = holdPort();
  const heldEnv = holdPort();
  try {
    const [envHome, flagHome, configHome] = homes.map((h) => h.home);
    const cfg = (port: number) => ({
      gateway: { mode: "local", port, auth: { token: TEST_TOKEN } },
    });
    const envPort = freePort();
    const flagPort = freePort();
    const configPort = freePort();
    await writeConfig(envHome, cfg(heldConfig.port));
    await writeConfig(flagHome, cfg(heldConfig.port));
    await writeConfig(configHome, cfg(configPort));

    const started = await Promise.allSettled([
      startGatewayCli(["gateway"], cliEnv(envHome, { OPENCLAW_GATEWAY_PORT: String(envPort) })),
      startGatewayCli(
        ["gateway", "--port", String(flagPort)],
        cliEnv(flagHome, { OPENCLAW_GATEWAY_PORT: String(heldEnv.port) }),
      ),
      startGatewayCli(["gateway"], cliEnv(configHome)),
    ]);
    await using stack = new AsyncDisposableStack();
    for (const s of started) if (s.status === "fulfilled") stack.use(s.value);
    const [byEnv, byFlag, byConfig] = started.map((s) => {
      if (s.status === "rejected") throw s.reason;
      return s.value;
    });
    assert.equal(byEnv.port, envPort, "env beats config");
    assert.equal(byFlag.port, flagPort, "flag beats env and config");
    assert.equal(byConfig.port, configPort, "config beats the default");
    const codes = await Promise.all([byEnv, byFlag, byConfig].map((g) => stopWith(g, "SIGTERM")));
    assert.deepEqual(codes.map((c) => c.code), [0, 0, 0]);
  } finally {
    heldConfig.close();
    heldEnv.close();
    await Promise.all(homes.map((h) => h.cleanup()));
  }
});

Deno.test("openclaw gateway --port with a bad value exits 1 with one clear line naming --port", async () => {
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
    const res = await runCliBounded(["gateway", "--port", "abc"], cliEnv(home));
    assert.match(res.stderr, /Invalid port "abc" from --port: use a whole number 0-65535/);
    assertRefused(res, "bad --port");
  } finally {
    await cleanup();
  }
});
