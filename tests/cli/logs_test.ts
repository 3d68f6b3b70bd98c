import assert from "node:assert/strict";
import { GatewayError } from "../../src/errors.ts";
import { cliContext } from "../../src/cli/context.ts";
import { formatLogLine, logsAction } from "../../src/cli/logs.ts";
import { processMethods } from "../../src/cli/process_methods.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { startGatewayProcess } from "../../src/gateway_process.ts";
import { createLogSink } from "../../src/log/logger.ts";
import { LINE_TRUNCATED_MARK, logsHandlers, tailLogFile } from "../../src/methods/logs.ts";
import type { CallContext } from "../../src/server/router.ts";
import {
  cliEnv,
  FakeSignals,
  runCli,
  spawnCli,
  startTestGateway,
  tempHome,
  TEST_TOKEN,
  writeConfig,
} from "../_helpers/gateway.ts";

/** A log file in its own temp folder, removed on dispose. */
async function logFile(text: string) {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-logs-" });
  const path = `${dir}/openclaw-2025-01-01.log`;
  await Deno.writeTextFile(path, text);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("tailLogFile() without a cursor returns the last complete lines", async () => {
  await using fileLog = await logFile("a\nb\nc\npartial");
  const file = fileLog.path;
  assert.deepEqual(await tailLogFile(file, { limit: 2 }), {
    file,
    cursor: 6,
    size: 13,
    lines: ["b", "c"],
    truncated: true,
  });
  assert.deepEqual((await tailLogFile(file, {})).lines, ["a", "b", "c"]);
});

Deno.test("tailLogFile() reads forward from a cursor and waits for a line to finish", async () => {
  await using fileLog = await logFile("a\nb\nc\npartial");
  const file = fileLog.path;
  assert.deepEqual(await tailLogFile(file, { cursor: 6 }), {
    file,
    cursor: 6,
    size: 13,
    lines: [],
  });
  await Deno.writeTextFile(file, " line\nd\n", { append: true });
  assert.deepEqual(await tailLogFile(file, { cursor: 6 }), {
    file,
    cursor: 21,
    size: 21,
    lines: ["partial line", "d"],
  });
});

Deno.test("tailLogFile() stops at limit lines or maxBytes and says more is waiting", async () => {
  await using fileLog = await logFile(
    Array.from({ length: 10 }, (_, i) => `line-${i}`).join("\n") + "\n",
  );
  const file = fileLog.path;
  const byLimit = await tailLogFile(file, { cursor: 0, limit: 3 });
  assert.deepEqual(byLimit.lines, ["line-0", "line-1", "line-2"]);
  assert.equal(byLimit.cursor, 21);
  assert.equal(byLimit.truncated, true);
  const byBytes = await tailLogFile(file, { cursor: byLimit.cursor, maxBytes: 16 });
  assert.deepEqual(byBytes.lines, ["line-3", "line-4"]);
  assert.equal(byBytes.cursor, 35);
  assert.equal(byBytes.truncated, true);
  const rest = await tailLogFile(file, { cursor: byBytes.cursor });
  assert.deepEqual(rest.lines, ["line-5", "line-6", "line-7", "line-8", "line-9"]);
  assert.equal(rest.truncated, undefined);
  assert.equal(rest.cursor, rest.size);
});

Deno.test("tailLogFile() cuts a line longer than maxBytes and skips its rest", async () => {
  await using fileLog = await logFile(`${"x".repeat(100)}\nok\n`);
  const file = fileLog.path;
  const first = await tailLogFile(file, { cursor: 0, maxBytes: 10 });
  assert.deepEqual(first.lines, [`${"x".repeat(10)}${LINE_TRUNCATED_MARK}`]);
  assert.equal(first.cursor, 101);
  assert.equal(first.truncated, true);
  assert.deepEqual((await tailLogFile(file, { cursor: first.cursor })).lines, ["ok"]);
});

Deno.test("tailLogFile() restarts at the top when the file shrank or the cursor is mid-line", async () => {
  await using fileLog = await logFile("a\nbc\n");
  const file = fileLog.path;
  await Deno.writeTextFile(file, "z\n");
  assert.deepEqual(await tailLogFile(file, { cursor: 5 }), {
    file,
    cursor: 2,
    size: 2,
    lines: ["z"],
    reset: true,
  });
  await Deno.writeTextFile(file, "a\nbc\n");
  const midLine = await tailLogFile(file, { cursor: 3 });
  assert.equal(midLine.reset, true);
  assert.deepEqual(midLine.lines, ["a", "bc"]);
});

Deno.test("logs.tail follows the day's file and resets when the day rolls over", async () => {
  await using yesterdayLog = await logFile("old-1\nold-2\nold-3\n");
  const yesterday = yesterdayLog.path;
  const today = yesterday.replace("2025-01-01", "2025-01-02");
  let current = yesterday;
  const tail = logsHandlers({ logFile: () => current })["logs.tail"]! as (
    p: unknown,
    c: CallContext,
  ) => Promise<{ file: string; cursor: number; lines: string[]; reset?: boolean }>;
  const ctx = {} as CallContext;
  const first = await tail({}, ctx);
  assert.equal(first.file, yesterday);
  current = today;
  await Deno.writeTextFile(today, "new-1\n");
  const next = await tail({ cursor: first.cursor }, ctx);
  assert.deepEqual(next, { file: today, cursor: 6, size: 6, lines: ["new-1"], reset: true });
  assert.deepEqual(await tailLogFile(`${today}.missing`, {}), {
    file: `${today}.missing`,
    cursor: 0,
    size: 0,
    lines: [],
  });
});

Deno.test("tailLogFile() never returns a cursor inside an unfinished line longer than maxBytes", async () => {
  await using fileLog = await logFile(`a\n${"x".repeat(100)}`);
  const file = fileLog.path;
  const first = await tailLogFile(file, { maxBytes: 10 });
  assert.deepEqual(first, { file, cursor: 2, size: 102, lines: [], truncated: true });
  // The line is still being written: wait at its start instead of restarting the file.
  const waiting = await tailLogFile(file, { cursor: first.cursor, maxBytes: 10 });
  assert.deepEqual(waiting, { file, cursor: 2, size: 102, lines: [] });
  await Deno.writeTextFile(file, "\nb\n", { append: true });
  const done = await tailLogFile(file, { cursor: waiting.cursor, maxBytes: 10 });
  assert.equal(done.reset, undefined);
  assert.deepEqual(done.lines, [`${"x".repeat(10)}${LINE_TRUNCATED_MARK}`]);
  assert.deepEqual((await tailLogFile(file, { cursor: done.cursor })).lines, ["b"]);
  // A file that is one unfinished line from its first byte: the cursor is 0.
  await Deno.writeTextFile(file, "y".repeat(50));
  assert.equal((await tailLogFile(file, { maxBytes: 10 })).cursor, 0);
});

/** Yesterday's and today's files of one log in a temp folder, removed on dispose. */
async function twoDays(yesterdayText: string, todayText: string) {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-logs-" });
  const yesterday = `${dir}/openclaw-2025-01-01.log`;
  const today = `${dir}/openclaw-2025-01-02.log`;
  await Deno.writeTextFile(yesterday, yesterdayText);
  await Deno.writeTextFile(today, todayText);
  return {
    dir,
    yesterday,
    today,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test("tailLogFile() finishes yesterday's file before today's after midnight", async () => {
  await using days = await twoDays("old-1\n", "new-1\nnew-2\n");
  const { yesterday, today } = days;
  const polled = { file: yesterday, cursor: 6 };
  // Written to yesterday's file after the last poll, before the logger moved on.
  await Deno.writeTextFile(yesterday, "late-1\nlate-2\n", { append: true });
  const rest = await tailLogFile(today, polled);
  assert.deepEqual(rest, {
    file: yesterday,
    cursor: 20,
    size: 20,
    lines: ["late-1", "late-2"],
    truncated: true,
  });
  const next = await tailLogFile(today, { file: rest.file, cursor: rest.cursor });
  assert.deepEqual(next, { file: today, cursor: 12, size: 12, lines: ["new-1", "new-2"] });
  // The bare name works as well as the path the answer carried.
  const byName = await tailLogFile(today, { file: "openclaw-2025-01-01.log", cursor: 6 });
  assert.deepEqual(byName.lines, ["late-1", "late-2"]);
});

Deno.test("tailLogFile() resets to today's top for a cursor file it does not know or that shrank", async () => {
  await using days = await twoDays("old-1\n", "new-1\n");
  const { dir, yesterday, today } = days;
  const fromTop = { file: today, cursor: 6, size: 6, lines: ["new-1"], reset: true };
  // Only the name counts: a path into another folder reads the log folder's file of that name.
  await using elsewhere = await logFile("secret\n");
  const foreign = await tailLogFile(today, { file: elsewhere.path, cursor: 0 });
  assert.deepEqual(foreign.lines, ["old-1"]);
  assert.equal(foreign.file, yesterday);
  for (
    const file of [
      "/etc/passwd",
      `${dir}/../openclaw-2024-12-31.log`,
      `${dir}/openclaw-dev-2025-01-01.log`,
      `${dir}/openclaw-2025-01-03.log`,
    ]
  ) {
    assert.deepEqual(await tailLogFile(today, { file, cursor: 0 }), fromTop, file);
  }
  await Deno.writeTextFile(yesterday, "");
  assert.deepEqual(await tailLogFile(today, { file: yesterday, cursor: 6 }), fromTop);
  await Deno.remove(yesterday);
  assert.deepEqual(await tailLogFile(today, { file: yesterday, cursor: 6 }), fromTop);
});

Deno.test("logs.tail answers UNAVAILABLE when the file log is off", async () => {
  const tail = logsHandlers({ logFile: () => undefined })["logs.tail"]! as (
    p: unknown,
    c: CallContext,
  ) => Promise<unknown>;
  await assert.rejects(
    async () => await tail({}, {} as CallContext),
    (err: unknown) => err instanceof GatewayError && err.code === "UNAVAILABLE",
  );
});

Deno.test("formatLogLine() prints time, level, subsystem and message", () => {
  assert.equal(
    formatLogLine('{"time":"T","level":"warn","subsystem":"ws","msg":"slow","connId":"c1"}'),
    'T WARN  [ws] slow {"connId":"c1"}',
  );
  assert.equal(formatLogLine("plain text"), "plain text");
  assert.equal(formatLogLine("{not json"), "{not json");
});

Deno.test("logs prints the gateway's last lines, formatted or raw with --json", async () => {
  await using gw = await startTestGateway();
  const env = cliEnv(gw.home);
  const target = ["--url", gw.url, "--token", TEST_TOKEN];
  const human = await runCli(["logs", "--limit", "5", ...target], env);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^\S+ INFO {2}\[gateway\] listening on ws:\/\/127\.0\.0\.1:\d+/m);
  const raw = await runCli(["logs", "--json", "--limit", "1", ...target], env);
  assert.equal(raw.code, 0, raw.stderr);
  const lines = raw.stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  assert.equal(typeof JSON.parse(lines[0]).msg, "string");
  const bad = await runCli(["logs", "--limit", "0", ...target], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Invalid --limit "0": use a whole number 1-5000/);
});

Deno.test("logs --follow prints a line the gateway logs after it started", async () => {
  await using gw = await startTestGateway();
  await using follow = spawnCli(
    ["logs", "--follow", "--interval", "100", "--url", gw.url, "--token", TEST_TOKEN],
    cliEnv(gw.home),
  );
  await follow.waitFor(/listening on/);
  assert.ok(!follow.lines.some((l) => /connect refused/.test(l)));
  await assert.rejects(gw.connect({ token: "wrong-token" }));
  const line = await follow.waitFor(/connect refused/, 5000);
  assert.match(line, /^\S+ INFO {2}\[\w+\] connect refused/);
});

/** Resolves once `check()` holds; fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("logs --follow keeps the lines written to yesterday's file after its last poll", async () => {
  const { home, cleanup } = await tempHome();
  await writeConfig(home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
  const env = { OPENCLAW_HOME: home };
  const paths = resolvePaths({}, env);
  let now = new Date("2025-01-01T23:59:50Z");
  const sink = createLogSink({
    dir: paths.logDir,
    fileLevel: "info",
    consoleLevel: "error",
    console: { write: () => {} },
    now: () => now,
  });
  const proc = await startGatewayProcess({
    paths,
    env,
    flags: { port: 0 },
    sink,
    signals: new FakeSignals(),
    processMethods,
    watch: false,
  });
  const out: string[] = [];
  const err: string[] = [];
  const ctx = cliContext({}, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
  const stop = new AbortController();
  const flags = {
    follow: true,
    json: true,
    interval: "50",
    url: proc.instance.url,
    token: TEST_TOKEN,
  };
  const following = logsAction(ctx, flags, stop.signal);
  const msgs = () => out.map((l) => JSON.parse(l).msg as string);
  try {
    const log = sink.logger("test");
    log.info("before midnight");
    await until(() => msgs().includes("before midnight"), "the first line");
    // Between two polls: a last line for yesterday, then the clock passes midnight.
    log.info("late yesterday");
    now = new Date("2025-01-02T00:00:01Z");
    log.info("early today");
    await until(() => msgs().includes("early today"), "today's line");
    const seen = msgs();
    assert.ok(seen.includes("late yesterday"), seen.join("\n"));
    assert.ok(seen.indexOf("late yesterday") < seen.indexOf("early today"));
    assert.deepEqual(err, []);
  } finally {
    stop.abort();
    await following.catch(() => {});
    await proc.stop("test done");
    await cleanup();
  }
});
