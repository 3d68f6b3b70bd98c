/**
 * The control UI's Config page in headless Chromium against a real gateway:
 * a bad edit is shown by line and key and leaves the file byte-for-byte
 * untouched; a good edit is saved (secrets kept, comments kept) with its
 * live/restart note; an edit on a file changed behind the page is refused
 * with a clear conflict message.
 */

import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { hasBrowser, httpUrl, runDriver } from "./_browser.ts";

const DRIVER = new URL("./_config_driver.ts", import.meta.url);
const HOOKS_TOKEN = "hooks-token-0123456789abcdef";

/** The file as a person would write it: JSON5 with comments. */
export const CONFIG_TEXT = `// OpenClaw gateway config (browser test)
{
  gateway: {
    mode: "local",
    auth: { token: "${TEST_TOKEN}" },
    reload: { debounceMs: 50 },
  },
  // hooks keep their own secret
  hooks: { enabled: true, token: "${HOOKS_TOKEN}" },
  logging: { level: "info" },
}
`;

Deno.test({
  name:
    "config page: errors by line and key write nothing; save shows hot/restart; conflicts refused",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using gw = await startTestGateway({ config: CONFIG_TEXT });
    const path = gw.proc.paths.configPath;
    const result = await runDriver(DRIVER, [httpUrl(gw.url), TEST_TOKEN, path, HOOKS_TOKEN]);
    const final = await Deno.readTextFile(path);
    // The page saved once (logging.level), then the driver's own edit; never the masks.
    assert.match(final, /level: "debug"/);
    assert.match(final, /debounceMs: 60/);
    assert.ok(final.includes(HOOKS_TOKEN) && final.includes(TEST_TOKEN));
    assert.ok(!final.includes("__OPENCLAW_REDACTED__"));
    assert.equal(gw.proc.config.config?.logging?.level, "debug");
    console.log(`config page: ${JSON.stringify(result)}`);
  },
});
