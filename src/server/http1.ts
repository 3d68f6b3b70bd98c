/**
 * The HTTP/1.1 wire format the gateway speaks on its port: reads a request
 * head with a size cap, a fixed-length body with a size cap, and writes a
 * `Response` (fixed length, or chunked for event streams). Timeouts and the
 * connection loop live in {@link ./serve.ts}.
 *
 * @module
 */

/** A request head as read from the wire. */
export interface RequestHead {
  method: string;
  target: string;
  /** `HTTP/1.0` or `HTTP/1.1`. */
  version: string;
  headers: Headers;
}

/** A malformed or oversized request: answered with `status`, then the connection ends. */
export class HttpWireError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "HttpWireError";
  }
}

/** Request heads are at most this many bytes (request line and headers). */
export const MAX_HEAD_BYTES = 16 * 1024;

import { sha1 } from "./_sha1.ts";

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const dec = new TextDecoder();
const enc = new TextEncoder();

/** Where the head ends in `buf` (index just past the blank line), or -1. */
export function headEnd(buf: Uint8Array, from = 0): number {
  for (let i = Math.max(3, from); i < buf.length; i++) {
    if (buf[i] === 10 && buf[i - 1] === 13 && buf[i - 2] === 10 && buf[i - 3] === 13) return i + 1;
  }
  return -1;
}

/** Parses a complete head (without the final blank line); throws {@link HttpWireError}. */
export function parseHead(bytes: Uint8Array): RequestHead {
  const lines = dec.decode(bytes).split("\r\n");
  const [method, target, version, extra] = lines[0].split(" ");
  if (extra !== undefined || !method || !TOKEN.test(method) || !target || target.includes("\t")) {
    throw new HttpWireError(400, "Bad request line");
  }
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") {
    throw new HttpWireError(505, "HTTP Version Not Supported");
  }
  const headers = new Headers();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (!TOKEN.test(name)) throw new HttpWireError(400, "Bad header line");
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      throw new HttpWireError(400, "Bad header value");
    }
  }
  return { method, target, version, headers };
}

/**
 * The body length a head announces: 0 when none. Chunked request bodies are
 * refused (411): no client of the gateway sends them, and a fixed length is
 * what lets the size cap be checked before reading.
 */
export function bodyLength(head: RequestHead, maxBytes: number): number {
  if (head.headers.has("transfer-encoding")) {
    throw new HttpWireError(411, "Length Required: send the body with Content-Length");
  }
  const raw = head.headers.get("content-length");
  if (raw === null) return 0;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpWireError(400, "Bad Content-Length");
  const n = Number(raw);
  if (n > maxBytes) throw new HttpWireError(413, `Payload Too Large (at most ${maxBytes} bytes)`);
  return n;
}

/** Whether the connection stays open after this request. */
export function keepAlive(head: RequestHead): boolean {
  const c = head.headers.get("connection")?.toLowerCase() ?? "";
  return head.version === "HTTP/1.1" ? !c.includes("close") : c.includes("keep-alive");
}

const REASONS: Record<number, string> = {
  101: "Switching Protocols",
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  411: "Length Required",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  426: "Upgrade Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

function headText(status: number, headers: Headers, extra: string[]): string {
  let text = `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\n`;
  for (const [k, v] of headers) {
    if (k === "content-length" || k === "transfer-encoding" || k === "connection") continue;
    text += `${k}: ${v}\r\n`;
  }
  return text + extra.map((l) => `${l}\r\n`).join("") + "\r\n";
}

async function writeAll(conn: { write(b: Uint8Array): Promise<number> }, b: Uint8Array) {
  for (let off = 0; off < b.length;) off += await conn.write(b.subarray(off));
}

/**
 * Writes `res` to `conn`. Bodies are sent with Content-Length, except event
 * streams (`text/event-stream`), which go out chunked as they are produced.
 */
export async function writeResponse(
  conn: { write(b: Uint8Array): Promise<number> },
  res: Response,
  opts: { close: boolean; head: boolean },
): Promise<void> {
  const connection = opts.close ? "Connection: close" : "Connection: keep-alive";
  const streaming = res.body !== null &&
    (res.headers.get("content-type") ?? "").startsWith("text/event-stream");
  if (!streaming) {
    const body = res.body ? new Uint8Array(await res.arrayBuffer()) : new Uint8Array(0);
    const head = enc.encode(
      headText(res.status, res.headers, [`Content-Length: ${body.length}`, connection]),
    );
    if (opts.head || body.length === 0) return writeAll(conn, head);
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    return writeAll(conn, out);
  }
  await writeAll(
    conn,
    enc.encode(headText(res.status, res.headers, ["Transfer-Encoding: chunked", connection])),
  );
  for await (const chunk of res.body!) {
    if (!chunk.length) continue;
    await writeAll(conn, enc.encode(`${chunk.length.toString(16)}\r\n`));
    await writeAll(conn, chunk);
    await writeAll(conn, enc.encode("\r\n"));
  }
  await writeAll(conn, enc.encode("0\r\n\r\n"));
}

/** A short plain-text error answer that ends the connection. */
export function errorResponse(status: number, message: string, headers: HeadersInit = {}) {
  return new Response(`${message}\n`, {
    status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      ...headers,
    },
  });
}

/**
 * The answer to a request refused on the wire. 408 and 413 carry the JSON
 * error envelope of the HTTP APIs (spec: `{"error":{message, type}}`), since
 * OpenAI clients parse it; the others stay one line of text.
 */
export function wireErrorResponse(err: HttpWireError): Response {
  const message = err.status === 413
    ? "Payload too large"
    : err.status === 408
    ? "Request body timeout"
    : undefined;
  if (!message) return errorResponse(err.status, err.message);
  return new Response(JSON.stringify({ error: { message, type: "invalid_request_error" } }), {
    status: err.status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** The `101 Switching Protocols` answer of a WebSocket upgrade with `key`. */
export function upgradeHead(key: string): Uint8Array {
  const digest = sha1(enc.encode(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
  const accept = btoa(String.fromCharCode(...digest));
  return enc.encode(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
}
