/**
 * Methods served by process-level parts (they survive in-process restarts):
 * `logs.tail` and `config.*`.
 *
 * @module
 */

import type { GatewayProcess } from "../gateway_process.ts";
import { logsHandlers } from "../methods/logs.ts";
import type { HandlerTable } from "../server/router.ts";

/** Builds the process-level handler table for `proc`. */
export function processHandlers(proc: GatewayProcess): HandlerTable {
  return {
    ...logsHandlers({ logFile: () => proc.sink.currentFile() }),
  };
}
