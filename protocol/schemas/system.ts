/**
 * `health`, `status`, `system-presence` and `system-event`.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { ConfigIssue, ConfigState } from "./config.ts";
import { PresenceEntry } from "./presence.ts";
import { literals } from "../literals.ts";

const closed = { additionalProperties: false } as const;

/** Per-channel health. Channels arrive in a later issue; the shape is fixed now. */
export const ChannelHealth = Type.Object({
  configured: Type.Boolean(),
  linked: Type.Optional(Type.Boolean()),
  running: Type.Optional(Type.Boolean()),
  connected: Type.Optional(Type.Boolean()),
  authAgeMs: Type.Optional(Type.Integer()),
  lastError: Type.Optional(Type.String()),
  probe: Type.Optional(Type.Unknown()),
}, closed);

/** The default model and whether its credential resolves (never the credential). */
export const ModelHealth = Type.Object({
  /** `provider/model`, or null when none is configured. */
  model: Type.Union([Type.String(), Type.Null()]),
  /** Where the credential comes from; `none` when it does not resolve. */
  credential: literals(["config", "env", "none"] as const),
  /** Why the model cannot be called (no credential, unknown model). */
  problem: Type.Optional(Type.String()),
}, closed);
/** The static type of {@link ModelHealth}. */
export type ModelHealth = Static<typeof ModelHealth>;

/** The full health snapshot; `openclaw health --json` prints exactly this. */
export const HealthSnapshot = Type.Object({
  ok: Type.Boolean(),
  ts: Type.Integer({ minimum: 0 }),
  durationMs: Type.Integer({ minimum: 0 }),
  version: Type.String(),
  uptimeMs: Type.Integer({ minimum: 0 }),
  channels: Type.Record(Type.String(), ChannelHealth),
  channelOrder: Type.Array(Type.String()),
  /** The channel with a linked device (`"whatsapp"` once a WhatsApp account is linked). */
  linkChannel: Type.Optional(Type.String()),
  heartbeatSeconds: Type.Integer({ minimum: 0 }),
  defaultAgentId: Type.String(),
  agents: Type.Array(Type.Object({ id: Type.String(), isDefault: Type.Boolean() }, closed)),
  sessions: Type.Object({
    path: Type.String(),
    count: Type.Integer({ minimum: 0 }),
    recent: Type.Array(Type.Object({
      key: Type.String(),
      updatedAt: Type.Optional(Type.Integer()),
    }, closed)),
  }, closed),
  config: ConfigState,
  /** The agent's default model. */
  model: Type.Optional(ModelHealth),
}, closed);
/** The static type of {@link HealthSnapshot}. */
export type HealthSnapshot = Static<typeof HealthSnapshot>;

/** Params of `health`. */
export const HealthParams = Type.Object({ probe: Type.Optional(Type.Boolean()) }, closed);
/** Result of `health`. */
export const HealthResult = HealthSnapshot;

/** Params of `status`. */
export const StatusParams = Type.Object({}, closed);
/** A short summary; path and bind details only for admins. */
export const StatusResult = Type.Object({
  ok: Type.Boolean(),
  version: Type.String(),
  runtimeVersion: Type.String(),
  pid: Type.Integer(),
  uptimeMs: Type.Integer({ minimum: 0 }),
  protocol: Type.Integer(),
  connections: Type.Integer({ minimum: 0 }),
  presenceCount: Type.Integer({ minimum: 0 }),
  authMode: Type.String(),
  channels: Type.Record(
    Type.String(),
    Type.Object({
      configured: Type.Boolean(),
      linked: Type.Optional(Type.Boolean()),
    }, closed),
  ),
  sessions: Type.Object({ count: Type.Integer({ minimum: 0 }) }, closed),
  /** The agent's default model. */
  model: Type.Optional(ModelHealth),
  config: Type.Object({
    valid: Type.Boolean(),
    issueCount: Type.Integer({ minimum: 0 }),
    /** Each problem with the file on disk (file line and key), until it is fixed. */
    issues: Type.Array(ConfigIssue),
    lastReloadError: Type.Optional(Type.String()),
  }, closed),
  gateway: Type.Optional(Type.Object({
    port: Type.Integer(),
    bind: Type.String(),
    bindHost: Type.String(),
    configPath: Type.String(),
    stateDir: Type.String(),
    logFile: Type.String(),
    /** The canvas host's own listener port, when it runs (`canvasHost.port`). */
    canvasPort: Type.Optional(Type.Integer()),
  }, closed)),
}, closed);
/** Result of `status`. */
export type StatusResult = Static<typeof StatusResult>;

/** Params of `system-presence`. */
export const SystemPresenceParams = Type.Object({}, closed);
/** Result of `system-presence`. */
export const SystemPresenceResult = Type.Array(PresenceEntry);

/** Caps of `system-event`: its fields become a presence row every operator receives. */
export const SYSTEM_EVENT_LIMITS = { name: 128, word: 64, items: 32 } as const;
const name = () => Type.String({ maxLength: SYSTEM_EVENT_LIMITS.name });
const word = () => Type.String({ maxLength: SYSTEM_EVENT_LIMITS.word });

/** A structured note posted to the gateway; updates presence and is broadcast. */
export const SystemEventParams = Type.Object({
  // Admin-only and bounded by maxPayload; the presence byte cap bounds what it adds.
  text: Type.String({ minLength: 1 }),
  deviceId: Type.Optional(name()),
  instanceId: Type.Optional(name()),
  host: Type.Optional(name()),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  mode: Type.Optional(word()),
  version: Type.Optional(word()),
  platform: Type.Optional(word()),
  deviceFamily: Type.Optional(word()),
  modelIdentifier: Type.Optional(name()),
  lastInputSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  reason: Type.Optional(word()),
  roles: Type.Optional(Type.Array(word(), { maxItems: SYSTEM_EVENT_LIMITS.items })),
  scopes: Type.Optional(Type.Array(word(), { maxItems: SYSTEM_EVENT_LIMITS.items })),
  tags: Type.Optional(Type.Array(word(), { maxItems: SYSTEM_EVENT_LIMITS.items })),
  sessionKey: Type.Optional(Type.String({ maxLength: 256 })),
  wake: Type.Optional(Type.Boolean()),
}, closed);
/** Params of `system-event`. */
export type SystemEventParams = Static<typeof SystemEventParams>;
/** Result of `system-event`. */
export const SystemEventResult = Type.Object({ ok: Type.Literal(true) }, closed);
