/**
 * `openclaw agent`, `openclaw sessions`, `openclaw models list` as real
 * processes against an in-process gateway (or none, with `--local`).
 */

import assert from "node:assert/strict";
import {
  cliEnv,
  MAIN,
  RUN_FLAGS,
  runCli,
  tempHome,
  TEST_TOKEN,
  writeConfig,
} from "../_helpers/gateway.ts";
import { startScriptedProvider } from "../_fakes/scripted_provider.ts";
import { startAgentGateway, stubConfig } from "../agent/e2e/_agent_gateway.ts";
import { TIMEOUT_TEXT } from "../../src/agent/run_end.ts";

/** Runs the CLI, noting when each stdout chunk arrived; killed after `limitMs`. */
async function runTimed(args: string[], env: Record<string, string>, limitMs = 30_000) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_FLAGS, MAIN, ...args],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  const chunks: { at: number; text: string }[] = [];
  const dec = new TextDecoder();
  const readOut = (async () => {
    for await (const c of child.stdout) chunks.push({ at: Date.now(), text: dec.decode(c) });
  })();
  const stderr = new Response(child.stderr).text();
  const status = await child.status;
  clearTimeout(killer);
  await readOut;
  return {
    code: status.code,
    endedAt: Date.now(),
    chunks,
    stdout: chunks.map((c) => c.text).join(""),
    stderr: await stderr,
  };
}

const target = (url: string) => ["--url", url, "--token", TEST_TOKEN];

Deno.test("openclaw agent streams the reply as it arrives and exits 0", async () => {
  await using fx = await startAgentGateway({ slowChunkMs: 300, slowChunks: 5 });
  const { home, cleanup } = await tempHome();
  try {
    const res = await runTimed(
      ["agent", "--message", "SLOW", "--session-key", "main", ...target(fx.gw.url)],
      cliEnv(home),
    );
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, "tick0 tick1 tick2 tick3 tick4 \n");
    const first = res.chunks.find((c) => c.text.includes("tick0"))!;
    assert.ok(res.endedAt - first.at > 600, "the first words came well before the end");
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw agent exits 1 with the reason when the run fails or times out", async () => {
  await using fx = await startAgentGateway({ slowChunkMs: 400 });
  const { home, cleanup } = await tempHome();
  try {
    const timedOut = await runCli(
      ["agent", "-m", "SLOW", "--session-key", "main", "--timeout", "1", ...target(fx.gw.url)],
      cliEnv(home),
    );
    assert.equal(timedOut.code, 1);
    assert.ok(timedOut.stderr.includes(TIMEOUT_TEXT), timedOut.stderr);
    const bad = await runCli(
      ["agent", "-m", "hi", "--session-key", "main", "--thinking", "loud", ...target(fx.gw.url)],
      cliEnv(home),
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid --thinking "loud"/);
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw agent without a credential exits 1 naming the provider", async () => {
  await using fx = await startAgentGateway({
    extra: { agents: { defaults: { model: "openai/gpt-6-astra" } } },
  });
  const { home, cleanup } = await tempHome();
  try {
    const res = await runCli(
      ["agent", "-m", "hi", "--session-key", "main", "--json", ...target(fx.gw.url)],
      cliEnv(home),
    );
    assert.equal(res.code, 1);
    assert.match(res.stderr, /No route-compatible authentication source is configured for openai/);
  } finally {
    await cleanup();
  }
});

Deno.test("openclaw agent --local runs the turn without a gateway", async () => {
  const provider = await startScriptedProvider();
  const { home, cleanup } = await tempHome();
  try {
    await writeConfig(home, stubConfig(provider));
    const res = await runCli(["agent", "--local", "-m", "hello", "--agent", "main"], cliEnv(home));
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, "Hello from stub.\n");
    const index = JSON.parse(
      await Deno.readTextFile(`${home}/.openclaw/agents/main/sessions/sessions.json`),
    );
    assert.ok(index["agent:main:main"], "the session was written");
  } finally {
    await provider.close();
    await cleanup();
  }
});

Deno.test("openclaw sessions and models list show what the gateway knows", async () => {
  await using fx = await startAgentGateway();
  const { home, cleanup } = await tempHome();
  try {
    await runCli(
      ["agent", "-m", "hi", "--session-key", "main", ...target(fx.gw.url)],
      cliEnv(home),
    );
    const sessions = await runCli(["sessions", "--json", ...target(fx.gw.url)], cliEnv(home));
    assert.equal(sessions.code, 0, sessions.stderr);
    assert.equal(JSON.parse(sessions.stdout).sessions[0].key, "agent:main:main");
    const text = await runCli(["sessions", ...target(fx.gw.url)], cliEnv(home));
    assert.match(text.stdout, /^agent:main:main /m);
    const models = await runCli(["models", "list", ...target(fx.gw.url)], cliEnv(home));
    assert.equal(models.code, 0, models.stderr);
    assert.match(models.stdout, /^\* stub\/stub-model +Stub Model/m);
    assert.doesNotMatch(models.stdout, /sk-stub/);
  } finally {
    await cleanup();
  }
});
