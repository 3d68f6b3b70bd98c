/**
 * Asks the gateway whether it serves the control UI at a path: one `GET`
 * over a plain socket (no credentials are sent, and `fetch` would route a
 * loopback address through `HTTP_PROXY`), bounded in time and bytes. The
 * page must carry `data-base-path="<path>"`: a gateway whose UI sits at `/`
 * answers any other path with the same app (its SPA fallback), so a 200
 * alone would not tell the base paths apart.
 *
 * @module
 */

/** What the probe found. */
export type ProbeResult =
  | { kind: "served"; status: number }
  /** `status` 2xx here means a page came back, but not this UI at this base path. */
  | { kind: "not-served"; status: number }
  | { kind: "down"; detail: string }
  | { kind: "timeout" };

/** Options of {@link probeControlUi}. */
export interface ProbeOptions {
  /** `https:` probes over TLS. */
  tls?: boolean;
  timeoutMs: number;
}

/** Largest part of the answer read: index.html is well under 2 KiB. */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * Sends `GET <path>` to `host:port`: a 2xx page naming `path` as its base is
 * "served", anything else "not-served" (404 when the UI is off), a refused
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
    const req = `GET ${path} HTTP/1.1\r\nHost: ${authority}:${port}\r\n` +
      "Accept: text/html\r\nConnection: close\r\n\r\n";
    await conn.write(new TextEncoder().encode(req));
    const buf = new Uint8Array(MAX_ANSWER_BYTES);
    let len = 0;
    const marker = `data-base-path="${path.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}"`;
    let text = "";
    while (len < buf.length) {
      const n = await conn.read(buf.subarray(len));
      if (n === null) break;
      len += n;
      text = new TextDecoder().decode(buf.subarray(0, len));
      if (text.includes(marker)) break;
    }
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
    if (!m) return { kind: "down", detail: "the answer was not HTTP" };
    const status = Number(m[1]);
    return status >= 200 && status < 300 && text.includes(marker)
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
