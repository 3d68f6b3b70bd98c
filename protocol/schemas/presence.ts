/**
 * Presence entries: who is connected to, or has reported to, the gateway.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

/** One presence row. Upserts merge field-wise; `roles` and `scopes` are unions. */
export const PresenceEntry = Type.Object({
  host: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  deviceFamily: Type.Optional(Type.String()),
  modelIdentifier: Type.Optional(Type.String()),
  mode: Type.Optional(Type.String()),
  lastInputSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  reason: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  text: Type.Optional(Type.String()),
  ts: Type.Integer({ minimum: 0 }),
  deviceId: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  scopes: Type.Optional(Type.Array(Type.String())),
  instanceId: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type PresenceEntry = Static<typeof PresenceEntry>;
