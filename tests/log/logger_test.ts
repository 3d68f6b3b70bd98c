import assert from "node:assert/strict";
import { createLogSink, logFilePath, type LogSinkOptions } from "../../src/log/logger.ts";

function fixture(opts: Partial<LogSinkOptions> & { dir?: string } = {}) {
  let now = new Date("2025-03-09T23:59:58.500Z");
  const lines: string[] = [];
  const sink = createLogSink({
    fileLevel: "info",
    consoleLevel: "info",
    console: { write: (line) => lines.push(line) },
    now: () => now,
    ...opts,
  });
  return {
    sink,
    lines,
    setNow(d: string) {
      now = new Date(d);
    },
  };
}

async function records(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).trimEnd().split("\n").map((l) => JSON.parse(l));
}

Deno.test("logFilePath() names the daily file by UTC date and prefix", () => {
  assert.equal(
    logFilePath("/s/logs", new Date("2025-03-09T23:59:59Z")),
    "/s/logs/openclaw-2025-03-09.log",
  );
  assert.equal(
    logFilePath("/s/logs", new Date("2025-03-10T00:00:00Z"), "openclaw-work"),
    "/s/logs/openclaw-work-2025-03-10.log",
  );
});

Deno.test("LogSink writes JSON lines to a private file per day, following the injected clock", async () => {
  const root = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  const dir = `${root}/state/logs`;
  try {
    const f = fixture({ dir, prefix: "openclaw-work" });
    const log = f.sink.logger("gateway");
    log.info("before midnight", { port: 18789 });
    assert.equal(f.sink.currentFile(), `${dir}/openclaw-work-2025-03-09.log`);
    f.setNow("2025-03-10T00:00:01.000Z");
    log.child("ws").warn("after midnight");
    f.sink.close();

    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "openclaw-work-2025-03-09.log",
      "openclaw-work-2025-03-10.log",
    ]);
    for (const name of names) {
      assert.equal((await Deno.stat(`${dir}/${name}`)).mode! & 0o777, 0o600, name);
    }
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    assert.deepEqual(await records(`${dir}/openclaw-work-2025-03-09.log`), [{
      time: "2025-03-09T23:59:58.500Z",
      level: "info",
      subsystem: "gateway",
      msg: "before midnight",
      port: 18789,
    }]);
    assert.deepEqual(await records(`${dir}/openclaw-work-2025-03-10.log`), [{
      time: "2025-03-10T00:00:01.000Z",
      level: "warn",
      subsystem: "ws",
      msg: "after midnight",
    }]);
    assert.deepEqual(f.lines, [
      '23:59:58 INFO  [gateway] before midnight {"port":18789}',
      "00:00:01 WARN  [ws] after midnight",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LogSink applies file and console levels separately, and setLevels() changes them", async () => {
  const root = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  try {
    const f = fixture({ dir: root, fileLevel: "info", consoleLevel: "warn" });
    const log = f.sink.logger("rpc");
    assert.equal(log.debugEnabled, false);
    log.debug("req");
    log.info("info line");
    log.error("error line");
    assert.deepEqual(f.lines.map((l) => l.slice(9)), ["ERROR [rpc] error line"]);
    const file = f.sink.currentFile()!;
    assert.deepEqual((await records(file)).map((r) => r.msg), ["info line", "error line"]);

    f.sink.setLevels({ consoleLevel: "debug" }); // --verbose
    assert.equal(log.debugEnabled, true);
    log.debug("res", { id: "1" });
    assert.equal(f.lines.at(-1)!.slice(9), 'DEBUG [rpc] res {"id":"1"}');
    assert.equal((await records(file)).length, 2, "the file level stays info");

    f.sink.setLevels({ fileLevel: "silent", consoleLevel: "silent" });
    log.error("dropped");
    assert.equal(f.lines.length, 2);
    assert.equal((await records(file)).length, 2);
    f.sink.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LogSink masks secrets in messages and fields on both sinks", async () => {
  const root = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  try {
    const f = fixture({ dir: root });
    f.sink.redactor.setSecrets(["tok-0123456789"]);
    f.sink.logger().info("auth with tok-0123456789 failed", {
      token: "tok-0123456789",
      headers: { authorization: "Bearer tok-0123456789" },
      detail: "got tok-0123456789",
    });
    f.sink.close();
    const text = await Deno.readTextFile(f.sink.currentFile()!);
    for (const out of [text, f.lines.join("\n")]) {
      assert.ok(!out.includes("tok-0123456789"), out);
    }
    assert.deepEqual((await records(f.sink.currentFile()!))[0], {
      time: "2025-03-09T23:59:58.500Z",
      level: "info",
      subsystem: "gateway",
      msg: "auth with *** failed",
      token: "[redacted]",
      headers: { authorization: "[redacted]" },
      detail: "got ***",
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LogSink keeps running on stdout when the log file cannot be written, and says so once", async () => {
  const root = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  try {
    const blocker = `${root}/logs`;
    await Deno.writeTextFile(blocker, "a file where the folder should be");
    const f = fixture({ dir: blocker });
    const log = f.sink.logger();
    log.info("one");
    log.info("two");
    const warnings = f.lines.filter((l) => l.includes("cannot be written"));
    assert.equal(warnings.length, 1, f.lines.join("\n"));
    assert.ok(warnings[0].includes(`${blocker}/openclaw-2025-03-09.log`));
    assert.ok(f.lines.some((l) => l.endsWith("[gateway] two")));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LogSink resumes the file log a minute after a write error", async () => {
  const root = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  try {
    const dir = `${root}/logs`;
    await Deno.writeTextFile(dir, "a file where the folder should be");
    const f = fixture({ dir });
    const log = f.sink.logger();
    log.info("lost while blocked");
    await Deno.remove(dir); // the disk problem goes away
    f.setNow("2025-03-09T23:59:59.000Z");
    log.info("still paused");
    f.setNow("2025-03-10T00:00:58.600Z"); // next day's file: retried at once
    log.info("back");
    const text = await Deno.readTextFile(f.sink.currentFile()!);
    assert.ok(text.includes('"msg":"back"'), text);
    assert.ok(!text.includes("still paused"));
    f.sink.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LogSink without a folder writes no file and has no current file", () => {
  const f = fixture();
  f.sink.logger().info("console only");
  assert.equal(f.sink.currentFile(), undefined);
  assert.equal(f.lines.length, 1);
});
