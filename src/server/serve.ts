/**
 * The Deno edge: `Deno.serve` on one port, and `Deno.upgradeWebSocket`
 * wired to a session's `onOpen/onMessage/onClose`. Everything protocol-shaped
 * lives elsewhere.
 *
 * @module
 */

/** A listening server. */
export interface Listener {
  readonly hostname: string;
  readonly port: number;
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

/** Listens on `hostname:port` (port 0 picks a free one). */
export function listen(opts: { hostname: string; port: number }, handler: HttpHandler): Listener {
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve(
      { hostname: opts.hostname, port: opts.port, onListen: () => {} },
      (req, info) => handler(req, { remoteIp: info.remoteAddr.hostname }),
    );
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
  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    async close() {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000));
      await Promise.race([server.shutdown(), timeout]);
    },
  };
}

/** The contract a WebSocket session offers the adapter. */
export interface WsHandlers {
  onOpen(): void;
  onMessage(data: unknown): void;
  onClose(): void;
}

/**
 * Upgrades `req` and connects the socket to the session `make` builds.
 * A failed upgrade is answered with 400, never thrown.
 */
export function upgradeWebSocket(req: Request, make: (socket: WebSocket) => WsHandlers): Response {
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(req);
  } catch (err) {
    return new Response(`Bad WebSocket upgrade: ${err instanceof Error ? err.message : err}`, {
      status: 400,
    });
  }
  const { socket, response } = upgraded;
  const session = make(socket);
  socket.onopen = () => session.onOpen();
  socket.onmessage = (e) => session.onMessage(e.data);
  socket.onclose = () => session.onClose();
  socket.onerror = () => {};
  return response;
}
