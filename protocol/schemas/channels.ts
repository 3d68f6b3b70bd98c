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
  /** Whether the account lets `/ready` pass (an unlinked WhatsApp account does). */
  ready: Type.Optional(Type.Boolean()),
  /** WhatsApp: credentials exist and are linked to a phone. */
  linked: Type.Optional(Type.Boolean()),
  /** WhatsApp: time since `creds.json` was last written. */
  authAgeMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** WhatsApp: the connection state (`open`, `reconnecting`, `not_linked`, `logged_out`, ...). */
  connection: Type.Optional(Type.String()),
  /** WhatsApp: consecutive failed reconnects since the last open connection. */
  reconnectAttempts: Type.Optional(Type.Integer({ minimum: 0 })),
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

const AccountId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$" });

/** Params of `web.login.start`: starts linking a WhatsApp account by QR code. */
export const WebLoginStartParams = Type.Object({
  accountId: Type.Optional(AccountId),
  /** Unlink an account that is already linked, then link again. */
  force: Type.Optional(Type.Boolean()),
  /** How long to wait for the first QR code (default 30 s). */
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 300_000 })),
  /** Accepted for compatibility; more detail goes to the gateway log. */
  verbose: Type.Optional(Type.Boolean()),
}, closed);
/** Result of `web.login.start`. */
export const WebLoginStartResult = Type.Object({
  /** `data:image/png;base64,...`; absent when already linked or no QR came in time. */
  qrDataUrl: Type.Optional(Type.String()),
  /** The raw QR text (terminals render it with any QR tool, e.g. `qrcode-terminal`). */
  qr: Type.Optional(Type.String()),
  message: Type.String(),
}, closed);

/** Params of `web.login.wait`: waits until the phone scanned the QR and the account is connected. */
export const WebLoginWaitParams = Type.Object({
  accountId: Type.Optional(AccountId),
  /** Default 120 s. */
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 600_000 })),
  verbose: Type.Optional(Type.Boolean()),
}, closed);
/** Result of `web.login.wait`. */
export const WebLoginWaitResult = Type.Object({
  connected: Type.Boolean(),
  message: Type.String(),
}, closed);

/** Params of `channels.logout`: unlinks an account and deletes its credentials. */
export const ChannelsLogoutParams = Type.Object({
  channel: Channel,
  accountId: Type.Optional(AccountId),
}, closed);
/** Result of `channels.logout`. */
export const ChannelsLogoutResult = Type.Object({
  channel: Type.String(),
  accountId: Type.String(),
  /** False when the account was not linked (nothing to remove). */
  loggedOut: Type.Boolean(),
  message: Type.String(),
}, closed);
