/**
 * Adversarial: DNS rebinding. A page on `attacker.example` re-points its
 * name at 127.0.0.1 and reads the loopback gateway as its own origin; the
 * request arrives from loopback but names the attacker's host. Loopback
 * alone must not open the canvas to it.
 */
import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";
import { BASE } from "./_canvas.ts";

/** `GET path` from loopback with the given `Host` (and extra header lines); the status code. */
async function status(port: number, path: string, host: string, extra = ""): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`,
      ),
    );
    const buf = new Uint8Array(4096);
    const n = await within(conn.read(buf), 10_000, `the answer to ${path}`);
    const head = new TextDecoder().decode(buf.subarray(0, n ?? 0));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}

for (const own of [false, true]) {
  const where = own ? "its own port" : "the gateway port";
  Deno.test(`canvas on ${where}: loopback with a rebound DNS name as Host needs the token`, async () => {
    const config = own ? { ...BASE, canvasHost: { port: 0 } } : BASE;
    await using gw = await startTestGateway({ config });
    const port = own ? gw.proc.instance.canvasPort()! : gw.port;
    const page = "/__openclaw__/canvas/";
    assert.equal(await status(port, page, `attacker.example:${port}`), 401);
    assert.equal(await status(port, page, `127.0.0.1:${port}`), 200);
    assert.equal(await status(port, page, `localhost:${port}`), 200);
    assert.equal(await status(port, page, `[::1]:${port}`), 200);
    const bearer = `Authorization: Bearer ${TEST_TOKEN}\r\n`;
    assert.equal(await status(port, page, `attacker.example:${port}`, bearer), 200);
  });
}
