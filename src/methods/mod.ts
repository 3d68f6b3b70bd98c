/**
 * The only handler table: method name -> handler. A method with no entry here
 * is unknown to clients and absent from `hello-ok.features.methods`.
 *
 * @module
 */

import type { HandlerTable } from "../server/router.ts";
import { type SystemDeps, systemHandlers } from "./system.ts";

/** Handlers owned by process-level parts (they outlive an in-process restart). */
export type ExtraMethodDeps = {
  /** Extra ready-made handlers, e.g. `logs.tail` and `config.*`. */
  handlers?: HandlerTable;
};

/** Everything the handlers need, grouped by handler file. */
export interface MethodDeps extends ExtraMethodDeps {
  system: SystemDeps;
}

/** Builds the table. */
export function buildHandlers(deps: MethodDeps): HandlerTable {
  return {
    ...systemHandlers(deps.system),
    ...deps.handlers,
  } as HandlerTable;
}
