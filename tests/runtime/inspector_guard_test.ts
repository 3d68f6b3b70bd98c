import assert from "node:assert/strict";
import {
  guardSigusr1Inspector,
  opensInspectorOnSigusr1,
} from "../../src/runtime/inspector_guard.ts";
import { createLogSink } from "../../src/log/logger.ts";
import { cliEnv, spawnCli, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

function capture() {
  const lines: string[] = [];
  const log = createLogSink({
    fileLevel: "silent",
    consoleLevel: "info",
    console: { write: (l) => lines.push(l) },
  }).logger();
  return { lines, log };
}

function freeAddress(): { hostname: string; port: number } {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return { hostname: "127.0.0.1", port };
}

Deno.test("opensInspectorOnSigusr1() is true from Deno 2.9.2 on", () => {
  for (const v of ["2.9.2", "2.9.6", "2.10.0", "3.0.0", "2.9.2-rc.1", "garbage"]) {
    assert.equal(opensInspectorOnSigusr1(v), true, v);
  }
  for (const v of ["2.9.1", "2.9.0", "2.8.9", "1.46.3"]) {
    assert.equal(opensInspectorOnSigusr1(v), false, v);
  }
});

Deno.test("guardSigusr1Inspector() holds the inspector address on affected versions", async () => {
  const { log, lines } = capture();
  const address = freeAddress();
  const guard = guardSigusr1Inspector(log, { version: "2.9.6", address });
  try {
    assert.equal(guard.holding, true);
    assert.throws(() => Deno.listen(address), Deno.errors.AddrInUse);
    // A client is hung up on at once: nothing speaks on that port.
    const conn = await Deno.connect(address);
    const n = await conn.read(new Uint8Array(16));
    assert.equal(n, null);
    conn.close();
    assert.ok(lines.some((l) => l.includes("SIGUSR1")), lines.join("\n"));
  } finally {
    guard.close();
  }
  // Released (the pending accept lets go of the socket on the next turn).
  await new Promise((r) => setTimeout(r, 20));
  Deno.listen(address).close();
});

Deno.test("guardSigusr1Inspector() does nothing on Deno 2.9.1 and warns when the address is taken", () => {
  const { log, lines } = capture();
  const address = freeAddress();
  assert.equal(guardSigusr1Inspector(log, { version: "2.9.1", address }).holding, false);
  const other = Deno.listen(address);
  try {
    const guard = guardSigusr1Inspector(log, { version: "2.9.6", address });
    assert.equal(guard.holding, false);
    assert.ok(lines.some((l) => l.includes("is taken")), lines.join("\n"));
  } finally {
    other.close();
  }
});

async function inspectorAnswers(): Promise<boolean> {
  try {
    const res = await fetch("http://127.0.0.1:9229/json/version", {
      signal: AbortSignal.timeout(1000),
    });
    const text = await res.text();
    return /V8-Version|Browser/.test(text);
  } catch {
    return false;
  }
}

Deno.test("openclaw gateway: SIGUSR1 never opens a debugger", async () => {
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, { gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
    await using gw = spawnCli(["gateway", "--port", "0"], cliEnv(home));
    await gw.waitFor(/gateway ready/);
    // Deno installs its own SIGUSR1 handler 500 ms after start.
    await new Promise((r) => setTimeout(r, 700));
    gw.child.kill("SIGUSR1");
    await gw.waitFor(/SIGUSR1 ignored/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await inspectorAnswers(), false, "a V8 inspector answers on 127.0.0.1:9229");
    assert.ok(
      !gw.lines.some((l) => l.includes("Debugger listening")),
      gw.lines.join("\n"),
    );
  } finally {
    await cleanup();
  }
});
