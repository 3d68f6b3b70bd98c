/**
 * One WebSocket connection, from challenge to close. Speaks to the socket
 * only through {@link WsSocket}, so the Deno adapter stays tiny and this file
 * holds every protocol rule about frames on a socket.
 *
 * @module
 */

import type { ConnectParams } from "../../protocol/schemas/connect.ts";
import { checkConnectParams } from "../../protocol/validate.ts";
import type { ResponseFrame } from "../../protocol/frames.ts";
import { type Accepted, CloseCodes, closeReason, type Refused } from "./handshake.ts";
import { eventFrame, type HubSession } from "./hub.ts";
import { type CallContext, invalidFrameResponse } from "./router.ts";
import { responseText } from "./_json_memo.ts";
import { readInbound } from "./ws_inbound.ts";
import type { Role } from "./scopes.ts";
import type { PeerInfo, SessionDeps, WsSocket } from "./ws_contract.ts";

export type { PeerInfo, SessionDeps, WsSocket } from "./ws_contract.ts";

const OPEN = 1;
/** Frames a client may send while its connect is being decided. */
const MAX_HELD_FRAMES = 16;
/** Frames before `connect` succeeds are capped at 64 KiB. */
export const PREAUTH_MAX_PAYLOAD = 64 * 1024;

/** One connection's state machine: pending -> open -> closed. */
export class WsSession implements HubSession {
  readonly connId = crypto.randomUUID();
  readonly nonce = crypto.randomUUID();
  readonly peer: PeerInfo;
  readonly connectedAt: number;
  phase: "pending" | "open" | "closed" = "pending";
  protocol = 0;
  role: Role = "operator";
  scopes: readonly string[] = [];
  params: ConnectParams | undefined;
  #socket: WsSocket;
  #deps: SessionDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  /** Frames that arrived while an async connect decision ran (replayed after it). */
  #held: unknown[] | undefined;
  /** The accepted device's id, when the connect carried a verified device identity. */
  deviceId: string | undefined;

  constructor(socket: WsSocket, peer: PeerInfo, deps: SessionDeps) {
    this.#socket = socket;
    this.peer = peer;
    this.#deps = deps;
    this.connectedAt = (deps.now ?? Date.now)();
  }

