/**
 * One HTTP/1.1 connection of the listener: reads request heads and bodies
 * within their timeouts, calls the handler, writes the answers (keep-alive),
 * and hands an accepted WebSocket upgrade to the adapter. Used by
 * {@link ./serve.ts} only.
 *
 * @module
 */

import {
  bodyLength,
  errorResponse,
  headEnd,
  HttpWireError,
  keepAlive,
  MAX_HEAD_BYTES,
  parseHead,
  type RequestHead,
  wireErrorResponse,
  writeResponse,
} from "./http1.ts";
import { completeUpgrade, type UpgradeRequest } from "./ws_adapter.ts";
import type { WsConn } from "./ws_conn.ts";

/** A fetch-style handler with what it gets about the connection. */
export type ConnHandler = (
  req: Request,
  info: { remoteIp: string },
) => Response | Promise<Response>;

/** A handler for upgrade requests only. */
export type UpgradeHandler = (
  req: UpgradeRequest,
  info: { remoteIp: string },
) => Response | Promise<Response>;

/**
 * Where a connection is: reading a request (head or body: evictable),
 * serving one, or a WebSocket.
 */
export type ConnState = "idle" | "busy" | "ws";

/** A connection the listener tracks. */
export interface Tracked {
  conn: Deno.Conn;
  state: ConnState;
  /** The WebSocket, once upgraded. */
  ws?: WsConn;
}

/** What the loop needs from the listener. */
export interface ConnContext {
  headerTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBodyBytes: number;
  /** A per-request body cap from the head (e.g. larger for authenticated API calls). */
  bodyLimit?: (head: RequestHead) => number;
  /** `host:port` for requests without a Host header. */
  defaultHost: string;
  /** Whether the listener is closing (answers then end their connection). */
  closing(): boolean;
  handler: ConnHandler;
  /** Handles WebSocket upgrades, when set (see {@link ListenLimits.upgrade}). */
  upgrade?: UpgradeHandler;
  /** The connection is gone (HTTP ended, or the WebSocket closed). */
  gone(conn: Deno.Conn): void;
}

const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");
/** The first read of a request head (a larger one follows when it fills up). */
const HEAD_READ = 1024;

/** Serves `t.conn` until it ends; never throws. */
export async function serveHttpConn(t: Tracked, ctx: ConnContext): Promise<void> {
  const conn = t.conn;
  const remoteIp = (conn.remoteAddr as Deno.NetAddr).hostname;
  let buf: Uint8Array = new Uint8Array(0);
  try {
    for (;;) {
      t.state = "idle";
      const got = await readHead(conn, buf, ctx.headerTimeoutMs);
      if (!got) return;
      // Still "idle" while the body trickles in: under pressure such a
      // connection may be evicted like one that has sent nothing.
      let head: RequestHead;
      let body: Uint8Array<ArrayBuffer> | undefined;
      try {
        head = parseHead(got.head);
        const cap = ctx.bodyLimit && head.headers.has("content-length")
          ? ctx.bodyLimit(head)
          : ctx.maxBodyBytes;
        const n = bodyLength(head, cap);
        if (n > got.rest.length && head.headers.get("expect")?.toLowerCase() === "100-continue") {
          await conn.write(CONTINUE);
        }
        const read = await readBody(conn, got.rest, n, ctx.bodyTimeoutMs);
        if (!read) return;
        [body, buf] = read;
      } catch (err) {
        if (!(err instanceof HttpWireError)) throw err;
        await writeResponse(conn, wireErrorResponse(err), {
          close: true,
          head: false,
        });
        return;
      }
      t.state = "busy";
      let res: Response;
      try {
        res = await respond(head, body, remoteIp, ctx);
      } catch (err) {
        res = err instanceof HttpWireError
          ? wireErrorResponse(err)
          : errorResponse(500, "Internal Server Error");
      }
      const ws = completeUpgrade(res, conn, {
        key: head.headers.get("sec-websocket-key") ?? "",
        rest: buf,
        onClose: () => ctx.gone(conn),
      });
      if (ws) {
        t.state = "ws";
        t.ws = ws;
        return;
      }
      const close = ctx.closing() || !keepAlive(head);
      await writeResponse(conn, res, { close, head: head.method === "HEAD" });
      if (close) return;
    }
  } catch {
    // Reset, timed out or closed: the connection is over either way.
  } finally {
    if (t.state !== "ws") {
      ctx.gone(conn);
      closeQuietly(conn);
    }
  }
}

