/**
 * Test side of the control UI browser tests: runs a driver script (see
 * `_page_kit.ts`) in its own `deno run -A` process (playwright-core reads
 * outside the test run's permissions), with one retry — a browser's first
 * launch on a fresh machine can outlast a step's timeout; the first failure
 * is printed — and a 120 s kill. Returns the driver's last stdout line as JSON.
 *
 * @module
 */

import assert from "node:assert/strict";

/** Debian's headless Chromium, installed by `.ci/run`. */
export const CHROMIUM = "/usr/bin/chromium-headless-shell";
/** Browser tests are skipped (ignored) where Chromium is missing. */
export const hasBrowser = await Deno.stat(CHROMIUM).then(() => true, () => false);

/** Where screenshots go: `$OPENCLAW_UI_SHOTS` or a temp folder printed once. */
export const SHOTS_DIR = Deno.env.get("OPENCLAW_UI_SHOTS") ??
  `${Deno.env.get("TMPDIR") ?? "/tmp"}/openclaw-ui-shots`;

/** The gateway's HTTP base URL (`http://127.0.0.1:P/`) from its WebSocket URL. */
export function httpUrl(wsUrl: string): string {
  return wsUrl.replace(/^ws/, "http").replace(/\/?$/, "/");
}

/** Runs `driver` with `args` (base URL, token, ...); returns its final JSON line. */
export async function runDriver(driver: URL, args: string[]): Promise<Record<string, unknown>> {
  await Deno.mkdir(SHOTS_DIR, { recursive: true });
  let out!: Deno.CommandOutput;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", driver.pathname, ...args],
      env: { OPENCLAW_UI_SHOTS: SHOTS_DIR, OPENCLAW_CHROMIUM: CHROMIUM },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    out = await child.output();
    clearTimeout(timer);
    if (out.code === 0) break;
    console.error(`browser attempt ${attempt} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
  console.log(`screenshots: ${SHOTS_DIR}`);
  return JSON.parse(text.trim().split("\n").at(-1)!);
}
