import assert from "node:assert/strict";
import { RawWs } from "../../_helpers/raw_ws.ts";
import { ALL_SCOPES, idem, startAgentGateway } from "./_agent_gateway.ts";

Deno.test("agent answers twice with one id: accepted, then ok with the reply and events", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("agent");
  const ack = await ws.request("agent", { message: "hello", idempotencyKey: key });
  assert.equal(ack.ok, true);
  assert.equal(ack.payload.status, "accepted");
  assert.equal(ack.payload.runId, key);
  assert.equal(ack.payload.agentId, "main");
  assert.equal(typeof ack.payload.acceptedAt, "number");
  const final = await ws.next((f) => f.type === "res" && f.id === ack.id, 10_000);
  assert.equal(final.ok, true, JSON.stringify(final));
  assert.equal(final.payload.status, "ok");
  assert.equal(final.payload.summary, "completed");
  assert.deepEqual(final.payload.result.payloads, [{ text: "Hello from stub.", mediaUrl: null }]);
  assert.equal(final.payload.result.meta.agentMeta.provider, "stub");
  assert.equal(final.payload.result.meta.agentMeta.sessionId, key);

  const agentEvents = ws.events("agent").map((f) => f.payload).filter((p) => p.runId === key);
  const phases = agentEvents.filter((p) => p.stream === "lifecycle").map((p) => p.data.phase);
  assert.deepEqual(phases.filter((p) => p !== "model"), ["start", "end"]);
  assert.ok(agentEvents.some((p) => p.stream === "assistant"));
  const seqs = agentEvents.map((p) => p.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "agent seq grows");
  assert.equal(agentEvents[0].sessionKey, `agent:main:explicit:${key}`);
  const chat = ws.events("chat").map((f) => f.payload).filter((p) => p.runId === key);
  const last = chat.at(-1);
  assert.equal(last.state, "final");
  assert.equal(last.message.content[0].text, "Hello from stub.");
  // chat.seq mirrors the agent event it belongs to.
  const deltas = chat.filter((p) => p.state === "delta");
  assert.ok(deltas.length >= 1);
  for (const d of deltas) {
    assert.ok(agentEvents.some((a) => a.stream === "assistant" && a.seq === d.seq));
  }
  // The provider got the system prompt and the user text.
  const [req] = fx.provider.chatRequests();
  assert.equal(req.headers.authorization, "Bearer sk-stub-123");
  assert.equal(req.body.messages[0].role, "system");
  assert.match(JSON.stringify(req.body.messages), /hello/);
});

Deno.test("agent repeat after completion returns the cached final at once, no new run", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("dup");
  const ack = await ws.request("agent", { message: "hello", idempotencyKey: key });
  await ws.next(
    (f) => f.type === "res" && f.id === ack.id && f.payload?.status !== "accepted",
    10_000,
  );
  const again = await ws.request("agent", { message: "hello", idempotencyKey: key });
  assert.equal(again.ok, true);
  assert.equal(again.payload.status, "ok");
  assert.deepEqual(again.payload.result.payloads, [{ text: "Hello from stub.", mediaUrl: null }]);
  assert.equal(fx.provider.chatRequests().length, 1, "no second model call");
  // And no second answer for the repeat.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(ws.frames.filter((f) => f.type === "res" && f.id === again.id).length, 1);
});

Deno.test("chat.send answers started, streams chat deltas and ends with chat final", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("chat");
  const res = await ws.request("chat.send", {
    sessionKey: "main",
    message: "hello chat",
    idempotencyKey: key,
  });
  assert.deepEqual(res.payload, { runId: key, status: "started" });
  const final = await ws.next(
    (f) => f.event === "chat" && f.payload.runId === key && f.payload.state === "final",
    10_000,
  );
  assert.equal(final.payload.sessionKey, "agent:main:main");
  assert.equal(final.payload.message.content[0].text, "Hello from stub.");
  const history = await ws.request("chat.history", { sessionKey: "main" });
  assert.equal(history.ok, true);
  const roles = history.payload.messages.map((m: { role: string }) => m.role);
  assert.deepEqual(roles, ["user", "assistant"]);
  assert.equal(history.payload.messages[0].idempotencyKey, `${key}:user`);
});

Deno.test("no credential: agent final is UNAVAILABLE with the spec's message", async () => {
  await using fx = await startAgentGateway({
    extra: { agents: { defaults: { model: { primary: "openai/gpt-6-astra" } } } },
  });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const ack = await ws.request("agent", { message: "hi", idempotencyKey: idem("nocred") });
  assert.equal(ack.payload.status, "accepted");
  const final = await ws.next((f) => f.type === "res" && f.id === ack.id && f.ok === false, 10_000);
  assert.equal(final.error?.code, "UNAVAILABLE");
  assert.equal(
    final.error?.message,
    "No route-compatible authentication source is configured for openai.",
  );
  assert.equal(final.payload.status, "error");
  assert.equal(fx.provider.chatRequests().length, 0);
});
