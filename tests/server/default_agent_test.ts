/**
 * The default agent comes from config: `hello-ok` session defaults and
 * `health` name the `agents.list` entry marked `default`, not a fixed `main`.
 */

import assert from "node:assert/strict";
import type { HealthSnapshot } from "../../protocol/schemas/system.ts";
import { agentRoster } from "../../src/config/agents.ts";
import { defaultSessionsPath } from "../../src/server/health.ts";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { openClient } from "../_helpers/clients.ts";
import { within } from "../_helpers/limit.ts";

Deno.test("agentRoster() lists configured agents canonically, default marked", () => {
  assert.deepEqual(agentRoster(undefined), {
    defaultId: "main",
    list: [{ id: "main", isDefault: true }],
  });
  assert.deepEqual(agentRoster({ list: [{ id: "Work", default: true }, { id: "main" }] }), {
    defaultId: "work",
    list: [{ id: "work", isDefault: true }, { id: "main", isDefault: false }],
  });
  // No entry marked default: `main` is the default and is listed first.
  assert.deepEqual(agentRoster({ list: [{ id: "ops" }, { id: "OPS" }] }), {
    defaultId: "main",
    list: [{ id: "main", isDefault: true }, { id: "ops", isDefault: false }],
  });
});

Deno.test("hello-ok and health name the configured default agent", async () => {
  await using gw = await startTestGateway({
    config: {
      gateway: { mode: "local", auth: { token: TEST_TOKEN } },
      agents: { list: [{ id: "work", default: true }, { id: "main" }] },
    },
  });
  await using client = await within(openClient(gw), 10_000, "connect");
  assert.deepEqual(client.hello.snapshot.sessionDefaults, {
    defaultAgentId: "work",
    mainKey: "main",
    mainSessionKey: "agent:work:main",
  });
  const health = await within(client.request<HealthSnapshot>("health"), 10_000, "health");
  assert.equal(health.defaultAgentId, "work");
  assert.deepEqual(health.agents, [
    { id: "work", isDefault: true },
    { id: "main", isDefault: false },
  ]);
  assert.equal(client.hello.snapshot.health.defaultAgentId, "work");
  // The session count is the default agent's store.
  assert.match(health.sessions.path, /\/agents\/work\/sessions\/sessions\.json$/);
});

Deno.test("defaultSessionsPath() names main's store when the default id cannot be a folder", () => {
  const paths = { stateDir: "/st" };
  assert.equal(defaultSessionsPath({ paths }), "/st/agents/main/sessions/sessions.json");
  const bad = { defaultId: "../x", list: [{ id: "../x", isDefault: true }] };
  assert.equal(
    defaultSessionsPath({ paths, agents: bad }),
    "/st/agents/main/sessions/sessions.json",
  );
});
