/**
 * The config file's schema: strict (unknown keys are errors) so typos are
 * caught at start and on reload, naming the key.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../../protocol/literals.ts";
import { TelegramConfig } from "../channels/telegram/config.ts";
import { WhatsAppConfig } from "../channels/whatsapp/config.ts";
import {
  AgentsSchema,
  MessagesSchema,
  ModelsSchema,
  SessionSchema,
  ToolsSchema,
} from "./schema_agent.ts";
import { GatewayHttpSchema, GatewayToolsSchema, HooksSchema } from "./schema_http.ts";

const closed = { additionalProperties: false } as const;
const open = { additionalProperties: true } as const;
const Bool = Type.Optional(Type.Boolean());
const Str = Type.Optional(Type.String());
const Port = Type.Integer({ minimum: 0, maximum: 65535 });

/** Bind modes: loopback (127.0.0.1), lan (0.0.0.0), custom (`gateway.customBindHost`). */
export const BIND_MODES = ["loopback", "lan", "custom", "auto"] as const;
export type BindMode = typeof BIND_MODES[number];
/** Auth modes of the control plane. */
export const AUTH_MODES = ["token", "password", "none"] as const;
export type AuthMode = typeof AUTH_MODES[number];
/** What a config file change does. */
export const RELOAD_MODES = ["hybrid", "hot", "restart", "off"] as const;
export type ReloadMode = typeof RELOAD_MODES[number];
/** Log levels, most verbose first. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = typeof LOG_LEVELS[number];

const RateLimit = Type.Object({
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1 })),
  windowMs: Type.Optional(Type.Integer({ minimum: 1 })),
  lockoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  exemptLoopback: Bool,
}, closed);

const Gateway = Type.Object({
  mode: Type.Optional(literals(["local", "remote"] as const)),
  port: Type.Optional(Port),
  bind: Type.Optional(literals(BIND_MODES)),
  customBindHost: Str,
  auth: Type.Optional(Type.Object({
    mode: Type.Optional(literals(AUTH_MODES)),
    token: Str,
    password: Str,
    rateLimit: Type.Optional(RateLimit),
  }, closed)),
  trustedProxies: Type.Optional(Type.Array(Type.String())),
  tls: Type.Optional(Type.Object({
    enabled: Bool,
    certPath: Str,
    keyPath: Str,
  }, closed)),
  reload: Type.Optional(Type.Object({
    mode: Type.Optional(literals(RELOAD_MODES)),
    debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
  }, closed)),
  controlUi: Type.Optional(Type.Object({
    enabled: Bool,
    basePath: Str,
    allowedOrigins: Type.Optional(Type.Array(Type.String())),
  }, closed)),
  http: Type.Optional(GatewayHttpSchema),
  tools: Type.Optional(GatewayToolsSchema),
  nodes: Type.Optional(Type.Object({
    allowCommands: Type.Optional(Type.Array(Type.String())),
    denyCommands: Type.Optional(Type.Array(Type.String())),
    pairing: Type.Optional(Type.Object({
      autoApproveLocal: Bool,
      /** First-time node devices from these ranges pair without an operator. */
      autoApproveCidrs: Type.Optional(Type.Array(Type.String(), { maxItems: 64 })),
    }, closed)),
  }, closed)),
  remote: Type.Optional(Type.Object({ url: Str, token: Str, password: Str }, closed)),
}, closed);

/**
 * The whole config file. Sections owned by later features (channels, web)
 * accept their own keys until those features pin them down; the agent
 * sections (models, agents, tools, session, messages) live in
 * `schema_agent.ts`, the HTTP ones (gateway.http, gateway.tools, hooks) in
 * `schema_http.ts`; everything else is closed.
 */
export const ConfigSchema = Type.Object({
  $schema: Str,
  meta: Type.Optional(Type.Object({}, open)),
  gateway: Type.Optional(Gateway),
  canvasHost: Type.Optional(Type.Object({
    enabled: Bool,
    root: Str,
    /** The canvas host's own port (default gateway port + 4; 0 = any free port). */
    port: Type.Optional(Port),
    /** `/__openclaw__/ws` reload socket and the page's reload client (default true). */
    liveReload: Bool,
  }, closed)),
  commands: Type.Optional(Type.Object({ restart: Bool }, closed)),
  logging: Type.Optional(Type.Object({
    level: Type.Optional(literals(LOG_LEVELS)),
    file: Str,
  }, closed)),
  hooks: Type.Optional(HooksSchema),
  models: Type.Optional(ModelsSchema),
  agents: Type.Optional(AgentsSchema),
  tools: Type.Optional(ToolsSchema),
  // Telegram's and WhatsApp's keys are closed; channels still to come accept their own keys.
  channels: Type.Optional(Type.Object(
    {
      // Folders `send` may upload local files from, besides the workspaces (src/channels/send_media.ts).
      mediaLocalRoots: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), {
        maxItems: 64,
      })),
      telegram: Type.Optional(TelegramConfig),
      whatsapp: Type.Optional(WhatsAppConfig),
    },
    { additionalProperties: Type.Object({}, open) },
  )),
  session: Type.Optional(SessionSchema),
  messages: Type.Optional(MessagesSchema),
  web: Type.Optional(Type.Object({}, open)),
}, closed);
export type GatewayConfig = Static<typeof ConfigSchema>;
