/**
 * The fake WhatsApp server as its own process, for measuring a client
 * process without the fake in it. Prints `{url, root}` (root key, base64) as
 * one JSON line; each QR string read from stdin is scanned by the fake phone.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { FakeWaServer } from "../tests/_fakes/whatsapp/mod.ts";

if (import.meta.main) {
  const server = await FakeWaServer.start();
  server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  console.log(JSON.stringify({
    url: server.url,
    root: Buffer.from(server.rootPublicKey).toString("base64"),
  }));
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of Deno.stdin.readable) {
    buf += decoder.decode(chunk);
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line === "quit") Deno.exit(0);
      if (line) server.phoneScan(line);
    }
  }
  await server.stop();
}
