/**
 * Every answer and event of the agent methods matches its registry schema
 * (closed objects: a stray field is a failure here, not a surprise for a
 * generated client).
 */

import assert from "node:assert/strict";
import { METHODS } from "../../../protocol/methods.ts";
import { EVENTS } from "../../../protocol/events.ts";
import { check } from "../../../protocol/validate.ts";
import { RawWs, type WireFrame } from "../../_helpers/raw_ws.ts";
import { ALL_SCOPES, idem, startAgentGateway } from "./_agent_gateway.ts";

Deno.test("agent, chat, sessions and approval frames match their schemas", async () => {
  await using fx = await startAgentGateway({ extra: { tools: { exec: { mode: "ask" } } } });
  await using ws = await RawWs.connect(fx.gw.url, {
    scopes: ALL_SCOPES,
    caps: ["tool-events"],
  });
  const calls: [string, WireFrame][] = [];
  const call = async (method: string, params: unknown) => {
    const res = await ws.request(method, params);
    calls.push([method, res]);
    return res;
  };
  const ack = await call("agent", { message: "hello", idempotencyKey: idem(), sessionKey: "main" });
  calls.push([
    "agent",
    await ws.next((f) => f.type === "res" && f.id === ack.id && f !== ack, 10_000),
  ]);
  const key = idem();
  await call("chat.send", {
    sessionKey: "main",
    message: 'TOOLTEST:exec:{"command":"echo hi"}',
    idempotencyKey: key,
  });
  const asked = await ws.nextEvent("exec.approval.requested", 10_000);
  await call("exec.approval.resolve", { id: asked.payload.id, decision: "allow-once" });
  await ws.next((f) =>
    f.event === "chat" && f.payload.runId === key && f.payload.state === "final"
  );
  await call("agent.wait", { runId: key, timeoutMs: 1000 });
  await call("chat.history", { sessionKey: "main" });
  await call("chat.inject", { sessionKey: "main", message: "note" });
  await call("chat.abort", { sessionKey: "main" });
  await call("sessions.list", { includeLastMessage: true });
  await call("sessions.preview", { keys: ["main"] });
  await call("sessions.patch", { key: "main", label: "x", thinkingLevel: "off" });
  await call("models.list", {});
  await call("agents.list", {});
  await call("sessions.reset", { key: "main" });
  await call("sessions.delete", { key: "agent:main:explicit:gone" });
  await call("health", {});
  await call("status", {});

  const problems: string[] = [];
  for (const [method, res] of calls) {
    assert.equal(res.ok, true, `${method}: ${JSON.stringify(res.error)}`);
    const verdict = check(METHODS[method as keyof typeof METHODS].result, res.payload);
    if (!verdict.ok) problems.push(`${method} result: ${verdict.message}`);
  }
  const seen = new Set<string>();
  for (const f of ws.frames) {
    if (f.type !== "event" || !(f.event! in EVENTS)) continue;
    seen.add(f.event!);
    const verdict = check(EVENTS[f.event as keyof typeof EVENTS].payload, f.payload);
    if (!verdict.ok) problems.push(`${f.event} event: ${verdict.message}`);
  }
  assert.deepEqual(problems, []);
  for (const e of ["agent", "chat", "sessions.changed", "exec.approval.requested"]) {
    assert.ok(seen.has(e), `saw ${e}`);
  }
});
