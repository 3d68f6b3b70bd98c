/**
 * Error codes and the error shape carried by `res` frames.
 *
 * The set of codes is closed; details such as `details.code` for auth
 * failures refine them without adding codes.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "./literals.ts";

/** The complete set of wire error codes. */
export const ErrorCodes = {
  /** A channel (WhatsApp Web) is not linked. */
  NOT_LINKED: "NOT_LINKED",
  /** Device or node pairing is required. */
  NOT_PAIRED: "NOT_PAIRED",
  /** An agent run passed its deadline. */
  AGENT_TIMEOUT: "AGENT_TIMEOUT",
  /** A policy said no. */
  FORBIDDEN: "FORBIDDEN",
  /** Bad frame, bad params, failed auth, missing scope, unknown method, protocol mismatch. */
  INVALID_REQUEST: "INVALID_REQUEST",
  /** Shutting down, a dependency is down, or a handler failed. */
  UNAVAILABLE: "UNAVAILABLE",
} as const;

/** One of {@link ErrorCodes}. */
export type ErrorCode = typeof ErrorCodes[keyof typeof ErrorCodes];

/** `details.code` values of a failed `connect`. */
export const AuthFailureCodes = [
  "AUTH_REQUIRED",
  "AUTH_UNAUTHORIZED",
  "AUTH_TOKEN_MISSING",
  "AUTH_TOKEN_MISMATCH",
  "AUTH_TOKEN_NOT_CONFIGURED",
  "AUTH_PASSWORD_MISSING",
  "AUTH_PASSWORD_MISMATCH",
  "AUTH_PASSWORD_NOT_CONFIGURED",
  "AUTH_DEVICE_TOKEN_MISMATCH",
  "AUTH_RATE_LIMITED",
] as const;
export type AuthFailureCode = typeof AuthFailureCodes[number];

/** The `error` object of a failed `res`. */
export const ErrorShape = Type.Object({
  code: literals(Object.values(ErrorCodes)),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
  retryable: Type.Optional(Type.Boolean()),
  retryAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: false });
export type ErrorShape = Static<typeof ErrorShape>;

/** Builds an {@link ErrorShape}, leaving out empty optional fields. */
export function errorShape(
  code: ErrorCode,
  message: string,
  opts: { details?: unknown; retryable?: boolean; retryAfterMs?: number } = {},
): ErrorShape {
  const shape: ErrorShape = { code, message };
  if (opts.details !== undefined) shape.details = opts.details;
  if (opts.retryable !== undefined) shape.retryable = opts.retryable;
  if (opts.retryAfterMs !== undefined) {
    shape.retryAfterMs = Math.max(0, Math.ceil(opts.retryAfterMs));
  }
  return shape;
}
