import assert from "node:assert/strict";
import { RawWs, type WireFrame } from "../../_helpers/raw_ws.ts";
import { ALL_SCOPES, idem, startAgentGateway } from "./_agent_gateway.ts";

function chatEnd(ws: RawWs, runId: string, timeoutMs = 15_000): Promise<WireFrame> {
  return ws.next(
    (f) =>
      f.event === "chat" && f.payload.runId === runId && f.payload.agentId !== undefined &&
      ["final", "aborted", "error"].includes(f.payload.state),
    timeoutMs,
  );
}

async function send(ws: RawWs, message: string, sessionKey = "main"): Promise<string> {
  const key = idem("chat");
  const res = await ws.request("chat.send", { sessionKey, message, idempotencyKey: key });
  assert.equal(res.ok, true, JSON.stringify(res));
  return key;
}

Deno.test("two chat.send on one session run one after the other", async () => {
  await using fx = await startAgentGateway({ chunkDelayMs: 60 });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const a = await send(ws, "first");
  const b = await send(ws, "second");
  const endA = await chatEnd(ws, a);
  const endB = await chatEnd(ws, b);
  assert.equal(endA.payload.state, "final");
  assert.equal(endB.payload.state, "final");
  const [reqA, reqB] = fx.provider.chatRequests();
  const startB = ws.frames.findIndex((f) =>
    f.event === "agent" && f.payload.runId === b && f.payload.stream === "lifecycle" &&
    f.payload.data.phase === "start"
  );
  assert.ok(ws.frames.indexOf(endA) < startB, "b starts after a ended");
  // The second request carries the first turn as history.
  assert.match(JSON.stringify(reqA.body.messages), /first/);
  const bodyB = JSON.stringify(reqB.body.messages);
  assert.match(bodyB, /first/);
  assert.match(bodyB, /Hello from stub/);
  assert.match(bodyB, /second/);
});

Deno.test("chat.send duplicate while running answers in_flight, after it ends the status", async () => {
  await using fx = await startAgentGateway({ chunkDelayMs: 100 });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("dup");
  const params = { sessionKey: "main", message: "hi", idempotencyKey: key };
  await ws.request("chat.send", params);
  const dup = await ws.request("chat.send", params);
  assert.deepEqual(dup.payload, { runId: key, status: "in_flight" });
  await chatEnd(ws, key);
  const after = await ws.request("chat.send", params);
  assert.deepEqual(after.payload, { runId: key, status: "ok" });
  assert.equal(fx.provider.chatRequests().length, 1);
});

Deno.test("/new and /status answer without a model call", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  await chatEnd(ws, await send(ws, "hello"));
  const before = await ws.request("sessions.list", {});
  const sessionId = before.payload.sessions[0].sessionId;
  const status = await chatEnd(ws, await send(ws, "/status"));
  assert.equal(status.payload.state, "final");
  assert.match(status.payload.message.content[0].text, /stub\/stub-model/);
  assert.equal(status.payload.message.model, "gateway-injected");
  const fresh = await chatEnd(ws, await send(ws, "/new"));
  assert.equal(fresh.payload.message.content[0].text, "✅ New session started.");
  assert.equal(fx.provider.chatRequests().length, 1, "commands never reach the model");
  const after = await ws.request("sessions.list", {});
  assert.equal(after.payload.sessions[0].sessionId, sessionId, "/new keeps the sessionId");
  // The next turn starts from a clean context.
  await chatEnd(ws, await send(ws, "again"));
  const last = fx.provider.chatRequests().at(-1)!;
  assert.doesNotMatch(JSON.stringify(last.body.messages), /hello/);
});

Deno.test("an oversized AGENTS.md reaches the provider truncated with the spec's markers", async () => {
  await using fx = await startAgentGateway();
  const workspace = `${fx.gw.proc.paths.stateDir}/workspace`;
  await Deno.mkdir(workspace, { recursive: true });
  const big = "A".repeat(15_000) + "MIDDLE-MARKER" + "Z".repeat(21_000);
  await Deno.writeTextFile(`${workspace}/AGENTS.md`, big);
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  await chatEnd(ws, await send(ws, "hello"));
  const system = fx.provider.chatRequests()[0].body.messages[0].content as string;
  assert.match(system, /\[\.\.\.truncated, read AGENTS\.md for full content\.\.\.\]/);
  assert.doesNotMatch(system, /MIDDLE-MARKER/);
  assert.ok(system.length < big.length + 20_000);
});

