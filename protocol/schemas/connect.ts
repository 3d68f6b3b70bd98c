/**
 * The handshake: `connect` params and the `hello-ok` answer.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { StateVersion } from "../frames.ts";
import { literals } from "../literals.ts";
import { PresenceEntry } from "./presence.ts";
import { HealthSnapshot } from "./system.ts";

const closed = { additionalProperties: false } as const;

/**
 * Known client ids (the closed set of 2026.9.6, a superset of the protocol 3
 * one); other values fail the schema.
 */
export const CLIENT_IDS = [
  "webchat-ui",
  "openclaw-control-ui",
  "openclaw-browser-copilot",
  "openclaw-tui",
  "webchat",
  "cli",
  "gateway-client",
  "openclaw-macos",
  "openclaw-linux",
  "openclaw-ios",
  "openclaw-watchos",
  "openclaw-android",
  "node-host",
  "openclaw-worker",
  "test",
  "fingerprint",
  "openclaw-probe",
] as const;

/** Client modes. `cli` clients are not tracked in presence. */
export const CLIENT_MODES = [
  "webchat",
  "cli",
  "ui",
  "backend",
  "node",
  "worker",
  "probe",
  "test",
] as const;

/** Operator scopes; `operator.admin` allows everything, `write` implies `read`. */
export const OPERATOR_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.approvals",
  "operator.pairing",
] as const;
export type OperatorScope = typeof OPERATOR_SCOPES[number];

/**
 * Length caps of what a client says about itself. These strings become
 * presence rows every operator receives, so they are short by design.
 */
export const CONNECT_LIMITS = {
  /** `displayName`, `modelIdentifier`, `instanceId`, device ids. */
  name: 128,
  /** `version`, `platform`, `deviceFamily`, `role`, `locale`, one scope or cap. */
  word: 64,
  /** A credential (token, password, device or bootstrap token). */
  secret: 1024,
  /** `scopes`, `caps` entries. */
  items: 32,
  /** `commands` entries and `permissions` keys. */
  commands: 256,
  /** `pathEnv`. */
  pathEnv: 8192,
} as const;
const L = CONNECT_LIMITS;
const word = () => Type.String({ maxLength: L.word });

/** Who the client says it is. */
export const ConnectClient = Type.Object({
  id: literals(CLIENT_IDS),
  displayName: Type.Optional(Type.String({ maxLength: L.name })),
  version: Type.String({ maxLength: L.word }),
  /** Sent by 2026.9.6 apps; not used. */
  buildId: Type.Optional(Type.String({ maxLength: 96 })),
  platform: Type.String({ maxLength: L.word }),
  /** Self-reported IANA zone (2026.9.6 apps); not used. */
  timeZone: Type.Optional(Type.String({ maxLength: L.word })),
  deviceFamily: Type.Optional(Type.String({ maxLength: L.word })),
  modelIdentifier: Type.Optional(Type.String({ maxLength: L.name })),
  mode: literals(CLIENT_MODES),
  instanceId: Type.Optional(Type.String({ maxLength: L.name })),
}, closed);

/** Shared secret (or device credential) offered at connect. */
export const ConnectAuth = Type.Object({
  token: Type.Optional(Type.String({ maxLength: L.secret })),
  deviceToken: Type.Optional(Type.String({ maxLength: L.secret })),
  password: Type.Optional(Type.String({ maxLength: L.secret })),
  bootstrapToken: Type.Optional(Type.String({ maxLength: L.secret })),
  // 2026.9.6 runtime credentials this gateway does not issue: accepted, never honoured.
  approvalRuntimeToken: Type.Optional(Type.String({ maxLength: L.secret })),
  agentRuntimeIdentityToken: Type.Optional(Type.String({ maxLength: L.secret })),
}, closed);

/** Signed device identity (Ed25519). */
export const ConnectDevice = Type.Object({
  id: Type.String({ maxLength: L.name }),
  publicKey: Type.String({ maxLength: 1024 }),
  signature: Type.String({ maxLength: 256 }),
  signedAt: Type.Integer(),
  nonce: Type.String({ maxLength: 256 }),
}, closed);

