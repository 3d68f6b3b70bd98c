import assert from "node:assert/strict";
import {
  agentIdFromKey,
  canonicalSessionKey,
  describeKey,
  explicitSessionKey,
  SessionKeyError,
  validateSessionId,
} from "../../../src/agent/sessions/keys.ts";

Deno.test("canonicalSessionKey() maps main and bare keys onto the agent", () => {
  assert.equal(canonicalSessionKey("main"), "agent:main:main");
  assert.equal(canonicalSessionKey(" MAIN "), "agent:main:main");
  assert.equal(canonicalSessionKey("main", { agentId: "Work" }), "agent:work:main");
  assert.equal(canonicalSessionKey("home", { mainKey: "home" }), "agent:main:home");
  assert.equal(canonicalSessionKey("agent:Work:telegram:group:42"), "agent:work:telegram:group:42");
  assert.equal(canonicalSessionKey("my-chat"), "agent:main:my-chat");
  assert.equal(canonicalSessionKey("global"), "global");
  assert.equal(canonicalSessionKey("cron:job1"), "cron:job1");
});

Deno.test("canonicalSessionKey() rejects malformed keys naming the value", () => {
  for (const bad of ["", "  ", "agent:", "agent:main", "agent::x", "agent:main:", "a b", "cron:"]) {
    assert.throws(() => canonicalSessionKey(bad), SessionKeyError, JSON.stringify(bad));
  }
  assert.throws(() => canonicalSessionKey("x".repeat(513)), /longer than 512/);
  assert.throws(() => canonicalSessionKey("agent:b@d:main"), /Invalid agent id "b@d"/);
  assert.throws(() => canonicalSessionKey("tab\there"), /spaces and control characters/);
});

Deno.test("explicitSessionKey() and agentIdFromKey() follow the captured forms", () => {
  assert.equal(explicitSessionKey("main", "idem-1"), "agent:main:explicit:idem-1");
  assert.equal(agentIdFromKey("agent:work:main"), "work");
  assert.equal(agentIdFromKey("global"), "main");
  assert.equal(agentIdFromKey("cron:x", "ops"), "ops");
});

Deno.test("describeKey() classifies keys for list rows", () => {
  assert.deepEqual(describeKey("agent:main:main"), {
    agentId: "main",
    kind: "direct",
    classification: "main",
    isMain: true,
  });
  assert.equal(describeKey("agent:main:explicit:k").classification, "explicit");
  assert.equal(describeKey("agent:main:telegram:group:1").kind, "group");
  assert.equal(describeKey("agent:main:openai:u").classification, "http");
  assert.equal(describeKey("global").classification, "global");
});

Deno.test("validateSessionId() keeps ids file-name safe", () => {
  assert.equal(validateSessionId("8aa5cbb2-490c"), "8aa5cbb2-490c");
  for (const bad of ["../x", ".hidden", "a/b", "", "x".repeat(129)]) {
    assert.throws(() => validateSessionId(bad), /Invalid sessionId/);
  }
});
