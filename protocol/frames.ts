/**
 * The three frames of the gateway protocol: request, response, event.
 *
 * Every WebSocket text message is exactly one of these JSON objects,
 * discriminated on `type`. Envelopes are closed: unknown keys are errors.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { ErrorShape } from "./errors.ts";

const closed = { additionalProperties: false } as const;

/** Client -> gateway: call `method` with `params`; answered by a `res` with the same `id`. */
export const RequestFrame = Type.Object({
  type: Type.Literal("req"),
  id: Type.String({ minLength: 1 }),
  method: Type.String({ minLength: 1 }),
  params: Type.Optional(Type.Unknown()),
}, closed);
export type RequestFrame = Static<typeof RequestFrame>;

/** Gateway -> client: the answer to the request with the same `id`. */
export const ResponseFrame = Type.Object({
  type: Type.Literal("res"),
  id: Type.String(),
  ok: Type.Boolean(),
  payload: Type.Optional(Type.Unknown()),
  error: Type.Optional(ErrorShape),
}, closed);
export type ResponseFrame = Static<typeof ResponseFrame>;

/** Monotonic counters a client uses to discard stale snapshots. */
export const StateVersion = Type.Object({
  presence: Type.Integer({ minimum: 0 }),
  health: Type.Integer({ minimum: 0 }),
}, closed);
export type StateVersion = Static<typeof StateVersion>;

/** Gateway -> client push. `seq` lets a client see a gap; targeted events carry none. */
export const EventFrame = Type.Object({
  type: Type.Literal("event"),
  event: Type.String({ minLength: 1 }),
  payload: Type.Optional(Type.Unknown()),
  seq: Type.Optional(Type.Integer({ minimum: 0 })),
  stateVersion: Type.Optional(StateVersion),
}, closed);
export type EventFrame = Static<typeof EventFrame>;

/** Any frame on the wire. */
export const GatewayFrame = Type.Union([RequestFrame, ResponseFrame, EventFrame]);
export type GatewayFrame = Static<typeof GatewayFrame>;
