/**
 * Devices: pairing of Ed25519 device identities and their device tokens.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;
const Str = Type.Optional(Type.String());
const Id = Type.String({ minLength: 1, maxLength: 128 });

const DeviceFields = {
  deviceId: Type.String(),
  publicKey: Type.String(),
  displayName: Str,
  platform: Type.String(),
  deviceFamily: Str,
  clientId: Type.String(),
  clientMode: Type.String(),
  role: Type.String(),
  roles: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
};

/** A device waiting for an operator (expires after 5 minutes). */
export const DevicePairPending = Type.Object({
  requestId: Type.String(),
  ...DeviceFields,
  silent: Type.Boolean(),
  isRepair: Type.Boolean(),
  ts: Type.Integer(),
}, closed);
/** The static type of {@link DevicePairPending}. */
export type DevicePairPending = Static<typeof DevicePairPending>;

/** A device token as operators see it (the token itself is never shown again). */
export const DeviceTokenInfo = Type.Object({
  role: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAtMs: Type.Integer(),
  rotatedAtMs: Type.Optional(Type.Integer()),
  lastUsedAtMs: Type.Optional(Type.Integer()),
}, closed);

/** A paired device. */
export const DevicePaired = Type.Object({
  ...DeviceFields,
  approvedVia: Type.Union([Type.Literal("silent"), Type.Literal("owner")]),
  createdAtMs: Type.Integer(),
  approvedAtMs: Type.Integer(),
  lastSeenAtMs: Type.Optional(Type.Integer()),
  lastSeenReason: Str,
  /** The name an operator gave it (`device.pair.rename`). */
  operatorLabel: Str,
  connected: Type.Optional(Type.Boolean()),
  tokens: Type.Array(DeviceTokenInfo),
}, closed);

/** Params of `device.pair.list`. */
export const DevicePairListParams = Type.Object({}, closed);
/** Result of `device.pair.list`. */
export const DevicePairListResult = Type.Object({
  pending: Type.Array(DevicePairPending),
  paired: Type.Array(DevicePaired),
}, closed);

/** Params of `device.pair.approve` and `device.pair.reject`. */
export const DevicePairRequestParams = Type.Object({ requestId: Id }, closed);
/** Result of `device.pair.approve`. */
export const DevicePairApproveResult = Type.Object({
  requestId: Type.String(),
  device: DevicePaired,
}, closed);
/** Result of `device.pair.reject`. */
export const DevicePairRejectResult = Type.Object({
  requestId: Type.String(),
  deviceId: Type.String(),
}, closed);

/** Params of `device.pair.remove`. */
export const DevicePairRemoveParams = Type.Object({ deviceId: Id }, closed);
/** Result of `device.pair.remove`. */
export const DevicePairRemoveResult = Type.Object({
  deviceId: Type.String(),
  removed: Type.Literal(true),
}, closed);

/** Params of `device.pair.rename`. */
export const DevicePairRenameParams = Type.Object({
  deviceId: Id,
  label: Type.String({ minLength: 1, maxLength: 64 }),
}, closed);
/** Result of `device.pair.rename`. */
export const DevicePairRenameResult = Type.Object({
  deviceId: Type.String(),
  label: Type.String(),
}, closed);
/** `device.pair.changed` broadcast: re-read `device.pair.list`. */
export const DevicePairChangedPayload = Type.Object({}, closed);

/** Params of `device.token.rotate`. */
export const DeviceTokenRotateParams = Type.Object({
  deviceId: Id,
  role: Type.Union([Type.Literal("operator"), Type.Literal("node")]),
  scopes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 })),
}, closed);
/** Result of `device.token.rotate`: the only time the new token is shown. */
export const DeviceTokenRotateResult = Type.Object({
  deviceId: Type.String(),
  role: Type.String(),
  scopes: Type.Array(Type.String()),
  token: Type.String(),
  issuedAtMs: Type.Integer(),
}, closed);

/** Params of `device.token.revoke`. */
export const DeviceTokenRevokeParams = Type.Object({
  deviceId: Id,
  role: Type.Union([Type.Literal("operator"), Type.Literal("node")]),
}, closed);
/** Result of `device.token.revoke`. */
export const DeviceTokenRevokeResult = Type.Object({
  deviceId: Type.String(),
  role: Type.String(),
  revoked: Type.Literal(true),
}, closed);

/** `device.pair.resolved` broadcast. */
export const DevicePairResolvedPayload = Type.Object({
  requestId: Type.String(),
  deviceId: Type.String(),
  decision: Type.Union([
    Type.Literal("approved"),
    Type.Literal("rejected"),
    Type.Literal("expired"),
  ]),
  ts: Type.Integer(),
}, closed);
