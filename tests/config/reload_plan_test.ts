import assert from "node:assert/strict";
import { planReload, RELOAD_RULES, ruleFor } from "../../src/config/reload_plan.ts";

// path -> expected kind (and action) under hybrid.
const table: [string, "none" | "hot" | "restart", string?][] = [
  ["gateway.port", "restart"],
  ["gateway.bind", "restart"],
  ["gateway.customBindHost", "restart"],
  ["gateway.auth.mode", "restart"],
  ["gateway.auth", "restart"],
  ["gateway.tls.enabled", "restart"],
  ["gateway.tls", "restart"],
  ["gateway.trustedProxies", "restart"],
  ["gateway.somethingNew", "restart"],
  ["canvasHost.port", "restart"],
  ["canvasHost.enabled", "restart"],
  // The issue pins every gateway.auth key to a restart, secrets included.
  ["gateway.auth.token", "restart"],
  ["gateway.auth.password", "restart"],
  ["gateway.auth.rateLimit.maxAttempts", "restart"],
  ["logging.level", "hot", "set-log-level"],
  ["logging.file", "none"],
  ["hooks", "hot", "reload-hooks"],
  ["hooks.mappings", "hot", "reload-hooks"],
  ["hooks.gmail.account", "hot", "restart-gmail-watcher"],
  ["agents.defaults.heartbeat.every", "hot", "restart-heartbeat"],
  ["agents.defaults.model", "hot", "restart-heartbeat"],
  ["agents.defaults.models", "hot", "restart-heartbeat"],
  // "agents.defaults.modelX" shares a string prefix with "agents.defaults.model" but not a path prefix.
  ["agents.defaults.modelX", "none"],
  ["agents.defaults.workspace", "none"],
  ["agents.list", "none"],
  ["channels.telegram.botToken", "hot", "restart-channel:telegram"],
  ["channels.whatsapp", "hot", "restart-channel:whatsapp"],
  ["channels", "hot", "restart-channel:*"],
  ["session.scope", "none"],
  ["messages.prefix", "none"],
  ["meta.lastTouchedAt", "none"],
  ["$schema", "none"],
  ["commands.restart", "none"],
  ["gateway.reload.mode", "none"],
  ["gateway.reload.debounceMs", "none"],
  ["gateway.remote.url", "none"],
  ["gateway.mode", "none"],
  ["gateway.controlUi.allowedOrigins", "none"],
  ["gateway.http.endpoints.responses.enabled", "none"],
  ["gateway.nodes.allowCommands", "none"],
  ["web.enabled", "restart"],
  ["somethingUnknown", "restart"],
  ["", "restart"],
];

for (const [path, kind, action] of table) {
  Deno.test(`planReload() hybrid: ${path || "(root)"} -> ${kind}${action ? ` ${action}` : ""}`, () => {
    const plan = planReload([path], "hybrid");
    assert.equal(plan.restart, kind === "restart");
    assert.deepEqual(plan.restartReasons, kind === "restart" ? [path] : []);
    assert.deepEqual(plan.noop, kind === "none" ? [path] : []);
    assert.deepEqual(plan.hot, kind === "hot" ? [{ action, paths: [path] }] : []);
  });
}

Deno.test("ruleFor() picks the longest prefix and matches whole segments only", () => {
  assert.equal(ruleFor("gateway.reload.mode")?.prefix, "gateway.reload");
  assert.equal(ruleFor("gateway.auth.token")?.prefix, "gateway");
  assert.equal(ruleFor("gateway.authx")?.prefix, "gateway");
  assert.equal(ruleFor("hooksx"), undefined);
  assert.equal(ruleFor("logging.levelx")?.prefix, "logging");
});

Deno.test("RELOAD_RULES has one row per prefix and actions only on hot rows", () => {
  const prefixes = RELOAD_RULES.map((r) => r.prefix);
  assert.equal(new Set(prefixes).size, prefixes.length);
  for (const rule of RELOAD_RULES) assert.equal(rule.action !== undefined, rule.kind === "hot");
});

Deno.test("planReload() hybrid groups paths per action and restarts on any restart path", () => {
  const plan = planReload(
    ["channels.telegram.a", "channels.telegram.b", "channels.slack.x", "hooks.x", "gateway.port"],
    "hybrid",
  );
  assert.equal(plan.restart, true);
  assert.deepEqual(plan.restartReasons, ["gateway.port"]);
  assert.deepEqual(plan.hot, [
    { action: "restart-channel:telegram", paths: ["channels.telegram.a", "channels.telegram.b"] },
    { action: "restart-channel:slack", paths: ["channels.slack.x"] },
    { action: "reload-hooks", paths: ["hooks.x"] },
  ]);
});

Deno.test("planReload() hybrid with only safe paths does not restart", () => {
  const plan = planReload(["logging.level", "meta.x", "hooks.x"], "hybrid");
  assert.equal(plan.restart, false);
  assert.deepEqual(plan.hot.map((h) => h.action), ["set-log-level", "reload-hooks"]);
  assert.deepEqual(plan.noop, ["meta.x"]);
});

Deno.test("planReload() hot never restarts but reports what would need it", () => {
  const plan = planReload(["gateway.port", "logging.level"], "hot");
  assert.equal(plan.restart, false);
  assert.deepEqual(plan.restartReasons, ["gateway.port"]);
  assert.deepEqual(plan.hot, [{ action: "set-log-level", paths: ["logging.level"] }]);
});

Deno.test("planReload() restart mode restarts on any change, even a no-op path", () => {
  assert.equal(planReload(["meta.x"], "restart").restart, true);
  assert.equal(planReload([], "restart").restart, false);
});

Deno.test("planReload() off does nothing", () => {
  const plan = planReload(["gateway.port", "hooks.x"], "off");
  assert.equal(plan.restart, false);
  assert.deepEqual(plan.hot, []);
  assert.deepEqual(plan.restartReasons, []);
  assert.deepEqual(plan.noop, ["gateway.port", "hooks.x"]);
});

Deno.test("planReload() with no changed paths does nothing", () => {
  const plan = planReload([], "hybrid");
  assert.deepEqual(plan, { mode: "hybrid", restart: false, hot: [], noop: [], restartReasons: [] });
});
