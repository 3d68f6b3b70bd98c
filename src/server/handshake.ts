/**
 * Decides a `connect`: protocol negotiation, role, and shared-secret auth with
 * the failure limiter. Returns a verdict; the session acts on it.
 *
 * @module
 */

import { ErrorCodes, type ErrorShape, errorShape } from "../../protocol/errors.ts";
import type { ConnectParams } from "../../protocol/schemas/connect.ts";
import { MAX_PROTOCOL, MIN_PROTOCOL, negotiateProtocol } from "../../protocol/version.ts";
import {
  type AuthFailure,
  type AuthRateLimiter,
  type AuthSettings,
  checkSharedSecret,
} from "./auth.ts";
import type { Role } from "./scopes.ts";

/** WebSocket close codes the handshake uses. */
export const CloseCodes = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  SERVICE_RESTART: 1012,
} as const;

/** An accepted connect. */
export interface Accepted {
  ok: true;
  protocol: number;
  role: Role;
  scopes: string[];
  /** A verified, paired device and the token `hello-ok.auth.deviceToken` carries. */
  device?: { deviceId: string; token: string; issuedAtMs: number };
}

/** A refused connect: answer with `error`, then close with `closeCode`. */
export interface Refused {
  ok: false;
  error: ErrorShape;
  closeCode: number;
  closeReason: string;
}

/** What the decision needs besides the params. */
export interface HandshakeDeps {
  auth: AuthSettings;
  limiter: AuthRateLimiter;
  remoteIp: string;
  /** The socket came from a web page (it sent `Origin`): limited even on loopback. */
  browser?: boolean;
  /** The connect carried a valid device token for its device: it stands in for the shared secret. */
  deviceTokenValid?: boolean;
}

/** WebSocket close reasons are at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  return new TextDecoder().decode(bytes.subarray(0, 120)).replace(/\uFFFD$/, "") + "...";
}

function refuse(error: ErrorShape, closeCode: number, reason = error.message): Refused {
  return { ok: false, error, closeCode, closeReason: closeReason(reason) };
}

/**
 * `shared`, unless it says the secret is missing while a device token (that
 * did not check out) was offered: that is a guess, counted by the limiter
 * like a wrong secret; as "missing" it would not count and could be tried
 * forever.
 */
function deviceTokenGuess(
  auth: ConnectParams["auth"],
  shared: AuthFailure | undefined,
): AuthFailure | undefined {
  if (!shared?.code.endsWith("_MISSING") || !auth?.deviceToken) return shared;
  return {
    code: "AUTH_DEVICE_TOKEN_MISMATCH",
    message: "unauthorized: device token mismatch (pair this device again, or connect with " +
      "the gateway token)",
    counts: true,
    recommendedNextStep: "update_auth_credentials",
  };
}

/** Decides whether a validated `connect` is accepted. */
export function decideConnect(params: ConnectParams, deps: HandshakeDeps): Accepted | Refused {
  const protocol = negotiateProtocol(params.minProtocol, params.maxProtocol);
  if (protocol === undefined) {
    return refuse(
      errorShape(ErrorCodes.INVALID_REQUEST, "protocol mismatch", {
        details: {
          expectedProtocol: MAX_PROTOCOL,
          supported: { min: MIN_PROTOCOL, max: MAX_PROTOCOL },
          offered: { min: params.minProtocol, max: params.maxProtocol },
        },
      }),
      1002,
    );
  }
  const role = params.role ?? "operator";
  if (role !== "operator" && role !== "node") {
    return refuse(
      errorShape(ErrorCodes.INVALID_REQUEST, `invalid role "${role}" (use "operator" or "node")`),
      1008,
      "invalid role",
    );
  }
  // Only a device token offered: judged (and locked out) under its own key,
  // so a node host retrying a stale token never locks out the shared secret.
  const tokenOnly = !!params.auth?.deviceToken && !params.auth.token && !params.auth.password;
  const from = { browser: deps.browser, deviceToken: tokenOnly };
  const locked = deps.limiter.retryAfterMs(deps.remoteIp, from);
  if (locked > 0) {
    return refuse(
      errorShape(
        ErrorCodes.INVALID_REQUEST,
        `unauthorized: too many failed attempts from ${deps.remoteIp}; retry in ${
          Math.ceil(locked / 1000)
        } s`,
        {
          details: { code: "AUTH_RATE_LIMITED", recommendedNextStep: "wait_then_retry" },
          retryable: true,
          retryAfterMs: locked,
        },
      ),
      1008,
    );
  }
  const failure = deps.deviceTokenValid
    ? undefined
    : deviceTokenGuess(params.auth, checkSharedSecret(params.auth, deps.auth));
  if (failure) {
    if (failure.counts) deps.limiter.recordFailure(deps.remoteIp, from);
    return refuse(
      errorShape(ErrorCodes.INVALID_REQUEST, failure.message, {
        details: {
          code: failure.code,
          canRetryWithDeviceToken: false,
          recommendedNextStep: failure.recommendedNextStep,
        },
      }),
      1008,
    );
  }
  deps.limiter.recordSuccess(deps.remoteIp, from);
  // Nodes hold no operator scopes; operators get what they asked for, as the
  // holder of the shared secret (or any client when auth is off on loopback).
  const scopes = role === "node" ? [] : [...new Set(params.scopes ?? [])];
  return { ok: true, protocol, role, scopes };
}
