/**
 * The control UI's numbers, measured in a real headless Chromium against a
 * real gateway process (its own temp home, port 0):
 *
 * - first-load transferred bytes (encoded body sizes of the document and its
 *   resources from resource timing: gzip as served);
 * - navigation to chat usable (connected, message box shown): median of N
 *   fresh tabs, each in a new browser context (cold storage, warm HTTP cache
 *   off);
 * - the gateway's RSS (`/proc/<pid>/status` VmRSS) before and after T idle
 *   signed-in tabs, and the cost per tab.
 *
 * Prints a small table, or JSON with `--json`. A benchmark, not a test.
 *
 * @example
 * ```sh
 * deno run -A bench/ui_bench.ts              # 5 loads, 20 tabs
 * deno run -A bench/ui_bench.ts --tabs 10 --loads 3 --json
 * ```
 *
 * @module
 */

import { chromium } from "playwright-core";
import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const TOKEN = "ui-bench-token-0123456789abcdef0123456789";
const STEP_MS = 30_000;

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  const n = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1 || n > 200) {
    throw new Error(`Invalid ${name} "${Deno.args[i + 1]}": use a whole number from 1 to 200`);
  }
  return n;
}

/** VmRSS of `pid` in KiB. */
export async function rssKiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!m) throw new Error(`No VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

async function startGateway(home: string): Promise<{ child: Deno.ChildProcess; base: string }> {
  await Deno.mkdir(`${home}/.openclaw`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/.openclaw/openclaw.json`,
    JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }),
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_PERMISSIONS, MAIN, "gateway", "--port", "0"],
    env: {
      OPENCLAW_HOME: home,
      // Keep Deno's module cache (it lives under the real HOME by default).
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      HOME: home,
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + STEP_MS;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const m = text.match(/listening on ws:\/\/(127\.0\.0\.1:\d+)/);
    if (m) {
      // Keep draining stdout so the gateway never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done) { /* discard */ }
      })().catch(() => {});
      return { child, base: `http://${m[1]}/` };
    }
  }
  child.kill("SIGKILL");
  throw new Error(`The gateway did not listen within ${STEP_MS} ms:\n${text}`);
}

const loads = flag("--loads", 5);
const tabs = flag("--tabs", 20);
const home = await Deno.makeTempDir({ prefix: "openclaw-ui-bench-" });
const { child, base } = await startGateway(home);
const browser = await chromium.launch({
  executablePath: Deno.env.get("OPENCLAW_CHROMIUM") ?? "/usr/bin/chromium-headless-shell",
  args: ["--no-sandbox"],
  timeout: STEP_MS,
});
try {
  // First load and time to usable: each load in a fresh context (empty cache and storage).
  const usable: number[] = [];
  let bytes = 0;
  let files = 0;
  for (let i = 0; i < loads; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP_MS);
    const t0 = performance.now();
    await page.goto(`${base}chat#token=${TOKEN}`);
    await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
    await page.getByLabel("Message").waitFor();
    usable.push(Math.round(performance.now() - t0));
    if (i === 0) {
      const sizes = await page.evaluate(() =>
        [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
          .map((e) => (e as unknown as { encodedBodySize: number }).encodedBodySize)
      );
      bytes = sizes.reduce((a, b) => a + b, 0);
      files = sizes.length;
    }
    await ctx.close();
  }

  // RSS: settle, measure, open the tabs (all connected and idle), settle, measure.
  await new Promise((r) => setTimeout(r, 1500));
  const before = await rssKiB(child.pid);
  const ctx = await browser.newContext();
  for (let i = 0; i < tabs; i++) {
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`${base}chat#token=${TOKEN}`);
    await page.getByTestId("conn").filter({ hasText: /^connected$/ }).waitFor();
  }
  await new Promise((r) => setTimeout(r, 3000));
  const after = await rssKiB(child.pid);
  const result = {
    firstLoadBytes: bytes,
    firstLoadFiles: files,
    usableMsMedian: median(usable),
    usableMs: usable,
    rssBeforeKiB: before,
    rssAfterKiB: after,
    tabs,
    perTabKiB: Math.round((after - before) / tabs),
  };
  if (Deno.args.includes("--json")) console.log(JSON.stringify(result));
  else {
    console.log(`first load (encoded, gzip as served): ${bytes} bytes in ${files} responses`);
    console.log(`navigation -> chat usable: median ${result.usableMsMedian} ms of ${usable}`);
    console.log(`gateway RSS: ${before} KiB idle -> ${after} KiB with ${tabs} UI tabs`);
    console.log(`per tab: ${result.perTabKiB} KiB`);
  }
} finally {
  await browser.close();
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(home, { recursive: true });
}
