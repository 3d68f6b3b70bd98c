/**
 * `openclaw gateway` flags an operator relies on: `--password` selects
 * password auth even on a token-mode config (and the printed hint works),
 * and `--force` ends only listeners that conflict with the bound address,
 * never PID 1, naming each PID and command.
 */

import assert from "node:assert/strict";
import type { Exec } from "../../service/exec.ts";
import { conflicts, freePort as forceFree, parseLsof } from "../../src/runtime/free_port.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { cliEnv, tempHome } from "../_helpers/gateway.ts";
import { freePort, runCliBounded, startGatewayCli, stopWith } from "../_helpers/cli_e2e.ts";

Deno.test("openclaw gateway --password on a fresh (token-mode) config runs password auth, and its hint works", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const port = freePort();
    const password = "correct-horse-battery";
    await using gw = await startGatewayCli(
      ["gateway", "--port", String(port), "--password", password],
      cliEnv(home),
    );
    const ready = gw.lines.find((l) => /gateway ready on/.test(l)) ?? "";
    assert.match(ready, /\(password from the command line\)/);
    assert.match(ready, new RegExp(`OPENCLAW_GATEWAY_PORT=${port} openclaw health --password`));
    assert.ok(!gw.lines.join("\n").includes(password), "the password reached stdout");
    // The hint, run as printed.
    const env = cliEnv(home, { OPENCLAW_GATEWAY_PORT: String(port) });
    const ok = await runCliBounded(["health", "--password", password], env);
    assert.equal(ok.code, 0, ok.stderr);
    const wrong = await runCliBounded(["health", "--password", "not-the-password"], env);
    assert.notEqual(wrong.code, 0);
    assert.equal((await stopWith(gw, "SIGTERM")).code, 0);
  } finally {
    await cleanup();
  }
});

/** A separate process listening on `[::1]:0`; reports its port. */
async function spawnV6Listener(): Promise<{ child: Deno.ChildProcess; port: number }> {
  const code = "const l = Deno.listen({ hostname: '::1', port: 0 });" +
    "console.log(l.addr.port);for await (const c of l) c.close();";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const first = await Promise.race([
    reader.read(),
    new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error("no port")), 10_000))),
  ]).finally(() => clearTimeout(timer));
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return { child, port: Number(first.value?.trim()) };
}

Deno.test("openclaw gateway --force leaves a listener on [::1]:P alone when binding 127.0.0.1:P", async () => {
  const { home, cleanup } = await tempHome();
  const v6 = await spawnV6Listener();
  try {
    await using gw = await startGatewayCli(
      ["gateway", "--force", "--port", String(v6.port), "--token", "force-test-token-0123456789"],
      cliEnv(home),
    );
    assert.equal(gw.port, v6.port);
    const pid = String(v6.child.pid);
    assert.ok(
      gw.lines.some((l) => /--force: left pid \d+ \(deno\) on \[::1\]:\d+ running/.test(l)),
      gw.lines.join("\n"),
    );
    // Still alive: it answers a connection.
    const conn = await Deno.connect({ hostname: "::1", port: v6.port });
    conn.close();
    assert.ok(!gw.lines.some((l) => l.includes(`SIGTERM to pid ${pid}`)));
    assert.equal((await stopWith(gw, "SIGTERM")).code, 0);
  } finally {
    v6.child.kill("SIGKILL");
    await v6.child.status;
    await cleanup();
  }
});

/** An Exec answering `lsof` with `out`, recording nothing else. */
function lsofSaying(outs: string[]): Exec {
  let i = 0;
  return {
    run: (cmd) => {
      assert.equal(cmd, "lsof");
      const stdout = outs[Math.min(i++, outs.length - 1)];
      return Promise.resolve({ code: stdout ? 0 : 1, stdout, stderr: "" });
    },
  };
}

Deno.test("freePort() never signals PID 1, ends only conflicting listeners, and names their commands", async () => {
  const lsof = "p1\ncsystemd\ntIPv4\nn127.0.0.1:5000\n" +
    "p4242\ncnginx\ntIPv4\nn*:5000\n" +
    "p4343\ncpython3\ntIPv6\nn[::1]:5000\n";
  const signalled: [number, string][] = [];
  const lines: string[] = [];
  const log = {
    ...silentLogger(),
    warn: (m: string) => lines.push(m),
    info: (m: string) => lines.push(m),
  };
  const ended = await forceFree(5000, {
    host: "127.0.0.1",
    exec: lsofSaying([lsof, ""]),
    log,
    kill: (pid, sig) => signalled.push([pid, sig]),
    graceMs: 500,
  });
  assert.deepEqual(signalled, [[4242, "SIGTERM"]]);
  assert.deepEqual(ended.map((l) => [l.pid, l.command]), [[4242, "nginx"]]);
  assert.ok(lines.some((l) => /will not end pid 1 \(systemd\)/.test(l)), lines.join("\n"));
  assert.ok(lines.some((l) => /SIGTERM to pid 4242 \(nginx\) on \*:5000/.test(l)));
  assert.ok(lines.some((l) => /left pid 4343 \(python3\) on \[::1\]:5000 running/.test(l)));
});

Deno.test("conflicts() matches the same address and wildcards of the family, nothing else", () => {
  const [v4any, v6any, lo4, lo6] = parseLsof(
    "p9\ncx\ntIPv4\nn*:1\ntIPv6\nn*:1\ntIPv4\nn127.0.0.1:1\ntIPv6\nn[::1]:1\n",
  );
  assert.deepEqual([v4any.address, v6any.family, lo4.address, lo6.address], [
    "*",
    "IPv6",
    "127.0.0.1",
    "::1",
  ]);
  assert.ok(conflicts("127.0.0.1", lo4) && conflicts("127.0.0.1", v4any));
  assert.ok(conflicts("127.0.0.1", v6any), "an IPv6 wildcard is usually dual-stack");
  assert.ok(!conflicts("127.0.0.1", lo6));
  assert.ok(!conflicts("::1", v4any) && conflicts("::1", lo6));
  assert.ok(conflicts("0.0.0.0", lo4) && !conflicts("0.0.0.0", lo6));
  assert.ok(conflicts("::", lo4) && conflicts("localhost", lo6));
  assert.ok(!conflicts("10.0.0.5", lo4));
});
