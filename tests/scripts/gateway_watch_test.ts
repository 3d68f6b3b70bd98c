/**
 * `deno task gateway:watch`: which changes restart or rebuild (pure), and
 * the real loop: a gateway on port 0 restarts (new pid, a new hello on its
 * new port) when a watched file changes, and a control UI change rebuilds
 * the UI before the restart.
 */

import assert from "node:assert/strict";
import { GatewayClient } from "../../src/client/gateway_client.ts";
import { parseWatchArgs, planFor } from "../../scripts/gateway_watch.ts";
import { cliEnv, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";

const SCRIPT = new URL("../../scripts/gateway_watch.ts", import.meta.url).pathname;

Deno.test("planFor() restarts on src/, protocol/ and main.ts, rebuilds the UI for src/ui/app/", () => {
  const r = "/repo";
  assert.deepEqual(planFor(r, ["/repo/src/server/serve.ts"]), { restart: true, rebuildUi: false });
  assert.deepEqual(planFor(r, ["/repo/main.ts"]), { restart: true, rebuildUi: false });
  assert.deepEqual(planFor(r, ["/repo/protocol/frames.ts"]), { restart: true, rebuildUi: false });
  assert.deepEqual(planFor(r, ["/repo/src/ui/app/pages/chat.js"]), {
    restart: true,
    rebuildUi: true,
  });
  for (const p of ["/repo/README.md", "/repo/src/x.ts~", "/repo/src/.x.ts.swp", "/else/src/a.ts"]) {
    assert.deepEqual(planFor(r, [p]), { restart: false, rebuildUi: false }, p);
  }
});

Deno.test("parseWatchArgs() keeps its own options and passes the rest to the gateway", () => {
  const o = parseWatchArgs(["--port", "0", "--debounce-ms", "50", "--verbose"]);
  assert.equal(o.debounceMs, 50);
  assert.deepEqual(o.gatewayArgs, ["--port", "0", "--verbose"]);
  assert.throws(() => parseWatchArgs(["--debounce-ms", "soon"]), /Invalid --debounce-ms "soon"/);
});

/** The watcher's output lines, with a bounded wait for the n-th match. */
function collect(child: Deno.ChildProcess) {
  const lines: string[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let buf = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    }
  };
  const done = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    lines,
    done,
    async nth(re: RegExp, n: number, ms = 30_000): Promise<RegExpMatchArray> {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        const hits = lines.map((l) => l.match(re)).filter((m) => m !== null);
        if (hits.length >= n) return hits[n - 1]!;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no ${n}. line matching ${re} within ${ms} ms:\n${lines.join("\n")}`);
    },
  };
}

async function helloPid(url: string): Promise<number> {
  const client = await GatewayClient.connect(url, { token: TEST_TOKEN });
  try {
    const status = await client.request("status", {}) as { pid: number };
    return status.pid;
  } finally {
    await client.close();
  }
}

Deno.test({
  name: "gateway:watch restarts the gateway on a source change and rebuilds the UI first",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { home, cleanup } = await tempHome();
    await writeConfig(home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
    const root = await Deno.makeTempDir({ prefix: "openclaw-watch-" });
    await Deno.mkdir(`${root}/src/ui/app`, { recursive: true });
    await Deno.writeTextFile(`${root}/src/a.ts`, "export const a = 1;\n");
    await Deno.writeTextFile(`${root}/main.ts`, "\n");
    const uiOut = `${root}/ui-out`;
    await Deno.mkdir(uiOut);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, "--watch-root", root, "--ui-out", uiOut, "--debounce-ms", "100"]
        .concat(["--port", "0"]),
      env: cliEnv(home),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = collect(child);
    const started = /\[watch\] gateway started \(pid (\d+)\)/;
    const listening = /listening on (ws:\/\/127\.0\.0\.1:\d+)/;
    try {
      const pid1 = Number((await out.nth(started, 1))[1]);
      assert.equal(await helloPid((await out.nth(listening, 1))[1]), pid1);

      await Deno.writeTextFile(`${root}/src/a.ts`, "export const a = 2;\n");
      const pid2 = Number((await out.nth(started, 2))[1]);
      assert.notEqual(pid2, pid1);
      assert.equal(await helloPid((await out.nth(listening, 2))[1]), pid2);
      assert.ok(!out.lines.some((l) => l.includes("rebuilding")), "no UI build for src/a.ts");

      await Deno.writeTextFile(`${root}/src/ui/app/x.js`, "export {};\n");
      await out.nth(/control UI changed: rebuilding/, 1);
      const pid3 = Number((await out.nth(started, 3, 60_000))[1]);
      assert.ok((await Deno.stat(`${uiOut}/index.html`)).isFile, "the UI was built");
      assert.equal(await helloPid((await out.nth(listening, 3))[1]), pid3);
    } finally {
      child.kill("SIGTERM");
      const status = await within(child.status, 20_000, "gateway:watch to stop").catch(() => {
        child.kill("SIGKILL");
        return undefined;
      });
      await within(out.done, 10_000, "watcher output to end").catch(() => {});
      await Deno.remove(root, { recursive: true });
      await cleanup();
      assert.ok(out.lines.some((l) => l.includes("[watch] stopped")), out.lines.join("\n"));
      assert.equal(status?.success, true, out.lines.join("\n"));
    }
  },
});
