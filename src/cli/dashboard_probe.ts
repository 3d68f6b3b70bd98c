/**
 * Asks the gateway whether it serves the control UI at a path: one `HEAD`
 * over a plain socket (no credentials are sent, and `fetch` would route a
 * loopback address through `HTTP_PROXY`), bounded in time and bytes.
 *
 * @module
 */

/** What the probe found. */
export type ProbeResult =
  | { kind: "served"; status: number }
  | { kind: "not-served"; status: number }
  | { kind: "down"; detail: string }
  | { kind: "timeout" };

/** Options of {@link probeControlUi}. */
export interface ProbeOptions {
  /** `https:` probes over TLS. */
  tls?: boolean;
  timeoutMs: number;
}

/** Largest part of the answer read: the status line is all that is needed. */
const MAX_HEAD_BYTES = 1024;

/**
 * Sends `HEAD <path>` to `host:port`: 2xx is "served", any other status
 * "not-served" (404 when the UI is off or at another base path), a refused
 * connection "down".
 */
export async function probeControlUi(
  host: string,
  port: number,
  path: string,
  opts: ProbeOptions,
): Promise<ProbeResult> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let conn: Deno.Conn | undefined;
  const work = async (): Promise<ProbeResult> => {
    try {
      const hostname = host.replace(/^\[|\]$/g, "");
      conn = opts.tls
        ? await Deno.connectTls({ hostname, port })
        : await Deno.connect({ hostname, port });
    } catch (err) {
      return { kind: "down", detail: err instanceof Error ? err.message : String(err) };
    }
    const authority = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    const req = `HEAD ${path} HTTP/1.1\r\nHost: ${authority}:${port}\r\n` +
      "Accept: text/html\r\nConnection: close\r\n\r\n";
    await conn.write(new TextEncoder().encode(req));
    const buf = new Uint8Array(MAX_HEAD_BYTES);
    let len = 0;
    while (len < buf.length) {
      const n = await conn.read(buf.subarray(len));
      if (n === null) break;
      len += n;
      if (buf.subarray(0, len).includes(10)) break; // the status line is in
    }
    const line = new TextDecoder().decode(buf.subarray(0, len)).split("\r\n")[0];
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(line);
    if (!m) return { kind: "down", detail: "the answer was not HTTP" };
    const status = Number(m[1]);
    return status >= 200 && status < 300
      ? { kind: "served", status }
      : { kind: "not-served", status };
  };
  const timedOut = new Promise<ProbeResult>((resolve) => {
    signal.addEventListener("abort", () => resolve({ kind: "timeout" }), { once: true });
  });
  try {
    return await Promise.race([work(), timedOut]);
  } catch (err) {
    return { kind: "down", detail: err instanceof Error ? err.message : String(err) };
  } finally {
    try {
      (conn as Deno.Conn | undefined)?.close();
    } catch { /* already closed */ }
  }
}
