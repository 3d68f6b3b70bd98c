import assert from "node:assert/strict";
import { guardBaileysFailures, isFromBaileys } from "../../../src/channels/whatsapp/_baileys.ts";
import { createLogSink } from "../../../src/log/logger.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

function baileysError(message: string): Error {
  const err = new Error(message);
  err.stack =
    `Error: ${message}\n    at end (file:///root/.cache/deno/npm/registry.npmjs.org/@whiskeysockets/baileys/7.0.0-rc14/lib/Socket/socket.js:10:5)`;
  return err;
}

guardedTest({
  name: "isFromBaileys() recognises Baileys, libsignal and Boom errors only",
  fn: () => {
    assert.equal(isFromBaileys(baileysError("x")), true);
    const sig = new Error("bad mac");
    sig.stack =
      "Error: bad mac\n    at x (file:///c/npm/registry.npmjs.org/libsignal/6.0.0/src/crypto.js:1:1)";
    assert.equal(isFromBaileys(sig), true);
    assert.equal(
      isFromBaileys(Object.assign(new Error("Connection Closed"), { isBoom: true })),
      true,
    );
    assert.equal(isFromBaileys(new Error("gateway bug")), false);
    const zlib = Object.assign(new Error("incorrect header check"), { code: "Z_DATA_ERROR" });
    zlib.stack =
      "Error: incorrect header check\n    at Zlib.zlibOnError (ext:deno_node/zlib.js:1:4118)";
    assert.equal(isFromBaileys(zlib), true, "Baileys' unguarded inflate of a bad frame");
    const ours = Object.assign(new Error("incorrect header check"), { code: "Z_DATA_ERROR" });
    ours.stack = zlib.stack + "\n    at load (file:///work/src/x.ts:1:1)";
    assert.equal(isFromBaileys(ours), false, "a zlib error from gateway code is not swallowed");
    assert.equal(isFromBaileys("string"), false);
  },
});

guardedTest({
  name: "guardBaileysFailures() turns a background Baileys rejection into a warning, not a crash",
  fn: async () => {
    const lines: string[] = [];
    const sink = createLogSink({
      fileLevel: "silent",
      consoleLevel: "warn",
      console: { write: (l) => lines.push(l) },
    });
    assert.equal(guardBaileysFailures(sink.logger("whatsapp")), true);
    assert.equal(guardBaileysFailures(sink.logger("whatsapp")), false, "installs once");
    // Unhandled on purpose: without the guard, Deno fails this test (and would end the gateway).
    Promise.reject(baileysError("Connection Terminated"));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(lines.some((l) => /Baileys failed in the background.*Connection Terminated/.test(l)));
  },
});
