/**
 * Methods served by process-level parts (they survive in-process restarts):
 * `logs.tail` and `config.*`.
 *
 * @module
 */

import { type GatewayProcess, RESTART_EXPECTED_MS } from "../gateway_process.ts";
import { configHandlers } from "../methods/config.ts";
import { logsHandlers } from "../methods/logs.ts";
import type { HandlerTable } from "../server/router.ts";

/** Builds the process-level handler table for `proc`. */
export function processHandlers(proc: GatewayProcess): HandlerTable {
  return {
    ...logsHandlers({ logFile: () => proc.sink.currentFile() }),
    ...configHandlers({
      path: proc.paths.configPath,
      env: proc.env,
      check: (snap) => proc.checkConfig(snap),
      write: (change, opts) => proc.writeConfig(change, opts),
      restartExpectedMs: RESTART_EXPECTED_MS,
    }),
  };
}