Deno.test("sessions.list, patch, preview and reset work on the main session, which delete refuses", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  await chatEnd(ws, await send(ws, "hello"));
  const list = await ws.request("sessions.list", {});
  assert.equal(list.ok, true, JSON.stringify(list));
  assert.equal(list.payload.count, 1);
  assert.equal(list.payload.sessions[0].key, "agent:main:main");
  assert.equal(list.payload.defaults.model, "stub-model");
  const patched = await ws.request("sessions.patch", { key: "main", label: "Mine" });
  assert.equal(patched.payload.entry.label, "Mine");
  const changed = await ws.nextEvent("sessions.changed");
  assert.equal(changed.payload.sessionKey, "agent:main:main");
  const preview = await ws.request("sessions.preview", { keys: ["main", "nope"] });
  assert.equal(preview.payload.previews[0].status, "ok");
  assert.deepEqual(preview.payload.previews[0].items.at(-1), {
    role: "assistant",
    text: "Hello from stub.",
  });
  assert.equal(preview.payload.previews[1].status, "missing");
  const reset = await ws.request("sessions.reset", { key: "main" });
  assert.equal(reset.payload.entry.totalTokens, 0);
  const bad = await ws.request("sessions.patch", { key: "agent:main:ghost", label: "x" });
  assert.equal(bad.error?.code, "INVALID_REQUEST");
  const refused = await ws.request("sessions.delete", { key: "main" });
  assert.equal(refused.error?.code, "INVALID_REQUEST");
  assert.match(
    refused.error?.message ?? "",
    /^Cannot delete the main session "agent:main:main" \(use sessions\.reset/,
  );
  assert.equal((await ws.request("sessions.list", {})).payload.count, 1);
});

Deno.test("sessions.delete removes a session other than main from the list", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  await chatEnd(ws, await send(ws, "hello", "side"));
  const key = "agent:main:side";
  const listed = await ws.request("sessions.list", {});
  assert.deepEqual(listed.payload.sessions.map((s: { key: string }) => s.key), [key]);
  const del = await ws.request("sessions.delete", { key: "side" });
  assert.deepEqual(del.payload, { ok: true, key, deleted: true });
  assert.equal((await ws.request("sessions.list", {})).payload.count, 0);
});

Deno.test("models.list, agents.list and health name the default model and its credential", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const models = await ws.request("models.list", {});
  assert.deepEqual(models.payload.models, [{
    id: "stub-model",
    name: "Stub Model",
    provider: "stub",
    contextWindow: 128000,
    reasoning: false,
    input: ["text"],
    isDefault: true,
    credential: { kind: "config", name: "models.providers.stub.apiKey" },
  }]);
  assert.doesNotMatch(JSON.stringify(models.payload), /sk-stub/);
  const agents = await ws.request("agents.list", {});
  assert.equal(agents.payload.defaultId, "main");
  const health = await ws.request("health", {});
  assert.deepEqual(health.payload.model, { model: "stub/stub-model", credential: "config" });
  const status = await ws.request("status", {});
  assert.equal(status.payload.model.model, "stub/stub-model");
});

Deno.test("a reader may list sessions but not send, patch or resolve approvals", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ["operator.read"] });
  assert.equal((await ws.request("sessions.list", {})).ok, true);
  const send = await ws.request("chat.send", {
    sessionKey: "main",
    message: "x",
    idempotencyKey: "k",
  });
  assert.equal(send.error?.message, "missing scope: operator.write");
  const patch = await ws.request("sessions.patch", { key: "main", label: "x" });
  assert.equal(patch.error?.message, "missing scope: operator.admin");
  const approve = await ws.request("exec.approval.resolve", { id: "x", decision: "deny" });
  assert.equal(approve.error?.message, "missing scope: operator.approvals");
});

Deno.test("sessions.compact summarises older turns with one model call", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  for (const text of ["first question", "second question", "third question"]) {
    await chatEnd(ws, await send(ws, text));
  }
  fx.provider.script([{ text: "## Decisions\n- keep going" }]);
  const res = await ws.request("sessions.compact", { key: "main" });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.payload.compacted, true);
  assert.match(res.payload.result.summary, /keep going/);
  const call = fx.provider.chatRequests().at(-1)!;
  assert.equal(call.body.tools, undefined, "no tools in the summarisation call");
  assert.match(JSON.stringify(call.body.messages), /first question/);
  await chatEnd(ws, await send(ws, "after compaction"));
  const next = JSON.stringify(fx.provider.chatRequests().at(-1)!.body.messages);
  assert.match(next, /keep going/);
  assert.doesNotMatch(next, /first question/);
});

Deno.test("chat.abort of a queued turn ends it with chat aborted; it never reaches the model", async () => {
  await using fx = await startAgentGateway({ slowChunkMs: 100 });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const running = await send(ws, "SLOW first");
  const queued = await send(ws, "second");
  const res = await ws.request("chat.abort", { sessionKey: "main", runId: queued });
  assert.deepEqual(res.payload.runIds, [queued]);
  const end = await chatEnd(ws, queued);
  assert.equal(end.payload.state, "aborted");
  await ws.request("chat.abort", { sessionKey: "main", runId: running });
  await chatEnd(ws, running);
  for (const req of fx.provider.chatRequests()) {
    assert.doesNotMatch(JSON.stringify(req.body.messages), /second/);
  }
});

Deno.test("chat.inject appends an assistant note without a model call", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const res = await ws.request("chat.inject", {
    sessionKey: "main",
    message: "Reminder: stand-up at 10",
    label: "note",
  });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(typeof res.payload.messageId, "string");
  const history = await ws.request("chat.history", { sessionKey: "main" });
  const last = history.payload.messages.at(-1);
  assert.equal(last.role, "assistant");
  assert.equal(last.content[0].text, "Reminder: stand-up at 10");
  assert.equal(last.__openclaw.id, res.payload.messageId);
  assert.equal(fx.provider.chatRequests().length, 0);
});
