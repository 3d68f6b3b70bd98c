/**
 * The log cannot be flooded: records a peer can cause without a credential
 * are sampled and summarised, and the day's file is rotated past a size cap.
 */

import assert from "node:assert/strict";
import { createLogSink, logFilePath } from "../../src/log/logger.ts";
import { SAMPLE_BURST } from "../../src/log/sample.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

Deno.test("LogSink samples refused connects: the first few per window, then one summary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  try {
    let now = Date.parse("2026-01-02T03:04:05Z");
    const lines: string[] = [];
    const sink = createLogSink({
      dir,
      fileLevel: "info",
      consoleLevel: "info",
      console: { write: (l) => lines.push(l) },
      now: () => new Date(now),
    });
    const log = sink.logger("ws");
    for (let i = 0; i < 1000; i++) {
      log.info("connect refused", { ip: i % 2 ? "10.0.0.1" : "10.0.0.2", code: "X" });
    }
    log.info("something else");
    assert.equal(lines.filter((l) => l.includes("connect refused")).length, SAMPLE_BURST);
    now += 61_000;
    log.info("connect refused", { ip: "10.0.0.3" });
    const summary = lines.find((l) => /connect refused: \d+ more in the last 60 s/.test(l));
    assert.ok(summary, lines.join("\n"));
    assert.match(summary, /connect refused: 995 more/);
    assert.match(summary, /"10\.0\.0\.1":\d+/);
    sink.close();
    const file = await Deno.readTextFile(logFilePath(dir, new Date(now - 61_000)));
    assert.ok(file.split("\n").length < 20, `the file got ${file.split("\n").length} lines`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LogSink rotates the day's file past its size cap and keeps a bounded number", async () => {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-log-" });
  try {
    const when = new Date("2026-01-02T03:04:05Z");
    const sink = createLogSink({
      dir,
      fileLevel: "info",
      consoleLevel: "silent",
      now: () => when,
      maxFileBytes: 4096,
      maxRotatedFiles: 2,
    });
    const log = sink.logger("x");
    for (let i = 0; i < 500; i++) log.info(`line ${i} ${"z".repeat(50)}`);
    sink.close();
    const path = logFilePath(dir, when);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [path, `${path}.1`, `${path}.2`].map((p) => p.slice(dir.length + 1)));
    for (const p of [path, `${path}.1`, `${path}.2`]) {
      const st = await Deno.stat(p);
      assert.ok(st.size <= 4096, `${p} is ${st.size} bytes`);
      assert.equal(st.mode! & 0o777, 0o600);
    }
    // The newest record is in the live file, older ones in .1.
    assert.match(await Deno.readTextFile(path), /line 499 /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a loop of refused connects writes a handful of log lines, not one per connect", async () => {
  await using gw = await startTestGateway();
  for (let i = 0; i < 40; i++) {
    const raw = await RawWs.open(gw.url);
    const res = await raw.handshake({ auth: { token: "wrong-token-000000000000" } });
    assert.equal(res.ok, false);
    await raw.close();
  }
  const refused = gw.lines.filter((l) => l.includes("connect refused"));
  assert.ok(refused.length <= SAMPLE_BURST, `${refused.length} lines:\n${refused.join("\n")}`);
});
