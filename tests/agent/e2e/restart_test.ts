/**
 * The gateway as a real process: a run's idempotency key survives a
 * restart, and a SIGKILL mid-turn leaves the transcript and index readable.
 */

import assert from "node:assert/strict";
import { cliEnv, tempHome, writeConfig } from "../../_helpers/gateway.ts";
import { startGatewayCli, stopWith } from "../../_helpers/cli_e2e.ts";
import { RawWs } from "../../_helpers/raw_ws.ts";
import { startScriptedProvider } from "../../_fakes/scripted_provider.ts";
import { ALL_SCOPES, idem, stubConfig } from "./_agent_gateway.ts";

async function agentCall(url: string, params: Record<string, unknown>) {
  await using ws = await RawWs.connect(url, { scopes: ALL_SCOPES });
  const first = await ws.request("agent", params);
  if (first.payload?.status !== "accepted") return { first, final: first };
  const final = await ws.next((f) => f.type === "res" && f.id === first.id && f !== first, 15_000);
  return { first, final };
}

Deno.test("a finished agent key is answered from the record after a gateway restart", async () => {
  const { home, cleanup } = await tempHome();
  await using provider = Object.assign(await startScriptedProvider(), {
    [Symbol.asyncDispose]: () => provider.close(),
  });
  try {
    await writeConfig(home, stubConfig(provider));
    const key = idem("restart");
    const params = { message: "hello", idempotencyKey: key, sessionKey: "main" };
    {
      await using gw = await startGatewayCli(["gateway", "--port", "0"], cliEnv(home));
      const { first, final } = await agentCall(gw.url, params);
      assert.equal(first.payload.status, "accepted");
      assert.equal(final.payload.status, "ok");
      await stopWith(gw, "SIGTERM");
    }
    await using gw2 = await startGatewayCli(["gateway", "--port", "0"], cliEnv(home));
    const again = await agentCall(gw2.url, params);
    assert.equal(again.first.payload.status, "ok", "no ack: the cached final comes at once");
    assert.deepEqual(again.first.payload.result.payloads, [{
      text: "Hello from stub.",
      mediaUrl: null,
    }]);
    assert.equal(provider.chatRequests().length, 1, "the turn did not run twice");
  } finally {
    await cleanup();
  }
});

Deno.test("SIGKILL mid-turn: transcript and index stay readable, the retry is not run again", async () => {
  const { home, cleanup } = await tempHome();
  const provider = await startScriptedProvider({ slowChunkMs: 200 });
  try {
    await writeConfig(home, stubConfig(provider));
    const key = idem("killed");
    const params = { message: "SLOW story", idempotencyKey: key, sessionKey: "main" };
    {
      await using gw = await startGatewayCli(["gateway", "--port", "0"], cliEnv(home));
      await using ws = await RawWs.connect(gw.url, { scopes: ALL_SCOPES });
      const ack = await ws.request("agent", params);
      assert.equal(ack.payload.status, "accepted");
      await ws.next((f) => f.event === "chat" && f.payload.state === "delta", 10_000);
      gw.child.kill("SIGKILL");
      await gw.status;
    }
    const dir = `${home}/.openclaw/agents/main/sessions`;
    const index = JSON.parse(await Deno.readTextFile(`${dir}/sessions.json`));
    const entry = index["agent:main:main"];
    assert.ok(entry?.sessionId, "the index parses and holds the session");
    const lines = (await Deno.readTextFile(`${dir}/${entry.sessionId}.jsonl`)).split("\n")
      .filter(Boolean);
    const parsed = lines.slice(0, -1).map((l) => JSON.parse(l));
    assert.equal(parsed[0]?.type ?? JSON.parse(lines[0]).type, "session");
    assert.ok(
      lines.some((l) => l.includes(`"${key}:user"`)),
      "the user message was written before the model call",
    );

    await using gw2 = await startGatewayCli(["gateway", "--port", "0"], cliEnv(home));
    const again = await agentCall(gw2.url, params);
    assert.equal(again.first.ok, false);
    assert.equal(again.first.error?.code, "UNAVAILABLE");
    assert.match(again.first.error!.message, /interrupted by a gateway restart/);
    assert.equal(provider.chatRequests().length, 1, "the killed turn is not run again");
    await using ws2 = await RawWs.connect(gw2.url, { scopes: ALL_SCOPES });
    const history = await ws2.request("chat.history", { sessionKey: "main" });
    assert.equal(history.ok, true);
    assert.equal(history.payload.messages[0].role, "user");
  } finally {
    await provider.close();
    await cleanup();
  }
});
