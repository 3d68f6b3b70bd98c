/**
 * Config RPCs check a write as the service would start it (not with this
 * run's flags), and values substituted from `${ENV}` never reach logs or
 * answers, even through a failed bind.
 */

import assert from "node:assert/strict";
import { GatewayCallError, GatewayClient } from "../../src/client/gateway_client.ts";
import { processMethods } from "../../src/cli/process_methods.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { startGatewayProcess } from "../../src/gateway_process.ts";
import { createLogSink } from "../../src/log/logger.ts";
import {
  FakeSignals,
  startTestGateway,
  tempHome,
  TEST_TOKEN,
  writeConfig,
} from "../_helpers/gateway.ts";
import { waitUntil } from "../_helpers/reload.ts";

Deno.test("config.set refuses a config that runs only thanks to this run's --token and --allow-unconfigured", async () => {
  const { home, cleanup } = await tempHome();
  const configPath = await writeConfig(home, {});
  const env = { OPENCLAW_HOME: home };
  const proc = await startGatewayProcess({
    paths: resolvePaths({}, env),
    env,
    flags: { port: 0, token: TEST_TOKEN, allowUnconfigured: true },
    sink: createLogSink({ fileLevel: "silent", consoleLevel: "silent" }),
    signals: new FakeSignals(),
    processMethods,
    watch: false,
  });
  try {
    const client = await GatewayClient.connect(proc.instance.url, { token: TEST_TOKEN });
    const { hash } = await client.request<{ hash: string }>("config.get", {});
    const err = await client.request("config.set", { raw: "{}", baseHash: hash }).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof GatewayCallError, `config.set {} was accepted: ${err}`);
    assert.match(err.error.message, /^Config rejected, nothing written: Gateway start blocked/);
    assert.match(err.error.message, /as the service does: without this run's --token/);
    assert.equal(await Deno.readTextFile(configPath), "{}");
    // Runnable on its own: accepted.
    const good = JSON.stringify({ gateway: { mode: "local", auth: { token: TEST_TOKEN } } });
    await client.request("config.set", { raw: good, baseHash: hash });
    assert.equal(await Deno.readTextFile(configPath), good);
    await client.close();
  } finally {
    await proc.stop("test done");
    await cleanup();
  }
});

Deno.test("a failed bind on a substituted customBindHost shows ${NAME}, never the value, in health and logs", async () => {
  const secret = "sk-live-0123456789abcdefSECRET";
  await using gw = await startTestGateway({
    config: { gateway: { mode: "local", auth: { token: TEST_TOKEN }, reload: { debounceMs: 50 } } },
    env: { PROVIDER_API_KEY: secret },
  });
  const client = await gw.connect();
  const { hash } = await client.request<{ hash: string }>("config.get", {});
  const patch = { gateway: { bind: "custom", customBindHost: "${PROVIDER_API_KEY}" } };
  await client.request("config.patch", { raw: JSON.stringify(patch), baseHash: hash })
    .catch(() => {/* the restart closes this socket */});
  await waitUntil(
    () => gw.lines.some((l) => /listening on the previous address instead/.test(l)),
    "the failed rebind",
    8_000,
  );
  await waitUntil(() => gw.lines.some((l) => /restart complete/.test(l)), "the fallback");
  const fresh = await gw.connect();
  const health = await fresh.request<{ config: { lastReloadError?: string } }>("health", {});
  assert.match(health.config.lastReloadError ?? "", /Cannot bind \$\{PROVIDER_API_KEY\}/);
  const tail = await fresh.request<{ lines: string[] }>("logs.tail", { limit: 500 });
  await fresh.close();
  const everything = [
    JSON.stringify(health),
    ...tail.lines,
    ...gw.lines,
    await Deno.readTextFile(gw.proc.sink.currentFile()!),
  ].join("\n");
  assert.ok(everything.includes("${PROVIDER_API_KEY}"), "the reference is named");
  assert.ok(!everything.includes(secret), "the substituted value leaked");
});

Deno.test("status names a substituted customBindHost by its variable, not its value", async () => {
  await using gw = await startTestGateway({
    config: {
      gateway: {
        mode: "local",
        bind: "custom",
        customBindHost: "${BIND_SECRET_HOST}",
        auth: { token: TEST_TOKEN },
      },
    },
    env: { BIND_SECRET_HOST: "127.0.0.1" },
  });
  const client = await gw.connect();
  const status = await client.request<{ gateway: { bindHost: string } }>("status", {});
  assert.equal(status.gateway.bindHost, "${BIND_SECRET_HOST}");
  await client.close();
});
