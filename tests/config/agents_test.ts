/**
 * Agent ids are case-insensitive: `Main` in the config and `main` in a
 * request name one agent for every part that reads per-agent settings.
 */

import assert from "node:assert/strict";
import { agentSetting, configuredDefaultAgentId, foldAgentId } from "../../src/config/agents.ts";
import { resolveWorkspaceDir } from "../../src/agent/workspace.ts";
import { defaultChainText } from "../../src/agent/providers/refs.ts";
import { createToolSet } from "../../src/agent/tools/mod.ts";
import { normalizeAgentId } from "../../src/agent/sessions/keys.ts";
import type { GatewayConfig } from "../../src/config/schema.ts";

const agents = {
  list: [{
    id: "Main",
    default: true,
    workspace: "/srv/main-ws",
    model: "stub/listed",
    tools: { allow: ["read"] },
  }],
  entries: { Work: { workspace: "/srv/work-ws", model: "stub/work" } },
};

Deno.test("foldAgentId() and normalizeAgentId() agree on the canonical spelling", () => {
  assert.equal(foldAgentId(" Main "), "main");
  assert.equal(normalizeAgentId("Main"), foldAgentId("Main"));
  assert.equal(configuredDefaultAgentId(agents), "main");
  assert.equal(configuredDefaultAgentId(undefined), "main");
});

Deno.test("agentSetting() finds list and entries settings whatever the id's case", () => {
  for (const id of ["main", "Main", "MAIN"]) {
    assert.equal(agentSetting(agents, id, "workspace"), "/srv/main-ws");
  }
  assert.equal(agentSetting(agents, "work", "model"), "stub/work");
  assert.equal(agentSetting(agents, "other", "model"), undefined);
});

Deno.test("resolveWorkspaceDir() gives Main and main the same workspace", () => {
  const dir = (agentId: string) =>
    resolveWorkspaceDir({ agentId, defaultAgentId: "Main", agents, env: {}, stateDir: "/st" });
  assert.equal(dir("main"), "/srv/main-ws");
  assert.equal(dir("MAIN"), "/srv/main-ws");
  assert.equal(dir("work"), "/srv/work-ws");
  assert.equal(dir("Other"), "/st/workspace-other");
});

Deno.test("defaultChainText() reads the model of Main for main", () => {
  const config = { agents } as unknown as GatewayConfig;
  assert.deepEqual(defaultChainText(config, "main"), ["stub/listed"]);
  assert.deepEqual(defaultChainText(config, "WORK"), ["stub/work"]);
});

Deno.test("createToolSet() applies the tools policy of Main to main", () => {
  const set = createToolSet({ agents });
  assert.deepEqual(set.forRun("main").map((t) => t.name), ["read"]);
  assert.equal(set.forRun("Main"), set.forRun("main"), "one cache entry per agent");
});
