/**
 * Config schemas of the HTTP surface: `gateway.http` (the OpenAI-compatible
 * endpoints, their limits, extra security headers), `gateway.tools` (what
 * `POST /tools/invoke` may run beyond its default deny list) and `hooks`
 * (webhook ingress). Key names follow `shared/spec/http.md` sections 1-4.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../../protocol/literals.ts";

const closed = { additionalProperties: false } as const;
const open = { additionalProperties: true } as const;
const Bool = Type.Optional(Type.Boolean());
const Str = Type.Optional(Type.String());
const StrList = Type.Optional(Type.Array(Type.String()));
const Bytes = Type.Optional(Type.Integer({ minimum: 1024, maximum: 512 * 1024 * 1024 }));

const Images = Type.Object({
  maxBytes: Bytes,
  maxTotalBytes: Bytes,
  maxParts: Type.Optional(Type.Integer({ minimum: 0, maximum: 64 })),
}, closed);

const Files = Type.Object({
  maxBytes: Bytes,
  maxChars: Type.Optional(Type.Integer({ minimum: 1 })),
}, closed);

/** `gateway.http`. */
export const GatewayHttpSchema = Type.Object({
  endpoints: Type.Optional(Type.Object({
    chatCompletions: Type.Optional(Type.Object({
      enabled: Bool,
      maxBodyBytes: Bytes,
      images: Type.Optional(Images),
    }, closed)),
    responses: Type.Optional(Type.Object({
      enabled: Bool,
      maxBodyBytes: Bytes,
      files: Type.Optional(Files),
      images: Type.Optional(Images),
    }, closed)),
  }, closed)),
  securityHeaders: Type.Optional(Type.Object({ strictTransportSecurity: Str }, closed)),
}, closed);

/** `gateway.tools`: the HTTP tool surface (`POST /tools/invoke`). */
export const GatewayToolsSchema = Type.Object({
  /** Tools of the default HTTP deny list to allow anyway (`exec`, `read`, ...). */
  allow: StrList,
  /** More tools to refuse over HTTP. */
  deny: StrList,
}, closed);

/** One `hooks.mappings[]` entry. */
export const HookMappingSchema = Type.Object({
  id: Str,
  match: Type.Optional(Type.Object({ path: Str, source: Str }, closed)),
  action: Type.Optional(literals(["wake", "agent"] as const)),
  name: Str,
  agentId: Str,
  sessionKey: Str,
  /** `{{payload.field}}` placeholders (agent action). */
  messageTemplate: Str,
  /** `{{payload.field}}` placeholders (wake action). */
  textTemplate: Str,
  wakeMode: Type.Optional(literals(["now", "next-heartbeat"] as const)),
  deliver: Bool,
  channel: Str,
  to: Str,
  model: Str,
  thinking: Str,
  timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  allowUnsafeExternalContent: Bool,
  /** Accepted by the schema so the start-up check can name it; not run by this build. */
  transform: Type.Optional(Type.Object({}, open)),
}, closed);

/** `hooks`. */
export const HooksSchema = Type.Object({
  enabled: Bool,
  token: Str,
  path: Str,
  maxBodyBytes: Bytes,
  allowedAgentIds: Type.Optional(Type.Union([Type.Literal("*"), Type.Array(Type.String())])),
  allowRequestSessionKey: Bool,
  allowedSessionKeyPrefixes: StrList,
  defaultSessionKey: Str,
  mappings: Type.Optional(Type.Array(HookMappingSchema)),
  /** Accepted so the start-up check can name them; not run by this build. */
  presets: StrList,
  transformsDir: Str,
  gmail: Type.Optional(Type.Object({}, open)),
}, closed);

/** `gateway.http` as read from a validated config. */
export type GatewayHttpConfig = Static<typeof GatewayHttpSchema>;
/** `gateway.tools` as read from a validated config. */
export type GatewayToolsConfig = Static<typeof GatewayToolsSchema>;
/** `hooks` as read from a validated config. */
export type HooksConfig = Static<typeof HooksSchema>;
/** One hook mapping. */
export type HookMapping = Static<typeof HookMappingSchema>;
