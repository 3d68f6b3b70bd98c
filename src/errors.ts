/**
 * The few error classes the gateway throws, and the ONE place that maps them
 * to wire errors. Handlers throw; the router calls {@link toErrorShape}.
 *
 * @module
 */

import { type ErrorCode, ErrorCodes, type ErrorShape, errorShape } from "../protocol/errors.ts";

/** Options carried by a {@link GatewayError}. */
export interface GatewayErrorOptions {
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** An error with a wire code: what a client sees is exactly this. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message: string, opts: GatewayErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = "GatewayError";
    this.code = code;
    this.details = opts.details;
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Shorthand for `INVALID_REQUEST`. */
export function invalidRequest(message: string, details?: unknown): GatewayError {
  return new GatewayError(ErrorCodes.INVALID_REQUEST, message, { details });
}

/** Shorthand for `UNAVAILABLE`. */
export function unavailable(message: string, opts: GatewayErrorOptions = {}): GatewayError {
  return new GatewayError(ErrorCodes.UNAVAILABLE, message, opts);
}

/**
 * Maps anything thrown by a handler to the wire. Unknown errors become
 * `UNAVAILABLE` with a generic message: internals (and any secret inside an
 * exception message) never reach the client; the caller logs the original.
 */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof GatewayError) {
    return errorShape(err.code, err.message, {
      details: err.details,
      retryable: err.retryable,
      retryAfterMs: err.retryAfterMs,
    });
  }
  return errorShape(ErrorCodes.UNAVAILABLE, "internal error (see the gateway log)", {
    retryable: true,
  });
}
