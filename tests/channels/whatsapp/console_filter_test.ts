import assert from "node:assert/strict";
import {
  filterLibsignalConsole,
  isLibsignalNoise,
} from "../../../src/channels/whatsapp/_console_filter.ts";
import { silentLogger } from "../../../src/log/logger.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

class SessionEntry {
  currentRatchet = { rootKey: new Uint8Array([1, 2, 3]) };
}

guardedTest({
  name: "filterLibsignalConsole() swallows libsignal's session dumps and passes the rest",
  fn: () => {
    const seen: unknown[][] = [];
    const target = {
      info: (...a: unknown[]) => void seen.push(a),
      warn: (...a: unknown[]) => void seen.push(a),
      error: (...a: unknown[]) => void seen.push(a),
      log: (...a: unknown[]) => void seen.push(a),
    };
    assert.equal(filterLibsignalConsole(silentLogger(), target), true);
    assert.equal(filterLibsignalConsole(silentLogger(), target), false, "installs once");
    target.info("Closing session:", new SessionEntry());
    target.warn("Session already closed", new SessionEntry());
    target.error("Session error:Error: bad mac", "stack");
    target.log("anything", new SessionEntry());
    assert.deepEqual(seen, []);
    target.info("gateway listening");
    target.error("Session store is fine");
    assert.deepEqual(seen, [["gateway listening"], ["Session store is fine"]]);
    assert.equal(isLibsignalNoise(["Opening session:", {}]), true);
  },
});
