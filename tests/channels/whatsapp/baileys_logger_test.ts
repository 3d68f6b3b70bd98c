import assert from "node:assert/strict";
import { baileysLogger } from "../../../src/channels/whatsapp/_baileys.ts";
import { createLogSink } from "../../../src/log/logger.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

guardedTest({
  name: "baileysLogger() keeps messages and error text, never Baileys' objects",
  fn: () => {
    const lines: string[] = [];
    const sink = createLogSink({
      fileLevel: "silent",
      consoleLevel: "info",
      console: { write: (l) => lines.push(l) },
    });
    const log = baileysLogger(sink.logger("whatsapp"));
    log.warn({ creds: { noiseKey: { private: "SECRET-KEY-BYTES" } } }, "stream errored out");
    log.error({ err: new Error("Connection Closed") }, "connection errored");
    log.warn({}, "⚠️ DANGER: DISABLING ALL SYNC BY shouldSyncHistoryMsg PREVENTS ...");
    log.info({ node: { attrs: { id: "x" } } }, "recv xml"); // info is debug: dropped at info level
    assert.equal(lines.length, 2);
    assert.match(lines[0], /WARN .*stream errored out/);
    assert.match(lines[1], /connection errored: Connection Closed/);
    assert.ok(!lines.join("\n").includes("SECRET"));
    assert.equal(log.child({ class: "baileys" }), log);
  },
});
