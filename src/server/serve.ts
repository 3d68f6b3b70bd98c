/**
 * The network edge: one TCP listener serving HTTP/1.1 and WebSocket
 * upgrades to a fetch-style handler. Owns every transport limit: read
 * timeouts for request heads and bodies (in {@link ./_http_conn.ts}), a cap on
 * connections with the oldest idle one evicted first, and an accept loop that
 * an accept error (out of file descriptors) never ends.
 *
 * @module
 */

import {
  closeQuietly,
  type ConnContext,
  serveHttpConn,
  type Tracked,
  type UpgradeHandler,
} from "./_http_conn.ts";
import type { RequestHead } from "./http1.ts";

export {
  type ServerSocket,
  type UpgradeRequest,
  upgradeWebSocket,
  type WsHandlers,
} from "./ws_adapter.ts";

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
  /** Overrides `maxBodyBytes` per request, from its head (API routes allow more to callers with the secret). */
  bodyLimit?: (head: RequestHead) => number;
  /**
   * A WebSocket peer silent this long is pinged, and closed 1001 when still
   * silent as long again (default 60 s; checked every half of it).
   */
  wsIdleMs?: number;
  /** Open TCP connections at most (default 4096); past it the oldest idle one goes. */
  maxConnections?: number;
  /**
   * Asked to free a connection when the process is out of file descriptors or
   * at `maxConnections` and no idle HTTP connection is left (e.g. close the
   * oldest unauthenticated WebSocket). Returns whether it freed one.
   */
  shed?: () => boolean;
  /**
   * Handles WebSocket upgrade requests instead of `handler`, given only the
   * method and headers (no `Request` is built: cheaper handshakes).
   */
  upgrade?: UpgradeHandler;
  /** Told about accept errors (rate-limit the log; the loop goes on). */
  onAcceptError?: (err: unknown) => void;
}

/** Defaults of {@link ListenLimits}. */
export const DEFAULT_LIMITS = {
  headerTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  maxBodyBytes: 1024 * 1024,
  maxConnections: 4096,
  wsIdleMs: 60_000,
};

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

  const ctx: ConnContext = {
    headerTimeoutMs: limits.headerTimeoutMs,
    bodyTimeoutMs: limits.bodyTimeoutMs,
    maxBodyBytes: limits.maxBodyBytes,
    bodyLimit: opts.bodyLimit,
    defaultHost: `${opts.hostname}:${server.addr.port}`,
    closing: () => closing,
    handler,
    upgrade: opts.upgrade,
    gone: (conn) => open.delete(conn),
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
      // Frames are small and latency matters: no Nagle delay (as Deno.serve
      // does). Keepalive probes find peers that vanished without a FIN.
      (conn as Deno.TcpConn).setNoDelay?.(true);
      (conn as Deno.TcpConn).setKeepAlive?.(true);
      const t: Tracked = { conn, state: "idle" };
      open.set(conn, t);
      const p = serveHttpConn(t, ctx);
      busy.add(p);
      p.finally(() => busy.delete(p));
    }
  };
  const loop = acceptLoop();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const t of open.values()) t.ws?.checkIdle(now, limits.wsIdleMs);
  }, limits.wsIdleMs / 2);

  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    connections: () => open.size,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(sweep);
      closeQuietly(server);
      for (const t of open.values()) if (t.state === "idle") closeQuietly(t.conn);
      // Requests under way get 2 s to finish; then every connection is dropped.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([loop, ...busy]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000))),
      ]);
      clearTimeout(timer);
      for (const t of open.values()) closeQuietly(t.conn);
      open.clear();
    },
  };
}

/**
 * An `onAcceptError` that warns at most once a minute: out of descriptors,
 * accept fails on every attempt.
 */
export function acceptErrorWarning(
  log: { warn(msg: string): void },
  now: () => number = Date.now,
): (err: unknown) => void {
  let last = 0;
  return (err) => {
    const t = now();
    if (t - last < 60_000) return;
    last = t;
    log.warn(`accept failed (${err instanceof Error ? err.message : err}); still listening`);
  };
}
