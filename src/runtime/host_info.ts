/**
 * What the gateway says about the machine it runs on (its own presence row,
 * `hello-ok.server.host`). Both calls need `--allow-sys` and fall back quietly.
 *
 * @module
 */

/** The first non-loopback IPv4 address, if any. */
export function selfIp(): string | undefined {
  try {
    return Deno.networkInterfaces()
      .find((i) => i.family === "IPv4" && !i.address.startsWith("127."))?.address;
  } catch {
    return undefined;
  }
}

/** The host name, or "localhost" when it cannot be read. */
export function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}
