/**
 * `openclaw`: the gateway and every command that operates it.
 *
 * @module
 */

import { runCli } from "./src/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
