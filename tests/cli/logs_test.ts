import assert from "node:assert/strict";
import { GatewayError } from "../../src/errors.ts";
import { formatLogLine } from "../../src/cli/logs.ts";
import { LINE_TRUNCATED_MARK, logsHandlers, tailLogFile } from "../../src/methods/logs.ts";
import type { CallContext } from "../../src/server/router.ts";
import { cliEnv, runCli, spawnCli, startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";

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
