/**
 * A small WebSocket client of the gateway protocol, used by the CLI, the
 * tests and the benchmark: challenge, connect, then request/response by id.
 *
 * @module
 */

import type { ErrorShape } from "../../protocol/errors.ts";
import type { EventFrame, ResponseFrame } from "../../protocol/frames.ts";
import type { HelloOk } from "../../protocol/schemas/connect.ts";
import { closeMessage, type ConnectOptions, connectParams, signConnect } from "./connect_params.ts";

export { type ConnectOptions, signConnect } from "./connect_params.ts";

/** The gateway answered `ok: false`. */
export class GatewayCallError extends Error {
  constructor(readonly error: ErrorShape, readonly method: string) {
    super(`${method} failed: ${error.code}: ${error.message}`);
    this.name = "GatewayCallError";
  }
}

/** The gateway could not be reached, or the socket closed. */
export class GatewayConnectionError extends Error {
  constructor(message: string, readonly closeCode?: number, readonly closeReason?: string) {
    super(message);
    this.name = "GatewayConnectionError";
  }
}

/** Options of one request. */
export interface RequestOptions {
  timeoutMs?: number;
  /** For two-phase methods (`agent`): wait for the answer whose status is not "accepted". */
  expectFinal?: boolean;
}

interface Pending {
  method: string;
  expectFinal: boolean;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A connected client. */
export class GatewayClient {
  readonly hello: HelloOk;
  #ws: WebSocket;
  #pending = new Map<string, Pending>();
  #nextId = 1;
  #listeners = new Set<(event: EventFrame) => void>();
  #closed: Promise<{ code: number; reason: string }>;

  private constructor(
    ws: WebSocket,
    hello: HelloOk,
    closed: Promise<{ code: number; reason: string }>,
  ) {
    this.#ws = ws;
    this.hello = hello;
    this.#closed = closed;
    ws.onmessage = (e) => this.#onMessage(e.data);
    closed.then(({ code, reason }) => {
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(
          new GatewayConnectionError(
            `connection closed (${code}${reason ? ` ${reason}` : ""})`,
            code,
            reason,
          ),
        );
      }
      this.#pending.clear();
    });
  }

  /** Opens a socket, answers the challenge with `connect`, and waits for `hello-ok`. */
  static connect(url: string, opts: ConnectOptions = {}): Promise<GatewayClient> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch (err) {
        return reject(
          new GatewayConnectionError(`Invalid gateway URL "${url}": ${(err as Error).message}`),
        );
      }
      let settled = false;
      let resolveClosed!: (v: { code: number; reason: string }) => void;
      const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try {
          ws.close();
        } catch { /* already closed */ }
        reject(err);
      };
      const timer = setTimeout(
        () =>
          fail(
            new GatewayConnectionError(`Gateway at ${url} did not answer within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      let refused: ErrorShape | undefined;
      let opened = false;
      let upgradeStatus: number | undefined;
      ws.onopen = () => (opened = true);
      ws.onerror = (e) => {
        // Deno reports a refused upgrade as "... Invalid status code: 503".
        const m = /status code:? (\d{3})/i.exec((e as ErrorEvent).message ?? "");
        if (m) upgradeStatus = Number(m[1]);
      };
      ws.onclose = (e) => {
        resolveClosed({ code: e.code, reason: e.reason });
        if (refused) return fail(new GatewayCallError(refused, "connect"));
        fail(
          new GatewayConnectionError(
            closeMessage(url, { upgradeStatus, opened, code: e.code, reason: e.reason }),
            e.code,
            e.reason,
          ),
        );
      };
      ws.onmessage = (e) => {
        let frame: EventFrame | ResponseFrame;
        try {
          frame = JSON.parse(String(e.data));
        } catch {
          return fail(new GatewayConnectionError(`Gateway at ${url} sent malformed JSON`));
        }
        if (frame.type === "event" && frame.event === "connect.challenge") {
          const params = connectParams(opts);
          if (!opts.device) {
            ws.send(JSON.stringify({ type: "req", id: "connect", method: "connect", params }));
            return;
          }
          const nonce = String((frame.payload as { nonce?: unknown } | undefined)?.nonce ?? "");
          signConnect(params, opts.device, nonce).then(
            (signed) => {
              if (settled || ws.readyState !== WebSocket.OPEN) return;
              ws.send(
                JSON.stringify({ type: "req", id: "connect", method: "connect", params: signed }),
              );
            },
            (err) => fail(new GatewayConnectionError(`Cannot sign the connect: ${err.message}`)),
          );
          return;
        }
        if (frame.type === "res" && frame.id === "connect") {
          if (!frame.ok) {
            refused = frame.error;
            return; // the close that follows settles
          }
          settled = true;
          clearTimeout(timer);
          resolve(new GatewayClient(ws, frame.payload as HelloOk, closed));
        }
      };
    });
  }

  #onMessage(data: unknown): void {
    let frame: EventFrame | ResponseFrame;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return;
    }
    if (frame.type === "event") {
      for (const fn of this.#listeners) fn(frame);
      return;
    }
    if (frame.type !== "res") return;
    const p = this.#pending.get(frame.id);
    if (!p) return;
    if (
      frame.ok && p.expectFinal && (frame.payload as { status?: string })?.status === "accepted"
    ) return;
    this.#pending.delete(frame.id);
    clearTimeout(p.timer);
    if (frame.ok) p.resolve(frame.payload);
    else p.reject(new GatewayCallError(frame.error!, p.method));
  }

  /** Calls `method` and resolves with its payload; rejects with {@link GatewayCallError}. */
  request<T = unknown>(method: string, params?: unknown, opts: RequestOptions = {}): Promise<T> {
    const id = String(this.#nextId++);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    if (this.#ws.readyState !== WebSocket.OPEN) {
      // A send on a closing socket is dropped silently: fail now, not at the timeout.
      return Promise.reject(new GatewayConnectionError(`connection closed before ${method}`));
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new GatewayConnectionError(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        expectFinal: opts.expectFinal ?? false,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      });
      const frame: Record<string, unknown> = { type: "req", id, method };
      if (params !== undefined) frame.params = params;
      this.#ws.send(JSON.stringify(frame));
    });
  }

  /** Sends raw text (tests of malformed input). */
  sendRaw(text: string): void {
    this.#ws.send(text);
  }

  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(fn: (event: EventFrame) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Resolves when the socket closes, with the close code and reason. */
  get closed(): Promise<{ code: number; reason: string }> {
    return this.#closed;
  }

  /** Closes the socket and waits for the close to finish. */
  async close(): Promise<void> {
    if (this.#ws.readyState < WebSocket.CLOSING) this.#ws.close(1000);
    await this.#closed;
  }
}
