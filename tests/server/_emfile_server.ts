/**
 * Fixture for the descriptor-exhaustion test: the gateway's listener with a
 * `/health` route, run under a low `ulimit -n`. Prints `port N`, then
 * `accept error` lines as they happen.
 *
 * @module
 */

import { listen } from "../../src/server/serve.ts";

let reported = false;
const listener = listen(
  {
    hostname: "127.0.0.1",
    port: 0,
    onAcceptError: () => {
      if (reported) return;
      reported = true;
      console.log("accept error");
    },
  },
  () => new Response("ok"),
);
console.log(`port ${listener.port}`);
