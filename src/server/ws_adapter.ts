/**
 * The WebSocket adapter, apart from the protocol: validates an upgrade
 * request, and wires an accepted connection's {@link WsConn} to a session's
 * `onOpen/onMessage/onClose`.
 *
 * @module
 */

import { errorResponse, upgradeHead } from "./http1.ts";
import { type ByteConn, WsConn } from "./ws_conn.ts";

/** The contract a WebSocket session offers the adapter. */
export interface WsHandlers {
  onOpen(): void;
  onMessage(data: string | Uint8Array): void;
  onClose(): void;
  /** The largest message accepted now, checked from each frame header. */
  maxMessageBytes(): number;
}

/**
 * What an upgrade decision reads of a request (a `Request` has it); `url` is
 * the request target (path and query, or the full URL of a `Request`).
 */
export type UpgradeRequest = Pick<Request, "method" | "headers"> & { url?: string };

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
  req: UpgradeRequest,
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

/**
 * Completes the upgrade `res` stands for, if it stands for one: sends the 101
 * answer (with the first frames, in one write) and starts the session.
 * `rest` holds bytes that arrived after the request head. Returns the socket,
 * or `undefined` when `res` is an ordinary response.
 */
export function completeUpgrade(
  res: Response,
  conn: ByteConn,
  opts: { key: string; rest: Uint8Array; onClose: () => void },
): WsConn | undefined {
  const make = upgrades.get(res);
  if (!make) return undefined;
  const ws = new WsConn(conn);
  const session = make(ws);
  // The session is the socket's event target itself: no wrappers per connection.
  ws.start(session, { preface: upgradeHead(opts.key), onEnd: opts.onClose });
  session.onOpen();
  ws.flush();
  ws.run(opts.rest);
  return ws;
}
