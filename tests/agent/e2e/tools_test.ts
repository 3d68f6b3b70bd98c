import assert from "node:assert/strict";
import { RawWs, type WireFrame } from "../../_helpers/raw_ws.ts";
import { ALL_SCOPES, idem, startAgentGateway } from "./_agent_gateway.ts";

function sendChat(ws: RawWs, message: string, key = idem("chat")) {
  return ws.request("chat.send", { sessionKey: "main", message, idempotencyKey: key }).then(
    (res) => {
      assert.equal(res.ok, true, JSON.stringify(res));
      return key;
    },
  );
}

function chatEnd(ws: RawWs, runId: string, timeoutMs = 15_000): Promise<WireFrame> {
  return ws.next(
    (f) =>
      f.event === "chat" && f.payload.runId === runId && f.payload.agentId !== undefined &&
      ["final", "aborted", "error"].includes(f.payload.state),
    timeoutMs,
  );
}

Deno.test("a tool turn reads a workspace file; tool events only reach tool-events clients", async () => {
  await using fx = await startAgentGateway();
  const workspace = `${fx.gw.proc.paths.stateDir}/workspace`;
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeTextFile(`${workspace}/notes.txt`, "line one\nline two\n");
  await using plain = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  await using capped = await RawWs.connect(fx.gw.url, {
    scopes: ALL_SCOPES,
    caps: ["tool-events"],
  });
  const key = await sendChat(plain, 'TOOLTEST:read:{"path":"notes.txt"}');
  const end = await chatEnd(plain, key);
  assert.equal(end.payload.state, "final", JSON.stringify(end.payload));
  assert.match(end.payload.message.content[0].text, /^Tool done: line one/);
  const [, second] = fx.provider.chatRequests();
  const toolMsg = second.body.messages.find((m: { role: string }) => m.role === "tool");
  assert.match(toolMsg.content, /line one/);

  const streams = (ws: RawWs) =>
    ws.events("agent").filter((f) => f.payload.runId === key).map((f) => f.payload.stream);
  assert.ok(streams(plain).includes("item"), "item events reach every operator");
  assert.ok(!streams(plain).includes("tool"), "tool events need the cap");
  await chatEnd(capped, key);
  const toolPhases = capped.events("agent").filter((f) =>
    f.payload.runId === key && f.payload.stream === "tool"
  ).map((f) => f.payload.data.phase);
  assert.deepEqual(toolPhases, ["start", "result"]);
});

Deno.test("a read outside the workspace is refused and the model is told why", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = await sendChat(ws, 'TOOLTEST:read:{"path":"/etc/hostname"}');
  const end = await chatEnd(ws, key);
  assert.equal(end.payload.state, "final");
  const [, second] = fx.provider.chatRequests();
  const toolMsg = second.body.messages.find((m: { role: string }) => m.role === "tool");
  assert.match(toolMsg.content, /outside the workspace/i);
  const item = ws.events("agent").find((f) =>
    f.payload.runId === key && f.payload.stream === "item" && f.payload.data.phase === "end"
  );
  assert.equal(item?.payload.data.status, "failed");
});

for (const decision of ["allow-once", "deny"] as const) {
  Deno.test(`exec in ask mode waits for an operator: ${decision}`, async () => {
    await using fx = await startAgentGateway({ extra: { tools: { exec: { mode: "ask" } } } });
    await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
    const marker = `${fx.gw.proc.paths.stateDir}/workspace/ran-${decision}`;
    const key = await sendChat(
      ws,
      `TOOLTEST:exec:{"command":"touch ${marker} && echo approved-run"}`,
    );
    const asked = await ws.nextEvent("exec.approval.requested", 10_000);
    assert.equal(asked.payload.request.runId, key);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await exists(marker), false, "nothing runs before the answer");
    const res = await ws.request("exec.approval.resolve", { id: asked.payload.id, decision });
    assert.equal(res.ok, true, JSON.stringify(res));
    const resolved = await ws.nextEvent("exec.approval.resolved");
    assert.equal(resolved.payload.decision, decision);
    const end = await chatEnd(ws, key);
    assert.equal(end.payload.state, "final");
    assert.equal(await exists(marker), decision === "allow-once");
    const [, second] = fx.provider.chatRequests();
    const toolMsg = second.body.messages.find((m: { role: string }) => m.role === "tool");
    if (decision === "allow-once") assert.match(toolMsg.content, /approved-run/);
    else assert.match(toolMsg.content, /denied/i);
  });
}

Deno.test("exec.approval.resolve with an unknown id is INVALID_REQUEST", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const res = await ws.request("exec.approval.resolve", { id: "nope", decision: "deny" });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.match(res.error!.message, /nope/);
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
