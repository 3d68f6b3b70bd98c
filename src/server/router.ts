/**
 * Turns a validated request into a response: params validation, scope check,
 * idempotency, the handler call, and error mapping (through `toErrorShape`,
 * the one place errors meet the wire).
 *
 * @module
 */

import type { ResponseFrame } from "../../protocol/frames.ts";
import { ErrorCodes, type ErrorShape, errorShape } from "../../protocol/errors.ts";
import { isMethodName, type MethodName, METHODS } from "../../protocol/methods.ts";
import { checkParams } from "../../protocol/validate.ts";
import { GatewayError, toErrorShape } from "../errors.ts";
import type { Logger } from "../log/logger.ts";
import type { DedupeCache } from "./dedupe.ts";
import { authorize, type Role } from "./scopes.ts";

/** Who is calling; the only context a handler gets besides its own deps. */
export interface CallContext {
  connId: string;
  role: Role;
  scopes: readonly string[];
  clientId: string;
  remoteIp: string;
}

/** A method implementation: returns the result or throws a `GatewayError`. */
export type Handler = (params: never, ctx: CallContext) => unknown;

/** The handler table: only methods with an entry are served and advertised. */
export type HandlerTable = Partial<Record<MethodName, Handler>>;

/** One answer as a handler shapes it: `ok:false` may still carry a payload. */
export interface Reply {
  ok: boolean;
  payload?: unknown;
  error?: ErrorShape;
}

/**
 * What a handler returns when it shapes the answer itself: a payload next
 * to an error (the `agent` final), or two answers to one request (`agent`:
 * the ack now, `final` when the run ends, with the same request id).
 */
export class FramedReply {
  constructor(readonly reply: Reply, readonly final?: Promise<Reply>) {}
}

/** Router dependencies. */
export interface RouterDeps {
  handlers: HandlerTable;
  dedupe: DedupeCache;
  log: Logger;
}

/** Dispatches requests to handlers. */
export class Router {
  #deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.#deps = deps;
  }

  /** Methods this gateway serves, for `hello-ok.features.methods`. */
  methods(): string[] {
    return Object.keys(this.#deps.handlers);
  }

  /**
   * Handles one request; never throws (nor rejects). A handler that answers
   * synchronously is answered synchronously: no promise per call on the hot
   * path. A second answer (see {@link FramedReply}) goes to `later` once the
   * first has been sent.
   */
  dispatch(
    id: string,
    method: string,
    params: unknown,
    ctx: CallContext,
    later?: (frame: ResponseFrame) => void,
  ): ResponseFrame | Promise<ResponseFrame> {
    let payload: unknown;
    try {
      payload = this.#call(method, params, ctx);
    } catch (err) {
      return this.#failed(id, method, ctx, err);
    }
    if (payload instanceof Promise) {
      return payload.then(
        (p) => answer(id, p, later),
        (err) => this.#failed(id, method, ctx, err),
      );
    }
    return answer(id, payload, later);
  }

  #failed(id: string, method: string, ctx: CallContext, err: unknown): ResponseFrame {
    if (!(err instanceof GatewayError)) {
      this.#deps.log.error(`method ${method} failed`, {
        connId: ctx.connId,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
    return { type: "res", id, ok: false, error: toErrorShape(err) };
  }

  /** The handler's result (or its promise); throws what the checks or the handler throw. */
  #call(method: string, params: unknown, ctx: CallContext): unknown {
    const handler = isMethodName(method) ? this.#deps.handlers[method] : undefined;
    if (!isMethodName(method) || !handler) {
      if (method === "connect") {
        throw new GatewayError(
          ErrorCodes.INVALID_REQUEST,
          "already connected: connect is only valid as the first frame of a socket",
        );
      }
      throw new GatewayError(ErrorCodes.INVALID_REQUEST, `unknown method: ${method}`, {
        details: { method },
      });
    }
    const def = METHODS[method];
    const denied = authorize(def.scope, ctx.role, ctx.scopes);
    if (denied) throw new GatewayError(ErrorCodes.INVALID_REQUEST, denied);
    const checked = checkParams(method, params);
    if (!checked.ok) {
      throw new GatewayError(
        ErrorCodes.INVALID_REQUEST,
        `invalid ${method} params: ${checked.message}`,
      );
    }
    const value = checked.value;
    if ("idempotent" in def && def.idempotent && !("ownDedupe" in def && def.ownDedupe)) {
      const key = (value as { idempotencyKey: string }).idempotencyKey;
      return this.#deps.dedupe.run(
        `${method}:${key}`,
        async () => await handler(value as never, ctx),
      );
    }
    return handler(value as never, ctx);
  }
}

/** The first answer to request `id` from a handler's result. */
function answer(
  id: string,
  payload: unknown,
  later: ((frame: ResponseFrame) => void) | undefined,
): ResponseFrame {
  if (!(payload instanceof FramedReply)) return { type: "res", id, ok: true, payload };
  if (payload.final) {
    payload.final.then((reply) =>
      // A macrotask later: the caller sends the first answer once this
      // returns (or in a microtask), so the final never overtakes it.
      setTimeout(() => later?.({ type: "res", id, ...reply }), 0)
    );
  }
  return { type: "res", id, ...payload.reply };
}

/** A wire error for a request that could not be parsed into a frame. */
export function invalidFrameResponse(id: unknown, message: string): ResponseFrame {
  return {
    type: "res",
    id: typeof id === "string" && id ? id : "invalid",
    ok: false,
    error: errorShape(ErrorCodes.INVALID_REQUEST, message),
  };
}
