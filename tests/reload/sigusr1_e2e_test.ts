import assert from "node:assert/strict";
import { GatewayClient } from "../../src/client/gateway_client.ts";
import { cliEnv, spawnCli, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";
import { freePort, recordEvents, reloadConfig, saveLikeEditor } from "../_helpers/reload.ts";
import { within } from "../_helpers/limit.ts";

Deno.test({
  name: "openclaw gateway restarts in process on kill -USR1 only once commands.restart is on",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, cleanup } = await tempHome();
    try {
      const port = freePort();
      const configPath = await writeConfig(home, reloadConfig(port));
      await using gateway = spawnCli(["gateway"], cliEnv(home));
      const pid = gateway.child.pid;
      await gateway.waitFor(/gateway ready on ws:\/\/127\.0\.0\.1:\d+/, 20_000);
      const url = `ws://127.0.0.1:${port}`;
      const client = await GatewayClient.connect(url, { token: TEST_TOKEN });
      const events = recordEvents(client);

      // Off by default: the signal is ignored, with the way to enable it.
      Deno.kill(pid, "SIGUSR1");
      await gateway.waitFor(/SIGUSR1 ignored: .*set commands\.restart to true/);
      assert.equal((await client.request<{ ok: boolean }>("health", {})).ok, true);

      // Turned on by editing the file (applied live), then honoured.
      await saveLikeEditor(configPath, reloadConfig(port, { commands: { restart: true } }));
      await gateway.waitFor(/config change \(file\): commands\.restart/);
      Deno.kill(pid, "SIGUSR1");
      const closed = await within(client.closed, 10_000, "the 1012 close");
      assert.equal(closed.code, 1012);
      assert.deepEqual(events.find((e) => e.event === "shutdown")?.payload, {
        reason: "SIGUSR1",
        restartExpectedMs: 1500,
      });
      await gateway.waitFor(/restart complete/);
      const again = await GatewayClient.connect(url, { token: TEST_TOKEN });
      const status = await again.request<{ pid: number }>("status", {});
      assert.equal(status.pid, pid, "restarted in the same process");
      await again.close();

      Deno.kill(pid, "SIGTERM");
      assert.equal((await within(gateway.status, 10_000, "the gateway to exit")).code, 0);
    } finally {
      await cleanup();
    }
  },
});
