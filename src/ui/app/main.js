// OpenClaw control UI entry: Lit web components in the light DOM, bundled by
// `deno task ui:build` (esbuild) into ui-dist/. No inline script or style:
// the page runs under a strict CSP.

import { consumeUrlToken } from "./gateway.js";
import { App } from "./shell.js";

// The token leaves the address bar before the shell connects with it.
consumeUrlToken();
customElements.define("oc-app", App);
