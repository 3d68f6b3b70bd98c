/**
 * The version of this build, shown in `hello-ok`, `--version`, service
 * descriptions and the `OPENCLAW_SERVICE_VERSION` marker.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/** The gateway and CLI version, from `deno.json`. */
export const VERSION: string = denoJson.version;
