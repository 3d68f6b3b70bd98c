/**
 * `openclaw` as a subprocess whose Baileys trusts the fake WhatsApp server's
 * root key (`WA_TRUST_ROOT`, base64). The patch is applied when the gateway
 * prints "listening on" (the moment it starts its channels and imports
 * Baileys itself), so start-up costs stay the real gateway's. Bench only.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { runCli } from "../src/cli/mod.ts";

const root = Deno.env.get("WA_TRUST_ROOT");
if (root) {
  const write = Deno.stdout.writeSync.bind(Deno.stdout);
  const decoder = new TextDecoder();
  let armed = true;
  Deno.stdout.writeSync = (p: Uint8Array) => {
    if (armed && decoder.decode(p).includes("listening on")) {
      armed = false;
      import("@whiskeysockets/baileys").then((b) => {
        (b.WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY = Buffer.from(root, "base64");
      });
    }
    return write(p);
  };
}
Deno.exit(await runCli(Deno.args));
