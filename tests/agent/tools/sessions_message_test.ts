import assert from "node:assert/strict";
import {
  createSessionsHistoryTool,
  createSessionsListTool,
  createSessionStatusTool,
} from "../../../src/agent/tools/sessions.ts";
import { createMessageTool, type MessageSendRequest } from "../../../src/agent/tools/message.ts";
import type { AgentMessage, SessionRow, SessionsView } from "../../../src/agent/types.ts";
import { testContext, text } from "./_ctx.ts";

function row(key: string, extra: Partial<SessionRow> = {}): SessionRow {
  const now = Date.now();
  return {
    key,
    agentId: "main",
    kind: "direct",
    isMain: key === "agent:main:main",
    sessionId: `sid-${key}`,
    createdAt: now,
    updatedAt: now,
    sessionStartedAt: now,
    ...extra,
  };
}

function view(rows: SessionRow[], history: AgentMessage[]): SessionsView & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    list: (opts) => {
      calls.push(["list", opts]);
      return Promise.resolve(rows);
    },
    history: (key, opts) => {
      calls.push(["history", key, opts]);
      return Promise.resolve(history);
    },
    status: (key) => Promise.resolve(rows.find((r) => r.key === key)),
  };
}

Deno.test("sessions_list() lists rows through ctx.sessions with filters and a limit", async () => {
  const old = row("agent:main:old", { updatedAt: Date.now() - 3_600_000, kind: "group" });
  const sessions = view([row("agent:main:main", { lastMessagePreview: "hi there" }), old], []);
  const tool = createSessionsListTool();
  const r = await tool.execute({ includeLastMessage: true }, testContext("/", { sessions }));
  const out = JSON.parse(text(r));
  assert.equal(out.count, 2);
  assert.equal(out.sessions[0].key, "agent:main:main");
  assert.equal(out.sessions[0].lastMessagePreview, "hi there");
  const recent = JSON.parse(
    text(await tool.execute({ activeMinutes: 5 }, testContext("/", { sessions }))),
  );
  assert.deepEqual(recent.sessions.map((s: SessionRow) => s.key), ["agent:main:main"]);
  const groups = JSON.parse(
    text(await tool.execute({ kinds: ["group"], limit: 1 }, testContext("/", { sessions }))),
  );
  assert.deepEqual(groups.sessions.map((s: SessionRow) => s.key), ["agent:main:old"]);
});

Deno.test("sessions_history() reads a transcript tail, trims long parts and names unknown keys", async () => {
  const history: AgentMessage[] = [
    { role: "user", content: "hello", timestamp: 1 },
    { role: "assistant", content: [{ type: "text", text: "x".repeat(10_000) }], timestamp: 2 },
  ];
  const sessions = view([row("agent:main:main")], history);
  const tool = createSessionsHistoryTool();
  const r = await tool.execute(
    { sessionKey: "main", limit: 10, includeTools: true },
    testContext("/", { sessions }),
  );
  const out = JSON.parse(text(r));
  assert.equal(out.sessionKey, "agent:main:main");
  assert.equal(out.messages.length, 2);
  assert.equal(out.contentTruncated, true);
  assert.ok(out.messages[1].content[0].text.length < 4100);
  assert.deepEqual(sessions.calls.at(-1), ["history", "agent:main:main", {
    limit: 10,
    includeTools: true,
  }]);
  const miss = await tool.execute(
    { sessionKey: "agent:main:nope" },
    testContext("/", { sessions }),
  );
  assert.equal(miss.isError, true);
  assert.match(text(miss), /Unknown session "agent:main:nope": use sessions_list/);
});

Deno.test("session_status() describes the current session", async () => {
  const sessions = view([
    row("agent:main:main", {
      inputTokens: 12,
      outputTokens: 3,
      modelOverride: "m1",
      providerOverride: "p",
    }),
  ], []);
  const r = await createSessionStatusTool().execute({}, testContext("/", { sessions }));
  assert.equal(r.isError, undefined);
  assert.equal(r.details!.sessionKey, "agent:main:main");
  assert.match(text(r), /Model: p\/m1/);
  assert.match(text(r), /Tokens: 12 in \/ 3 out/);
  const model = await createSessionStatusTool().execute(
    { model: "x/y" },
    testContext("/", { sessions }),
  );
  assert.equal(model.isError, true);
});

Deno.test("message() without a channel answers with a clear error; with one it sends", async () => {
  const none = await createMessageTool().execute(
    { action: "send", target: "123", message: "hi" },
    testContext("/"),
  );
  assert.equal(none.isError, true);
  assert.match(text(none), /Sending messages is not available: no channel is connected/);
  const sent: MessageSendRequest[] = [];
  const tool = createMessageTool((req) => {
    sent.push(req);
    return Promise.resolve({ ok: true, channel: "telegram", messageIds: ["9"] });
  });
  const r = await tool.execute({
    action: "send",
    channel: "telegram",
    target: "123",
    message: "hi",
  }, testContext("/"));
  assert.equal(text(r), "Message sent via telegram.");
  assert.equal(sent[0].target, "123");
  assert.equal(sent[0].sessionKey, "agent:main:main");
  const bad = await tool.execute({ action: "send", target: "123" }, testContext("/"));
  assert.match(text(bad), /Nothing to send/);
  const noTarget = await tool.execute({ action: "send", message: "x" }, testContext("/"));
  assert.match(text(noTarget), /No recipient/);
});