/**
 * The handler's answer to one request. Upgrades go to `ctx.upgrade` when set,
 * without building a `Request` (the costliest step of a handshake here).
 */
function respond(
  head: RequestHead,
  body: Uint8Array<ArrayBuffer>,
  remoteIp: string,
  ctx: ConnContext,
): Response | Promise<Response> {
  if (ctx.upgrade && head.headers.get("upgrade")?.toLowerCase() === "websocket") {
    return ctx.upgrade(
      { method: head.method, headers: head.headers, url: head.target },
      { remoteIp },
    );
  }
  const host = head.headers.get("host") ?? ctx.defaultHost;
  const url = /^https?:\/\//.test(head.target)
    ? head.target
    : `http://${host}${head.target.startsWith("/") ? "" : "/"}${head.target}`;
  let req: Request;
  try {
    req = new Request(url, {
      method: head.method,
      headers: head.headers,
      body: body.length && head.method !== "GET" && head.method !== "HEAD" ? body : null,
    });
  } catch {
    throw new HttpWireError(400, "Bad request target");
  }
  return ctx.handler(req, { remoteIp });
}

/** Closes `c`, ignoring that it may be closed already. */
export function closeQuietly(c: { close(): void }): void {
  try {
    c.close();
  } catch {
    // Already closed.
  }
}

/**
 * Reads until a whole request head is in, at most {@link MAX_HEAD_BYTES}, within
 * `timeoutMs`. Returns `undefined` when the peer ended or timed out first.
 */
async function readHead(
  conn: Deno.Conn,
  start: Uint8Array,
  timeoutMs: number,
): Promise<{ head: Uint8Array; rest: Uint8Array } | undefined> {
  let buf = start;
  let end = headEnd(buf);
  if (end >= 0) return { head: buf.subarray(0, end - 4), rest: buf.subarray(end) };
  const timer = setTimeout(() => closeQuietly(conn), timeoutMs);
  try {
    // Most heads (an upgrade: a few hundred bytes) arrive in one read: that
    // read's buffer becomes the head, with no copy; a buffer that fills up
    // is followed by a larger one.
    let chunk = new Uint8Array(HEAD_READ);
    while (end < 0) {
      if (buf.length >= MAX_HEAD_BYTES) {
        await writeResponse(conn, errorResponse(431, "Request Header Fields Too Large"), {
          close: true,
          head: false,
        });
        return undefined;
      }
      const n = await conn.read(chunk);
      if (n === null) return undefined;
      const from = buf.length;
      if (from === 0) {
        buf = chunk.subarray(0, n);
        chunk = new Uint8Array(n === chunk.length ? chunk.length * 4 : chunk.length);
      } else {
        const next = new Uint8Array(from + n);
        next.set(buf);
        next.set(chunk.subarray(0, n), from);
        buf = next;
      }
      end = headEnd(buf, from);
    }
  } finally {
    clearTimeout(timer);
  }
  return { head: buf.subarray(0, end - 4), rest: buf.subarray(end) };
}

/** Reads `n` body bytes (some may be in `rest`); returns `[body, leftover]`. */
async function readBody(
  conn: Deno.Conn,
  rest: Uint8Array,
  n: number,
  timeoutMs: number,
): Promise<[Uint8Array<ArrayBuffer>, Uint8Array] | undefined> {
  if (rest.length >= n) return [rest.slice(0, n), rest.slice(n)];
  const body = new Uint8Array(n);
  body.set(rest);
  let got = rest.length;
  const timer = setTimeout(() => closeQuietly(conn), timeoutMs);
  try {
    while (got < n) {
      const r = await conn.read(body.subarray(got));
      if (r === null) return undefined;
      got += r;
    }
  } finally {
    clearTimeout(timer);
  }
  return [body, new Uint8Array(0)];
}