/** Params of the first request on every socket. */
export const ConnectParams = Type.Object({
  minProtocol: Type.Integer({ minimum: 1 }),
  maxProtocol: Type.Integer({ minimum: 1 }),
  client: ConnectClient,
  role: Type.Optional(word()),
  scopes: Type.Optional(Type.Array(word(), { maxItems: L.items })),
  caps: Type.Optional(Type.Array(word(), { maxItems: L.items })),
  commands: Type.Optional(
    Type.Array(Type.String({ maxLength: L.name }), { maxItems: L.commands }),
  ),
  permissions: Type.Optional(
    Type.Record(Type.String({ maxLength: L.name }), Type.Boolean(), {
      maxProperties: L.commands,
    }),
  ),
  pathEnv: Type.Optional(Type.String({ maxLength: L.pathEnv })),
  // Declarations 2026.9.6 clients may add (computer use, worker runs, the model
  // catalog to read first): accepted so those clients connect, not acted on; the
  // 64 KiB limit on frames before connect bounds them.
  computerUse: Type.Optional(Type.Unknown()),
  workerRuns: Type.Optional(Type.Unknown()),
  modelCatalog: Type.Optional(Type.Object({
    agentId: Type.Optional(Type.String({ maxLength: L.name })),
    sessionKey: Type.Optional(Type.String({ maxLength: 512 })),
    shortId: Type.Optional(Type.String({ maxLength: L.name })),
    slugHint: Type.Optional(Type.String({ maxLength: L.name })),
  }, closed)),
  auth: Type.Optional(ConnectAuth),
  device: Type.Optional(ConnectDevice),
  locale: Type.Optional(word()),
  // Not shown to anyone; the 64 KiB limit on frames before connect bounds it.
  userAgent: Type.Optional(Type.String()),
}, closed);
export type ConnectParams = Static<typeof ConnectParams>;

/** Limits the gateway enforces on this socket. */
export const Policy = Type.Object({
  maxPayload: Type.Integer({ minimum: 1 }),
  maxBufferedBytes: Type.Integer({ minimum: 1 }),
  tickIntervalMs: Type.Integer({ minimum: 1 }),
}, closed);
export type Policy = Static<typeof Policy>;

/** State a client can render right after connecting. */
export const Snapshot = Type.Object({
  presence: Type.Array(PresenceEntry),
  health: HealthSnapshot,
  stateVersion: StateVersion,
  uptimeMs: Type.Integer({ minimum: 0 }),
  configPath: Type.Optional(Type.String()),
  stateDir: Type.Optional(Type.String()),
  sessionDefaults: Type.Optional(Type.Object({
    defaultAgentId: Type.String(),
    mainKey: Type.String(),
    mainSessionKey: Type.String(),
    scope: Type.Optional(Type.String()),
  }, closed)),
  authMode: Type.Optional(Type.Union([
    Type.Literal("none"),
    Type.Literal("token"),
    Type.Literal("password"),
    Type.Literal("trusted-proxy"),
  ])),
}, closed);
export type Snapshot = Static<typeof Snapshot>;

/** The successful answer to `connect`. */
export const HelloOk = Type.Object({
  type: Type.Literal("hello-ok"),
  protocol: Type.Integer({ minimum: 1 }),
  server: Type.Object({
    version: Type.String(),
    connId: Type.String(),
    commit: Type.Optional(Type.String()),
    host: Type.Optional(Type.String()),
  }, closed),
  features: Type.Object({
    methods: Type.Array(Type.String()),
    events: Type.Array(Type.String()),
  }, closed),
  snapshot: Snapshot,
  /** Protocol 3: the capability-scoped canvas base URL (nodes with `canvas` approved). */
  canvasHostUrl: Type.Optional(Type.String()),
  /** Protocol 4: surface name -> capability-scoped base URL (`canvas`). */
  pluginSurfaceUrls: Type.Optional(Type.Record(Type.String(), Type.String())),
  auth: Type.Object({
    role: Type.String(),
    scopes: Type.Array(Type.String()),
    deviceToken: Type.Optional(Type.String()),
    issuedAtMs: Type.Optional(Type.Integer()),
  }, closed),
  policy: Policy,
}, closed);
export type HelloOk = Static<typeof HelloOk>;
