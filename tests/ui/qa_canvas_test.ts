/**
 * A canvas page is a file anyone who steers the agent can write, served on
 * the control UI's origin. In a real Chromium, after the UI signed in and
 * stored its device token, a canvas page in the same profile can neither
 * read that storage nor open the control-plane socket.
 */

import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_qa_canvas_driver.ts", import.meta.url);

const PROBE = `<!doctype html><html><body><p id="out">pending</p><script>
const out = document.getElementById("out");
let storage;
try {
  const keys = Object.keys(localStorage).filter((k) => k.startsWith("openclaw"));
  storage = "read " + keys.length + " openclaw keys";
} catch (e) {
  storage = "storage blocked: " + e.name;
}
const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/");
ws.onopen = () => { out.textContent = storage + "; socket open"; };
ws.onerror = () => { out.textContent = storage + "; socket refused"; };
</script></body></html>`;

Deno.test({
  name: "canvas page in Chromium: cannot read the control UI's device token or open its socket",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using gw = await startTestGateway();
    const root = gw.proc.instance.settings.canvas.root;
    await Deno.mkdir(root, { recursive: true });
    await Deno.writeTextFile(`${root}/probe.html`, PROBE);
    const out = await runDriver(DRIVER, [httpUrl(gw.url), TEST_TOKEN]);
    const stored = out.stored as string[];
    assert.ok(stored.some((k) => k.startsWith("openclaw.device.auth")), JSON.stringify(out));
    assert.equal(out.canvas, "storage blocked: SecurityError; socket refused");
  },
});
