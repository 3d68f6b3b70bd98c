import assert from "node:assert/strict";
import { RawWs } from "../../_helpers/raw_ws.ts";
import { TEST_TOKEN } from "../../_helpers/gateway.ts";
import { startTestGateway } from "../../_helpers/gateway.ts";
import { ALL_SCOPES, idem, startAgentGateway } from "./_agent_gateway.ts";
import { TIMEOUT_TEXT } from "../../../src/agent/run_end.ts";

async function finalOf(ws: RawWs, message: string, extra: Record<string, unknown> = {}) {
  const ack = await ws.request("agent", {
    message,
    idempotencyKey: idem("agent"),
    sessionKey: "main",
    ...extra,
  });
  assert.equal(ack.payload?.status, "accepted", JSON.stringify(ack));
  return await ws.next(
    (f) => f.type === "res" && f.id === ack.id && f.payload?.status !== "accepted",
    20_000,
  );
}

Deno.test("chat.abort stops the stream and keeps the partial text with openclawAbort", async () => {
  await using fx = await startAgentGateway({ slowChunkMs: 100 });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("abort");
  await ws.request("chat.send", {
    sessionKey: "main",
    message: "SLOW please",
    idempotencyKey: key,
  });
  await ws.next((f) =>
    f.event === "chat" && f.payload.runId === key && f.payload.state === "delta"
  );
  const res = await ws.request("chat.abort", { sessionKey: "main" });
  assert.deepEqual(res.payload, { ok: true, aborted: true, runIds: [key] });
  const end = await ws.next((f) => f.event === "chat" && f.payload.state === "aborted");
  assert.equal(end.payload.stopReason, "rpc");
  const partial = end.payload.message.content[0].text as string;
  assert.match(partial, /^tick/);
  const lifecycle = ws.events("agent").filter((f) =>
    f.payload.runId === key && f.payload.stream === "lifecycle"
  ).map((f) => f.payload.data);
  assert.ok(lifecycle.some((d) => d.phase === "end" && d.status === "cancelled" && d.aborted));
  await fx.provider.waitFor(() => fx.provider.chatRequests()[0].clientGone, 5000);
  // The partial reply is in the transcript, marked as aborted by the operator.
  const history = await ws.request("chat.history", { sessionKey: "main" });
  const last = history.payload.messages.at(-1);
  assert.equal(last.role, "assistant");
  assert.deepEqual(last.openclawAbort, { aborted: true, origin: "rpc", runId: key });
  assert.equal(last.content[0].text, partial);
});

Deno.test("chat.abort with a runId of another session is INVALID_REQUEST", async () => {
  await using fx = await startAgentGateway({ slowChunkMs: 100 });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("other");
  await ws.request("chat.send", { sessionKey: "main", message: "SLOW", idempotencyKey: key });
  const res = await ws.request("chat.abort", { sessionKey: "elsewhere", runId: key });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.match(res.error!.message, /runId does not match sessionKey/);
  await ws.request("chat.abort", { sessionKey: "main" });
});

Deno.test("a provider 500 is retried and the turn succeeds", async () => {
  await using fx = await startAgentGateway();
  fx.provider.script([{ status: 500, message: "stub forced failure" }, {
    text: ["Second", " try"],
  }]);
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const final = await finalOf(ws, "hello");
  assert.equal(final.ok, true, JSON.stringify(final));
  assert.deepEqual(final.payload.result.payloads, [{ text: "Second try", mediaUrl: null }]);
  assert.equal(fx.provider.chatRequests().length, 2);
});

