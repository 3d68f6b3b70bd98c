/**
 * The network edge: one TCP listener, the HTTP/1.1 connection loop and the
 * WebSocket upgrade, wired to a fetch-style handler and a session's
 * `onOpen/onMessage/onClose`. Owns every transport limit: read timeouts for
 * request heads and bodies, a cap on connections, and an accept loop that an
 * accept error (out of file descriptors) never ends.
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
  upgradeHead,
  writeResponse,
} from "./http1.ts";
import { WsConn } from "./ws_conn.ts";

/** A listening server. */
export interface Listener {
  readonly hostname: string;
  readonly port: number;
  /** Open TCP connections (HTTP and WebSocket). */
  connections(): number;
  /** Stops accepting and waits (bounded) for open requests to finish. */
  close(): Promise<void>;
}

/** What a request handler gets about the connection. */
export interface ConnInfo {
  remoteIp: string;
}

/** A fetch-style handler. */
export type HttpHandler = (req: Request, info: ConnInfo) => Response | Promise<Response>;

/** A start failure that names the address and what to do. */
export class ListenError extends Error {
  constructor(message: string, readonly inUse: boolean) {
    super(message);
    this.name = "ListenError";
  }
}

/** Transport limits; every field has a default. */
export interface ListenLimits {
  /** A request head must arrive within this (default 10 s; also the keep-alive idle time). */
  headerTimeoutMs?: number;
  /** A request body must arrive within this after its head (default 30 s). */
  bodyTimeoutMs?: number;
  /** Request bodies are at most this many bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Open TCP connections at most (default 4096); past it the oldest idle one goes. */
  maxConnections?: number;
  /**
   * Asked to free a connection when the process is out of file descriptors or
   * at `maxConnections` and no idle HTTP connection is left (e.g. close the
   * oldest unauthenticated WebSocket). Returns whether it freed one.
   */
  shed?: () => boolean;
  /** Told about accept errors (rate-limit the log; the loop goes on). */
  onAcceptError?: (err: unknown) => void;
}

/** Defaults of {@link ListenLimits}. */
export const DEFAULT_LIMITS = {
  headerTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  maxBodyBytes: 1024 * 1024,
  maxConnections: 4096,
};

/** The contract a WebSocket session offers the adapter. */
export interface WsHandlers {
  onOpen(): void;
  onMessage(data: string | Uint8Array): void;
  onClose(): void;
  /** The largest message accepted now, checked from each frame header. */
  maxMessageBytes(): number;
}

/** The part of a socket a session is given. */
export type ServerSocket = Pick<WsConn, "send" | "close" | "bufferedAmount" | "readyState">;

const upgrades = new WeakMap<Response, (socket: ServerSocket) => WsHandlers>();

/**
 * Accepts a WebSocket upgrade: returns the response the handler gives back,
 * and connects the socket to the session `make` builds. A request that is
 * not a valid upgrade (not GET, version other than 13, bad key) is answered
 * with an HTTP error instead.
 */
export function upgradeWebSocket(
  req: Request,
  make: (socket: ServerSocket) => WsHandlers,
): Response {
  if (req.method !== "GET") {
    return errorResponse(405, "WebSocket upgrades use GET", { Allow: "GET" });
  }
  const h = req.headers;
  if (!h.get("connection")?.toLowerCase().split(/\s*,\s*/).includes("upgrade")) {
    return errorResponse(400, 'Bad WebSocket upgrade: "Connection: Upgrade" is missing');
  }
  if (h.get("sec-websocket-version") !== "13") {
    return errorResponse(426, "Bad WebSocket upgrade: only Sec-WebSocket-Version 13 is supported", {
      "Sec-WebSocket-Version": "13",
    });
  }
  const key = h.get("sec-websocket-key") ?? "";
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key)) {
    return errorResponse(400, "Bad WebSocket upgrade: Sec-WebSocket-Key must be 16 bytes base64");
  }
  const res = new Response(null, { status: 200 });
  upgrades.set(res, make);
  return res;
}

type State = "idle" | "busy" | "ws";
interface Tracked {
  conn: Deno.Conn;
  state: State;
}

