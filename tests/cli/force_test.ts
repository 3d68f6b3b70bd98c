/**
 * `openclaw gateway --force`: ends a real listener process found with lsof,
 * then serves on its port; fails fast when lsof is missing.
 */

import assert from "node:assert/strict";
import { cliEnv, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";
import {
  assertRefused,
  holdPort,
  runCliBounded,
  startGatewayCli,
  stopWith,
} from "../_helpers/cli_e2e.ts";
import { within } from "../_helpers/limit.ts";

/** A separate process that listens on 127.0.0.1 and reports its port. */
async function spawnListener(): Promise<{
  child: Deno.ChildProcess;
  port: number;
  exited: Promise<Deno.CommandStatus>;
}> {
  const code = "const l = Deno.listen({ hostname: '127.0.0.1', port: 0 });" +
    "console.log(l.addr.port);" +
    "for await (const c of l) c.close();";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let out = "";
  let gotPort!: (port: number) => void;
  const portReady = new Promise<number>((r) => (gotPort = r));
  const drained = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      out += chunk;
      const m = /^(\d+)\n/.exec(out);
      if (m) gotPort(Number(m[1]));
    }
  })();
  const exited = child.status.then(async (s) => {
    await drained;
    return s;
  });
  const port = await Promise.race([
    portReady,
    exited.then((s) => {
      throw new Error(`listener exited (${s.code}) before listening: ${out}`);
    }),
  ]);
  return { child, port, exited };
}

Deno.test("openclaw gateway --force ends the process listening on the port, logs its pid, then serves there", async () => {
  const { home, cleanup } = await tempHome();
  const listener = await spawnListener();
  try {
    await writeConfig(home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
    await using gw = await startGatewayCli(
      ["gateway", "--force", "--port", String(listener.port)],
      cliEnv(home),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = await Promise.race([
      listener.exited,
      new Promise<"alive">((r) => (timer = setTimeout(() => r("alive"), 5_000))),
    ]);
    clearTimeout(timer);
    assert.notEqual(ended, "alive", "the listener still runs after --force");
    assert.equal((ended as Deno.CommandStatus).signal, "SIGTERM", "ended with SIGTERM");
    const pid = String(listener.child.pid);
    assert.ok(
      gw.lines.some((l) => l.includes(`pid ${pid}`) && l.includes(String(listener.port))),
      `no log line names pid ${pid}:\n${gw.lines.join("\n")}`,
    );
    assert.equal(gw.port, listener.port);

    const health = await runCliBounded(
      ["health"],
      cliEnv(home, { OPENCLAW_GATEWAY_PORT: String(gw.port) }),
    );
    assert.equal(health.code, 0, health.stderr);
    assert.match(health.stdout, /^Gateway: ok/m);
    assert.equal((await stopWith(gw, "SIGTERM")).code, 0);
  } finally {
    try {
      listener.child.kill("SIGKILL");
    } catch { /* ended by --force */ }
    await within(listener.exited, 10_000, "the listener to exit");
    await cleanup();
  }
});

Deno.test("openclaw gateway --force fails fast with a message naming lsof when lsof is missing", async () => {
  const { home, cleanup } = await tempHome();
  const held = holdPort();
  try {
    await writeConfig(home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
    // A PATH with deno and nothing else.
    const bin = `${home}/bin`;
    await Deno.mkdir(bin);
    await Deno.symlink(Deno.execPath(), `${bin}/deno`);
    const res = await runCliBounded(
      ["gateway", "--force", "--port", String(held.port)],
      cliEnv(home, { PATH: bin }),
      15_000,
    );
    assert.match(res.stderr, /"lsof"/, res.stderr);
    assert.match(res.stderr, /install it/);
    assert.ok(res.ms < 10_000, `took ${Math.round(res.ms)} ms`);
    assertRefused(res, "--force without lsof");
  } finally {
    held.close();
    await cleanup();
  }
});
