/**
 * The contract between a WebSocket session and the rest of the gateway:
 * the socket it writes to, the peer the transport saw, and the gateway
 * calls a session makes (decide, hello, opened/closed, dispatch). The state
 * machine itself is `ws_session.ts`.
 *
 * @module
 */

import type { ConnectParams, HelloOk, Policy } from "../../protocol/schemas/connect.ts";
import type { ResponseFrame } from "../../protocol/frames.ts";
import type { Logger } from "../log/logger.ts";
import type { Accepted, Refused } from "./handshake.ts";
import type { CallContext } from "./router.ts";
import type { WsSession } from "./ws_session.ts";

/** The part of a WebSocket a session uses. */
export interface WsSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
  readonly readyState: number;
}

/** Who is on the other end, as the transport saw it. */
export interface PeerInfo {
  remoteIp: string;
  isLoopback: boolean;
  /** The page's origin when a browser opened the socket. */
  browserOrigin?: string;
  /** The upgrade's `Host` header (canvas URLs in `hello-ok` use the same name). */
  host?: string;
}

/** Everything a session needs from the gateway. */
export interface SessionDeps {
  policy: () => Policy;
  handshakeTimeoutMs: number;
  log: Logger;
  /**
   * Decides a validated connect. Async when a device signature must be
   * checked; `nonce` is this socket's challenge nonce.
   */
  decide(
    params: ConnectParams,
    peer: PeerInfo,
    nonce: string,
  ): Accepted | Refused | Promise<Accepted | Refused>;
  /** Builds `hello-ok` for an accepted session. */
  hello(session: WsSession, accepted: Accepted): HelloOk;
  /** The session finished its handshake (register it, update presence). */
  opened(session: WsSession): void;
  /** The session closed after a successful handshake. */
  closed(session: WsSession): void;
  /**
   * The transport closed the socket, whether or not its handshake finished
   * (admission forgets it). Called after the session marked itself closed.
   */
  released?(session: WsSession): void;
  /** Handles a request after the handshake (synchronously when the handler is). */
  dispatch(
    id: string,
    method: string,
    params: unknown,
    ctx: CallContext,
  ): ResponseFrame | Promise<ResponseFrame>;
  now?: () => number;
}
