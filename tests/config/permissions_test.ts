/**
 * A 0777 state folder and a 0644 config holding the token are tightened at
 * start, and the log says so.
 */

import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import { startGatewayProcess } from "../../src/gateway_process.ts";
import { createLogSink } from "../../src/log/logger.ts";
import { FakeSignals, tempHome, TEST_TOKEN, writeConfig } from "../_helpers/gateway.ts";

Deno.test("startGatewayProcess() tightens a 0777 state folder and a 0644 config, saying so", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const configPath = await writeConfig(home, {
      gateway: { mode: "local", auth: { token: TEST_TOKEN } },
    });
    const env = { OPENCLAW_HOME: home };
    const paths = resolvePaths({}, env);
    await Deno.chmod(paths.stateDir, 0o777);
    await Deno.chmod(configPath, 0o644);
    const lines: string[] = [];
    const proc = await startGatewayProcess({
      paths,
      env,
      flags: { port: 0 },
      sink: createLogSink({
        fileLevel: "silent",
        consoleLevel: "info",
        console: { write: (l) => lines.push(l) },
      }),
      signals: new FakeSignals(),
      watch: false,
    });
    try {
      assert.equal((await Deno.stat(paths.stateDir)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(configPath)).mode! & 0o777, 0o600);
      const said = lines.join("\n");
      assert.match(
        said,
        /state folder .* was open to other users \(mode 0777\); tightened it to 0700/,
      );
      assert.match(said, /config file .* \(mode 0644\); tightened it to 0600/);
    } finally {
      await proc.stop("test done");
    }
  } finally {
    await cleanup();
  }
});
