/**
 * `logs.tail`: reads the gateway's file log from a byte cursor.
 *
 * @module
 */

import type { HandlerTable } from "../server/router.ts";

/** What `logs.tail` reads. */
export interface LogsDeps {
  /** Today's log file, if the file log is on. */
  logFile(): string | undefined;
}

/** Builds the `logs.tail` handler (implementation pending). */
export function logsHandlers(_deps: LogsDeps): HandlerTable {
  return {};
}
