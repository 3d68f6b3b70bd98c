/**
 * `channels.status` and the DM pairing methods the control UI and
 * `openclaw pairing` use.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;
const Bot = Type.Object({ id: Type.String(), username: Type.Optional(Type.String()) }, closed);

/** Params of `channels.status`. */
export const ChannelsStatusParams = Type.Object({
  probe: Type.Optional(Type.Boolean()),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
}, closed);

/** One channel account's state. */
export const ChannelAccountStatus = Type.Object({
  accountId: Type.String(),
  enabled: Type.Boolean(),
  configured: Type.Boolean(),
  state: Type.String(),
  running: Type.Boolean(),
  connected: Type.Boolean(),
  mode: Type.Optional(Type.String()),
  lastError: Type.Optional(Type.String()),
  fatal: Type.Optional(Type.Boolean()),
  restartAttempts: Type.Integer({ minimum: 0 }),
  lastInboundAt: Type.Optional(Type.Integer()),
  lastOutboundAt: Type.Optional(Type.Integer()),
  bot: Type.Optional(Bot),
  probe: Type.Optional(Type.Object({
    ok: Type.Boolean(),
    error: Type.Optional(Type.String()),
    bot: Type.Optional(Bot),
  }, closed)),
}, closed);

/** One channel's state. */
export const ChannelStatus = Type.Object({
  configured: Type.Boolean(),
  running: Type.Boolean(),
  connected: Type.Boolean(),
  lastError: Type.Optional(Type.String()),
  accounts: Type.Array(ChannelAccountStatus),
}, closed);

/** Result of `channels.status`. */
export const ChannelsStatusResult = Type.Object({
  ts: Type.Integer({ minimum: 0 }),
  channelOrder: Type.Array(Type.String()),
  channels: Type.Record(Type.String(), ChannelStatus),
}, closed);
/** Result of `channels.status`. */
export type ChannelsStatusResult = Static<typeof ChannelsStatusResult>;

/** A pending DM pairing request. */
export const PairingRequest = Type.Object({
  channel: Type.String(),
  accountId: Type.String(),
  senderId: Type.String(),
  code: Type.String(),
  createdAt: Type.Integer(),
  lastSeenAt: Type.Integer(),
  meta: Type.Optional(Type.Object({
    name: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
  }, closed)),
}, closed);

/** Params of `channels.pairing.list`. */
export const ChannelsPairingListParams = Type.Object({
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, closed);
/** Result of `channels.pairing.list`. */
export const ChannelsPairingListResult = Type.Object({
  requests: Type.Array(PairingRequest),
}, closed);

const Code = Type.String({ minLength: 1, maxLength: 32 });
const Channel = Type.String({ minLength: 1, maxLength: 64 });

/** Params of `channels.pairing.approve`. */
export const ChannelsPairingApproveParams = Type.Object({
  channel: Channel,
  code: Code,
  accountId: Type.Optional(Type.String({ maxLength: 64 })),
  /** Tell the sender they were approved. */
  notify: Type.Optional(Type.Boolean()),
}, closed);
/** Params of `channels.pairing.approve`. */
export type ChannelsPairingApproveParams = Static<typeof ChannelsPairingApproveParams>;
/** Result of `channels.pairing.approve`. */
export const ChannelsPairingApproveResult = Type.Object({
  channel: Type.String(),
  accountId: Type.String(),
  senderId: Type.String(),
  notified: Type.Boolean(),
}, closed);

/** Params of `channels.pairing.dismiss`. */
export const ChannelsPairingDismissParams = Type.Object({ channel: Channel, code: Code }, closed);
/** Result of `channels.pairing.dismiss`. */
export const ChannelsPairingDismissResult = Type.Object({ removed: Type.Boolean() }, closed);