  /** The socket opened: send the challenge and start the handshake timer. */
  onOpen(): void {
    this.sendRaw(
      eventFrame("connect.challenge", {
        payloadJson: JSON.stringify({ nonce: this.nonce, ts: Date.now() }),
      }),
      { dropIfSlow: false },
    );
    this.#timer = setTimeout(() => {
      if (this.phase !== "pending") return;
      this.#deps.log.debug("handshake timeout", { connId: this.connId, ip: this.peer.remoteIp });
      this.close(CloseCodes.NORMAL, "handshake timeout");
    }, this.#deps.handshakeTimeoutMs);
  }

  /** The largest message the transport may assemble now (checked per frame header). */
  maxMessageBytes(): number {
    return this.phase === "pending" ? PREAUTH_MAX_PAYLOAD : this.#deps.policy().maxPayload;
  }

  /** One inbound message. */
  onMessage(data: unknown): void {
    if (this.phase === "closed") return;
    if (this.#held) {
      // A client that pipelines behind its connect: keep a few, drop a flood.
      if (this.#held.length >= MAX_HELD_FRAMES) {
        return this.#drop(CloseCodes.POLICY_VIOLATION, "invalid handshake: wait for hello-ok");
      }
      this.#held.push(data);
      return;
    }
    const pending = this.phase === "pending";
    const got = readInbound(data, {
      pending,
      limit: pending ? PREAUTH_MAX_PAYLOAD : this.#deps.policy().maxPayload,
    });
    if (!got.ok) {
      if (got.malformedBytes !== undefined) {
        this.#deps.log.warn("malformed JSON frame", {
          connId: this.connId,
          bytes: got.malformedBytes,
        });
      }
      if (got.reply) this.#reply(got.reply);
      if (got.close) this.#drop(got.close.code, got.close.reason);
      return;
    }
    const req = got.req;
    if (pending) return this.#handshake(req.id, req.method, req.params);
    if (this.#deps.log.debugEnabled) {
      this.#deps.log.debug("req", { connId: this.connId, id: req.id, method: req.method });
    }
    const res = this.#deps.dispatch(req.id, req.method, req.params, this.context());
    if (res instanceof Promise) res.then((r) => this.#answered(r));
    else this.#answered(res);
  }

  #answered(res: ResponseFrame): void {
    if (this.#deps.log.debugEnabled) {
      this.#deps.log.debug("res", {
        connId: this.connId,
        id: res.id,
        ok: res.ok,
        code: res.error?.code,
      });
    }
    this.#reply(res);
  }

  #handshake(id: string, method: string, params: unknown): void {
    if (method !== "connect") {
      this.#reply(invalidFrameResponse(id, "invalid handshake: first request must be connect"));
      return this.#drop(CloseCodes.POLICY_VIOLATION, "invalid handshake");
    }
    const checked = checkConnectParams(params);
    if (!checked.ok) {
      const message = `invalid connect params: ${checked.message}`;
      this.#reply(invalidFrameResponse(id, message));
      return this.#drop(CloseCodes.POLICY_VIOLATION, closeReason(message));
    }
    const verdict = this.#deps.decide(checked.value, this.peer, this.nonce);
    if (verdict instanceof Promise) {
      this.#held = [];
      verdict.then(
        (v) => this.#decided(id, checked.value, v),
        (err) => {
          this.#deps.log.error("connect decision failed", {
            connId: this.connId,
            error: String(err),
          });
          this.#reply(
            invalidFrameResponse(id, "connect failed: internal error (see the gateway log)"),
          );
          this.close(1011, "internal error");
        },
      ).finally(() => {
        const held = this.#held ?? [];
        this.#held = undefined;
        for (const data of held) this.onMessage(data);
      });
      return;
    }
    this.#decided(id, checked.value, verdict);
  }

  #decided(id: string, params: ConnectParams, verdict: Accepted | Refused): void {
    if (this.phase !== "pending") return;
    if (!verdict.ok) {
      const code = (verdict.error.details as { code?: string } | undefined)?.code;
      // A locked-out address keeps knocking: one info line per failure is
      // enough, the refusals during the lockout go to debug.
      const logAt = code === "AUTH_RATE_LIMITED" ? "debug" : "info";
      this.#deps.log[logAt]("connect refused", {
        connId: this.connId,
        ip: this.peer.remoteIp,
        client: params.client.id,
        reason: verdict.error.message,
        code,
      });
      this.#reply({ type: "res", id, ok: false, error: verdict.error });
      return this.close(verdict.closeCode, verdict.closeReason);
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The session outlives the handshake: keep no credentials on it.
    this.params = { ...params, auth: undefined };
    this.protocol = verdict.protocol;
    this.role = verdict.role;
    this.scopes = verdict.scopes;
    this.deviceId = verdict.device?.deviceId;
    this.phase = "open";
    const hello = this.#deps.hello(this, verdict);
    this.#reply({ type: "res", id, ok: true, payload: hello });
    this.#deps.log.debug("connected", {
      connId: this.connId,
      ip: this.peer.remoteIp,
      client: params.client.id,
      mode: params.client.mode,
      role: this.role,
      protocol: this.protocol,
    });
    this.#deps.opened(this);
  }

  /** Closes a socket for a protocol violation, leaving a debug line (`--verbose`). */
  #drop(code: number, reason: string): void {
    this.#deps.log.debug("closing", { connId: this.connId, ip: this.peer.remoteIp, code, reason });
    this.close(code, reason);
  }

  /**
   * The call context handlers receive: built once the handshake is done (it
   * does not change after), frozen since every call of the socket shares it.
   */
  context(): CallContext {
    if (this.#ctx) return this.#ctx;
    const ctx: CallContext = Object.freeze({
      connId: this.connId,
      role: this.role,
      scopes: this.scopes,
      clientId: this.params?.client.id ?? "unknown",
      remoteIp: this.peer.remoteIp,
    });
    if (this.phase === "open") this.#ctx = ctx;
    return ctx;
  }

  #ctx: CallContext | undefined;

  // Answers count against maxBufferedBytes like events: a client that
  // pipelines requests and never reads must not grow the gateway's memory.
  #reply(frame: ResponseFrame): void {
    this.sendRaw(responseText(frame), { dropIfSlow: true });
  }

  /** Next per-socket sequence number (protocol 4). */
  nextSeq(): number {
    return ++this.#seq;
  }

  /**
   * Sends a serialized frame. A `dropIfSlow` frame (every frame but
   * `shutdown`) to a socket whose send buffer is already past
   * `maxBufferedBytes` closes it as a slow consumer instead: its backlog must
   * not grow the gateway's memory, and other clients are unaffected.
   */
  sendRaw(frame: string, opts: { dropIfSlow: boolean }): boolean {
    if (this.phase === "closed" || this.#socket.readyState !== OPEN) return false;
    if (opts.dropIfSlow && this.#socket.bufferedAmount > this.#deps.policy().maxBufferedBytes) {
      this.#deps.log.warn("slow consumer: closing", {
        connId: this.connId,
        bufferedBytes: this.#socket.bufferedAmount,
      });
      this.close(CloseCodes.POLICY_VIOLATION, "slow consumer");
      return false;
    }
    this.#socket.send(frame);
    return true;
  }

  /** Closes the socket (idempotent). */
  close(code: number, reason: string): void {
    if (this.phase === "closed") return;
    this.#markClosed();
    try {
      this.#socket.close(code, reason);
    } catch {
      // Already closing: nothing left to do.
    }
  }

  /** The transport reports the socket closed. */
  onClose(): void {
    if (this.phase !== "closed") this.#markClosed();
    this.#deps.released?.(this);
  }

  #markClosed(): void {
    const wasOpen = this.phase === "open";
    this.phase = "closed";
    clearTimeout(this.#timer);
    // Deferred: a close during a broadcast loop must not broadcast (presence)
    // from inside that loop, or later sockets would see events out of order.
    if (wasOpen) queueMicrotask(() => this.#deps.closed(this));
  }
}
