import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import type { GatewayConfig } from "../../src/config/schema.ts";
import { resolveSettings, settingsSecrets, withHotSettings } from "../../src/config/settings.ts";

const paths = resolvePaths({}, { HOME: "/home/ada" });
const settings = (config: GatewayConfig) => resolveSettings(config, { env: {}, paths });

Deno.test("withHotSettings() takes the new live settings and keeps listener and auth", () => {
  const running = settings({ gateway: { port: 19001, auth: { token: "old-token-123456" } } });
  const next = settings({
    gateway: { port: 19002, bind: "lan", auth: { token: "new-token-123456" } },
    logging: { level: "debug" },
  } as GatewayConfig);
  const merged = withHotSettings(running, next);
  assert.equal(merged.ports.port, 19001);
  assert.equal(merged.bind, running.bind);
  assert.equal(merged.bindHost, running.bindHost);
  assert.equal(merged.auth.token, "old-token-123456");
  assert.deepEqual(merged.policy, next.policy);
  assert.equal(merged.logLevel, next.logLevel);
});

Deno.test("settingsSecrets() lists the auth secrets the redactor masks", () => {
  const s = settings({ gateway: { auth: { token: "tok-abcdef-123456" } } });
  assert.ok(settingsSecrets(s).includes("tok-abcdef-123456"));
});
