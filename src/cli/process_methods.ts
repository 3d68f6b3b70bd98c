/**
 * Wires the process-level methods (`logs.tail`, `config.*`) to the running
 * process: they read its log sink and write its config file, both of which
 * outlive an in-process restart.
 *
 * @module
 */

import { type GatewayProcess, RESTART_EXPECTED_MS } from "../gateway_process.ts";
import type { ProcessMethodDeps } from "../methods/mod.ts";

/** The deps of the process-level methods of `proc`. */
export function processMethods(proc: GatewayProcess): ProcessMethodDeps {
  return {
    logs: { logFile: () => proc.sink.currentFile() },
    config: {
      path: proc.paths.configPath,
      env: proc.env,
      check: (snap) => proc.checkConfig(snap),
      write: (change, opts) => proc.writeConfig(change, opts),
      restartExpectedMs: RESTART_EXPECTED_MS,
      current: () => proc.config,
    },
  };
}
