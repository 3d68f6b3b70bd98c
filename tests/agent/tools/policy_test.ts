import assert from "node:assert/strict";
import {
  compileToolPolicy,
  createTools,
  createToolSet,
  HTTP_INVOKE_DEFAULT_DENY,
  toolPolicyWarnings,
  unknownToolEntries,
} from "../../../src/agent/tools/mod.ts";

const names = (config: Parameters<typeof createTools>[0]) => createTools(config).map((t) => t.name);

const ALL = [
  "read",
  "write",
  "edit",
  "ls",
  "exec",
  "process",
  "web_fetch",
  "sessions_list",
  "sessions_history",
  "session_status",
  "message",
];

Deno.test("createTools() offers every built-in tool when no policy is set", () => {
  assert.deepEqual(names(undefined), ALL);
  const tools = createTools(undefined);
  for (const t of tools) {
    assert.equal((t.parameters as { type: string }).type, "object", t.name);
    assert.ok(t.description.length > 10, t.name);
  }
});

Deno.test("createTools() applies profiles", () => {
  assert.deepEqual(names({ profile: "minimal" }), ["session_status"]);
  assert.deepEqual(names({ profile: "coding" }), ALL.filter((n) => n !== "message"));
  assert.deepEqual(names({ profile: "messaging" }), [
    "sessions_list",
    "sessions_history",
    "session_status",
    "message",
  ]);
  assert.deepEqual(names({ profile: "full" }), ALL);
  assert.deepEqual(names({ profile: "minimal", alsoAllow: ["read"] }), ["read", "session_status"]);
});

Deno.test("createTools() applies allow and deny with groups, wildcards and the bash alias; deny wins", () => {
  assert.deepEqual(names({ allow: ["group:fs"] }), ["read", "write", "edit", "ls"]);
  assert.deepEqual(names({ allow: ["sessions_*"] }), ["sessions_list", "sessions_history"]);
  assert.deepEqual(
    names({ deny: ["group:runtime", "group:web", "group:sessions", "group:messaging"] }),
    [
      "read",
      "write",
      "edit",
      "ls",
    ],
  );
  assert.ok(!names({ deny: ["bash"] }).includes("exec"));
  assert.deepEqual(names({ allow: ["BASH"] }), ["exec"]);
  assert.deepEqual(names({ allow: ["group:fs"], deny: ["write", "Edit"] }), ["read", "ls"]);
  assert.deepEqual(names({ deny: ["*"] }), []);
  assert.deepEqual(names({ profile: "coding", deny: ["exec"] }).includes("exec"), false);
});

Deno.test("compileToolPolicy() answers for any name, and the HTTP deny list covers host-touching tools", () => {
  const p = compileToolPolicy({ profile: "coding", deny: ["web_*"] });
  assert.equal(p.allows("bash"), true);
  assert.equal(p.allows("web_fetch"), false);
  assert.equal(p.allows("message"), false);
  assert.deepEqual([...HTTP_INVOKE_DEFAULT_DENY].sort(), [
    "edit",
    "exec",
    "ls",
    "process",
    "read",
    "web_fetch",
    "write",
  ]);
});

Deno.test("createTools() drops web_fetch when tools.web.fetch.enabled is false", () => {
  assert.ok(!names({ web: { fetch: { enabled: false } } }).includes("web_fetch"));
});

Deno.test("createToolSet() layers an agent's own tools policy over the global one", () => {
  const set = createToolSet({
    tools: { deny: ["message"] },
    agents: {
      list: [{ id: "reader", tools: { allow: ["group:fs", "message"], deny: ["write"] } }],
    },
  });
  assert.deepEqual(set.forRun("reader").map((t) => t.name), ["read", "edit", "ls"]);
  assert.deepEqual(set.forRun("main").map((t) => t.name), ALL.filter((n) => n !== "message"));
  assert.equal(set.forRun("main"), set.forRun("main"), "cached per agent");
});

Deno.test("unknownToolEntries() names allow/alsoAllow/deny entries that match no tool or group", () => {
  const w = unknownToolEntries({ allow: ["exce", "raed", "group:fs", "bash", "sessions_*", "*"] });
  assert.equal(w.length, 2);
  assert.match(w[0], /^tools\.allow entry "exce" matches no tool or group \(tools: read, /);
  assert.match(w[0], /fix the name, or the agent may get no tools at all$/);
  assert.match(w[1], /"raed"/);
  assert.deepEqual(
    unknownToolEntries({ deny: ["group:nope", "web_*"], alsoAllow: ["EXEC"] }).map((m) =>
      m.split(" matches")[0]
    ),
    ['tools.deny entry "group:nope"'],
  );
  assert.deepEqual(unknownToolEntries(undefined), []);
  const all = toolPolicyWarnings({
    tools: { allow: ["read"] },
    agents: {
      list: [{ id: "ops", tools: { deny: ["exe"] } }],
      entries: { x: { tools: { allow: ["?"] } } },
    },
  });
  assert.equal(all.length, 2);
  assert.match(all[0], /^agents\.list\.0\.tools\.deny entry "exe"/);
  assert.match(all[1], /^agents\.entries\.x\.tools\.allow entry "\?"/);
});