/** Listens on `hostname:port` (port 0 picks a free one). */
export function listen(
  opts: { hostname: string; port: number } & ListenLimits,
  handler: HttpHandler,
): Listener {
  const limits = { ...DEFAULT_LIMITS, ...opts };
  let server: Deno.TcpListener;
  try {
    server = Deno.listen({ hostname: opts.hostname, port: opts.port });
  } catch (err) {
    const where = `${opts.hostname}:${opts.port}`;
    if (err instanceof Deno.errors.AddrInUse) {
      throw new ListenError(
        `Cannot bind ${where}: port in use (another gateway instance may be listening; ` +
          `run "openclaw gateway --force" to stop the listener, or pick another --port)`,
        true,
      );
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new ListenError(`Cannot bind ${where}: ${reason}`, false);
  }
  // Insertion order = age: the first idle entry is the oldest.
  const open = new Map<Deno.Conn, Tracked>();
  const busy = new Set<Promise<void>>();
  let closing = false;

  const evictIdle = (): boolean => {
    for (const t of open.values()) {
      if (t.state !== "idle") continue;
      open.delete(t.conn);
      closeQuietly(t.conn);
      return true;
    }
    return limits.shed?.() ?? false;
  };

  const serveConn = async (t: Tracked): Promise<void> => {
    const conn = t.conn;
    const remoteIp = (conn.remoteAddr as Deno.NetAddr).hostname;
    let buf: Uint8Array = new Uint8Array(0);
    try {
      for (;;) {
        t.state = "idle";
        const got = await readHead(conn, buf, limits.headerTimeoutMs);
        if (!got) return;
        t.state = "busy";
        let head: RequestHead;
        let body: Uint8Array<ArrayBuffer> | undefined;
        try {
          head = parseHead(got.head);
          const n = bodyLength(head, limits.maxBodyBytes);
          const read = await readBody(conn, got.rest, n, limits.bodyTimeoutMs);
          if (!read) return;
          [body, buf] = read;
        } catch (err) {
          if (!(err instanceof HttpWireError)) throw err;
          await writeResponse(conn, errorResponse(err.status, err.message), {
            close: true,
            head: false,
          });
          return;
        }
        const host = head.headers.get("host") ?? `${opts.hostname}:${server.addr.port}`;
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
          await writeResponse(conn, errorResponse(400, "Bad request target"), {
            close: true,
            head: false,
          });
          return;
        }
        let res: Response;
        try {
          res = await handler(req, { remoteIp });
        } catch {
          res = errorResponse(500, "Internal Server Error");
        }
        const make = upgrades.get(res);
        if (make) {
          t.state = "ws";
          const ws = new WsConn(conn);
          const session = make(ws);
          // The 101 answer and the first frames (the challenge) leave in one write.
          ws.start({
            onMessage: (d) => session.onMessage(d),
            maxMessageBytes: () => session.maxMessageBytes(),
            onClose: () => {
              open.delete(conn);
              session.onClose();
            },
          }, upgradeHead(head.headers.get("sec-websocket-key")!));
          session.onOpen();
          ws.flush();
          ws.run(buf);
          return;
        }
        const close = closing || !keepAlive(head);
        await writeResponse(conn, res, { close, head: head.method === "HEAD" });
        if (close) return;
      }
    } catch {
      // Reset, timed out or closed: the connection is over either way.
    } finally {
      if (t.state !== "ws") {
        open.delete(conn);
        closeQuietly(conn);
      }
    }
  };

  const acceptLoop = async () => {
    let backoff = 0;
    while (!closing) {
      let conn: Deno.Conn;
      try {
        conn = await server.accept();
        backoff = 0;
      } catch (err) {
        if (closing || err instanceof Deno.errors.BadResource) return;
        limits.onAcceptError?.(err);
        // Out of descriptors: free the oldest idle connection, and wait a
        // little so a persistent failure does not spin.
        evictIdle();
        backoff = Math.min(backoff ? backoff * 2 : 10, 1000);
        await new Promise((r) => setTimeout(r, backoff));
        continue;
      }
      if (open.size >= limits.maxConnections && !evictIdle()) {
        closeQuietly(conn);
        continue;
      }
      // Frames are small and latency matters: no Nagle delay (as Deno.serve does).
      (conn as Deno.TcpConn).setNoDelay?.(true);
      const t: Tracked = { conn, state: "idle" };
      open.set(conn, t);
      const p = serveConn(t);
      busy.add(p);
      p.finally(() => busy.delete(p));
    }
  };
  const loop = acceptLoop();

  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    connections: () => open.size,
    async close() {
      if (closing) return;
      closing = true;
      closeQuietly(server);
      for (const t of open.values()) if (t.state === "idle") closeQuietly(t.conn);
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([loop, ...busy]).then(() => {}),
        timeout.then(() => clearTimeout(timer)),
      ]);
      for (const t of open.values()) closeQuietly(t.conn);
      open.clear();
    },
  };
}

function closeQuietly(c: { close(): void }): void {
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
    const chunk = new Uint8Array(4096);
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
      const next = new Uint8Array(buf.length + n);
      next.set(buf);
      next.set(chunk.subarray(0, n), buf.length);
      const from = buf.length;
      buf = next;
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