Deno.test("a provider that is down ends the run with an error naming provider and cause", async () => {
  // A port that was free a moment ago: connection refused.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  await using gw = await startTestGateway({
    config: {
      gateway: { mode: "local", auth: { token: TEST_TOKEN } },
      models: {
        providers: {
          down: {
            baseUrl: `http://127.0.0.1:${port}/v1`,
            apiKey: "sk-x",
            api: "openai-completions",
            models: [{ id: "m", name: "M" }],
          },
        },
      },
      agents: { defaults: { model: "down/m" } },
    },
  });
  await using ws = await RawWs.connect(gw.url, { scopes: ALL_SCOPES });
  const final = await finalOf(ws, "hello");
  assert.equal(final.ok, false);
  assert.equal(final.error?.code, "UNAVAILABLE");
  assert.match(final.error!.message, /down/);
  assert.doesNotMatch(final.error!.message, /sk-x/);
  const chatError = ws.events("chat").find((f) => f.payload.state === "error" && f.payload.agentId);
  assert.ok(chatError, "chat error event");
  // The failure note is in the transcript.
  const history = await ws.request("chat.history", { sessionKey: "main" });
  assert.ok(
    history.payload.messages.some((m: { customType?: string }) =>
      m.customType === "run-failed-before-reply"
    ),
  );
});

Deno.test("a run past its timeout is aborted at the provider and ends status timeout", async () => {
  await using fx = await startAgentGateway({ slowChunkMs: 300 });
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const started = Date.now();
  const final = await finalOf(ws, "SLOW", { timeout: 1 });
  assert.ok(Date.now() - started < 5000);
  assert.equal(final.ok, true);
  assert.equal(final.payload.status, "timeout");
  assert.equal(final.payload.result.payloads[0].text, TIMEOUT_TEXT);
  assert.equal(final.payload.result.payloads[0].isError, true);
  await fx.provider.waitFor(() => fx.provider.chatRequests()[0].clientGone, 5000);
  const wait = await ws.request("agent.wait", { runId: final.payload.runId, timeoutMs: 100 });
  assert.equal(wait.payload.status, "timeout");
  assert.equal(wait.payload.error, TIMEOUT_TEXT);
});

Deno.test("agent.wait on an unknown run answers status timeout after timeoutMs", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const res = await ws.request("agent.wait", { runId: "no-such-run", timeoutMs: 50 });
  assert.deepEqual(res.payload, { runId: "no-such-run", status: "timeout" });
});

Deno.test("chat.abort stops a running tool too", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("toolabort");
  const marker = `${fx.gw.proc.paths.stateDir}/workspace/after-sleep`;
  await ws.request("chat.send", {
    sessionKey: "main",
    message: `TOOLTEST:exec:{"command":"sleep 20 && touch ${marker}"}`,
    idempotencyKey: key,
  });
  await ws.next(
    (f) =>
      f.event === "agent" && f.payload.runId === key && f.payload.stream === "item" &&
      f.payload.data.phase === "start",
    10_000,
  );
  const started = Date.now();
  const res = await ws.request("chat.abort", { sessionKey: "main", runId: key });
  assert.deepEqual(res.payload.runIds, [key]);
  const end = await ws.next((f) => f.event === "chat" && f.payload.state === "aborted", 10_000);
  assert.equal(end.payload.runId, key);
  assert.ok(Date.now() - started < 5000, "the tool did not run to its end");
  assert.equal(fx.provider.chatRequests().length, 1, "no model call after the abort");
  await new Promise((r) => setTimeout(r, 200));
  const ran = await Deno.stat(marker).then(() => true, () => false);
  assert.equal(ran, false);
});

Deno.test("agent.wait waits for a run that is admitted after the call", async () => {
  await using fx = await startAgentGateway();
  await using ws = await RawWs.connect(fx.gw.url, { scopes: ALL_SCOPES });
  const key = idem("later");
  const waiting = ws.request("agent.wait", { runId: key, timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 100));
  await ws.request("chat.send", { sessionKey: "main", message: "hi", idempotencyKey: key });
  const res = await waiting;
  assert.equal(res.payload.status, "ok");
  assert.deepEqual(res.payload.terminalReply, { disposition: "visible", text: "Hello from stub." });
});
