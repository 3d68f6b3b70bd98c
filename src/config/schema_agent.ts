/**
 * Config schemas of the agent runtime: `models` (providers and their
 * models), `agents` (defaults and per-agent entries), `tools` (policy),
 * `session` (keys and resets) and `messages` (reply prefix, queueing).
 *
 * Key names follow the spec (`shared/spec/agent.md` sections 2, 5, 7, 8).
 * Objects are closed where the spec pins the keys down, so a typo is an
 * error naming the key; sections the spec leaves open-ended (per-model
 * params, heartbeat, provider request shaping) stay open until a feature
 * owns them.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../../protocol/literals.ts";
import { WIRE_THINKING_LEVELS } from "../../protocol/schemas/agent.ts";

const closed = { additionalProperties: false } as const;
const open = { additionalProperties: true } as const;
const Bool = Type.Optional(Type.Boolean());
const Str = Type.Optional(Type.String());
const StrList = Type.Optional(Type.Array(Type.String()));
const NonNegInt = Type.Optional(Type.Integer({ minimum: 0 }));
const PosInt = Type.Optional(Type.Integer({ minimum: 1 }));
const NonNeg = Type.Optional(Type.Number({ minimum: 0 }));

/** Wire protocols this gateway implements. */
export const MODEL_APIS = ["openai-completions", "anthropic-messages", "ollama"] as const;

/**
 * Every `api` value the spec names (2.1). The others are accepted in the file
 * so a config written for the real gateway still loads; a model using one
 * fails when called, naming the supported values.
 */
export const CONFIG_MODEL_APIS = [
  ...MODEL_APIS,
  "openai-responses",
  "openai-chatgpt-responses",
  "google-generative-ai",
  "google-vertex",
  "github-copilot",
  "bedrock-converse-stream",
  "pi-messages",
  "azure-openai-responses",
] as const;

/** Thinking levels (spec section 10): the wire's list, one definition. */
export const THINKING_LEVELS = WIRE_THINKING_LEVELS;

/** Exec host policies (`tools.exec.mode`). */
export const EXEC_MODES = ["deny", "allowlist", "ask", "auto", "full"] as const;

/** Tool profiles (`tools.profile`). */
export const TOOL_PROFILES = ["minimal", "coding", "messaging", "full"] as const;

/** Queue modes for messages arriving during a run (`messages.queue.mode`). */
export const QUEUE_MODES = ["steer", "followup", "collect", "interrupt"] as const;

const Cost = Type.Object({
  input: NonNeg,
  output: NonNeg,
  cacheRead: NonNeg,
  cacheWrite: NonNeg,
  tieredPricing: Type.Optional(Type.Unknown()),
}, closed);

/** One model of a provider (`models.providers.<id>.models[]`). */
export const ModelEntrySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  api: Type.Optional(literals(CONFIG_MODEL_APIS)),
  baseUrl: Str,
  reasoning: Bool,
  input: Type.Optional(Type.Array(literals(["text", "image", "video", "audio"] as const))),
  cost: Type.Optional(Cost),
  contextWindow: PosInt,
  contextTokens: PosInt,
  maxTokens: PosInt,
  thinkingLevelMap: Type.Optional(Type.Object({}, open)),
  params: Type.Optional(Type.Object({}, open)),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  compat: Type.Optional(Type.Object({}, open)),
}, closed);

/** One provider (`models.providers.<id>`). */
export const ProviderEntrySchema = Type.Object({
  baseUrl: Str,
  apiKey: Str,
  auth: Type.Optional(literals(["api-key", "aws-sdk", "oauth", "token"] as const)),
  api: Type.Optional(literals(CONFIG_MODEL_APIS)),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  authHeader: Bool,
  maxTokens: PosInt,
  /** Idle watchdog for a model stream, seconds. */
  timeoutSeconds: PosInt,
  params: Type.Optional(Type.Object({}, open)),
  request: Type.Optional(Type.Object({ allowPrivateNetwork: Bool }, open)),
  models: Type.Optional(Type.Array(ModelEntrySchema)),
}, closed);

/** `models`. */
export const ModelsSchema = Type.Object({
  mode: Type.Optional(literals(["merge", "replace"] as const)),
  providers: Type.Optional(Type.Record(Type.String(), ProviderEntrySchema)),
  catalogRefresh: Type.Optional(Type.Object({ enabled: Bool, url: Str }, closed)),
}, closed);

/** A model choice: `"provider/model"` or `{primary, fallbacks}`. */
export const ModelChoiceSchema = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({
    primary: Type.String({ minLength: 1 }),
    fallbacks: StrList,
  }, closed),
]);

const Compaction = Type.Object({
  mode: Type.Optional(literals(["default", "safeguard"] as const)),
  reserveTokens: NonNegInt,
  keepRecentTokens: NonNegInt,
  maxActiveTranscriptBytes: PosInt,
  midTurnPrecheck: Bool,
  enabled: Bool,
}, closed);

const ExecConfig = Type.Object({
  mode: Type.Optional(literals(EXEC_MODES)),
  timeoutSeconds: PosInt,
  approvalTimeoutSeconds: PosInt,
  allowlist: StrList,
  /** Milliseconds before a foreground command moves to the background. */
  yieldMs: NonNegInt,
  /** Characters of output kept per command. */
  maxOutputChars: PosInt,
}, closed);

/** `tools` (also allowed per agent entry). */
export const ToolsSchema = Type.Object({
  profile: Type.Optional(literals(TOOL_PROFILES)),
  allow: StrList,
  deny: StrList,
  alsoAllow: StrList,
  exec: Type.Optional(ExecConfig),
  fs: Type.Optional(Type.Object({ workspaceOnly: Bool }, closed)),
  web: Type.Optional(Type.Object({
    fetch: Type.Optional(Type.Object({
      enabled: Bool,
      maxChars: Type.Optional(Type.Integer({ minimum: 100 })),
      allowPrivateNetwork: Bool,
      timeoutSeconds: PosInt,
      maxBytes: PosInt,
      maxRedirects: NonNegInt,
    }, closed)),
  }, closed)),
}, closed);

/** `agents.defaults`. */
export const AgentDefaultsSchema = Type.Object({
  model: Type.Optional(ModelChoiceSchema),
  /** Aliases and per-model params, keyed by `provider/model`. */
  models: Type.Optional(Type.Record(Type.String(), Type.Object({}, open))),
  modelPolicy: Type.Optional(Type.Object({}, open)),
  workspace: Str,
  /** Run timeout; 0 = unlimited. */
  timeoutSeconds: NonNegInt,
  maxConcurrent: PosInt,
  bootstrapMaxChars: NonNegInt,
  bootstrapTotalMaxChars: NonNegInt,
  skipBootstrap: Bool,
  thinkingDefault: Type.Optional(literals(THINKING_LEVELS)),
  compaction: Type.Optional(Compaction),
  heartbeat: Type.Optional(Type.Object({}, open)),
}, closed);

/** One configured agent (`agents.list[]`, or `agents.entries.<id>` without `id`). */
export const AgentEntrySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  name: Str,
  default: Bool,
  workspace: Str,
  model: Type.Optional(ModelChoiceSchema),
  thinkingDefault: Type.Optional(literals(THINKING_LEVELS)),
  tools: Type.Optional(ToolsSchema),
}, closed);

/** `agents`. */
export const AgentsSchema = Type.Object({
  defaults: Type.Optional(AgentDefaultsSchema),
  list: Type.Optional(Type.Array(AgentEntrySchema)),
  entries: Type.Optional(Type.Record(Type.String(), Type.Partial(AgentEntrySchema))),
}, closed);

const ResetPolicy = Type.Object({
  mode: Type.Optional(literals(["none", "daily", "idle"] as const)),
  atHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
  idleMinutes: PosInt,
}, closed);

/** `session`. */
export const SessionSchema = Type.Object({
  mainKey: Str,
  scope: Type.Optional(literals(["per-sender", "global"] as const)),
  dmScope: Type.Optional(
    literals(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"] as const),
  ),
  groupScope: Type.Optional(literals(["per-group", "main"] as const)),
  reset: Type.Optional(ResetPolicy),
  resetByType: Type.Optional(Type.Record(Type.String(), ResetPolicy)),
  resetByChannel: Type.Optional(Type.Record(Type.String(), ResetPolicy)),
}, closed);

/** `messages`. */
export const MessagesSchema = Type.Object({
  responsePrefix: Str,
  queue: Type.Optional(Type.Object({
    mode: Type.Optional(literals(QUEUE_MODES)),
    debounceMs: NonNegInt,
    cap: PosInt,
    drop: Type.Optional(literals(["summarize", "old", "new"] as const)),
  }, closed)),
}, closed);

/** `models` as read from a validated config. */
export type ModelsConfig = Static<typeof ModelsSchema>;
/** One provider of `models.providers`. */
export type ProviderConfig = Static<typeof ProviderEntrySchema>;
/** One model of a provider. */
export type ModelConfig = Static<typeof ModelEntrySchema>;
/** `"provider/model"` or `{primary, fallbacks}`. */
export type ModelChoice = Static<typeof ModelChoiceSchema>;
/** `agents` as read from a validated config. */
export type AgentsConfig = Static<typeof AgentsSchema>;
/** `tools` as read from a validated config. */
export type ToolsConfig = Static<typeof ToolsSchema>;
/** `session` as read from a validated config. */
export type SessionConfig = Static<typeof SessionSchema>;
/** `messages` as read from a validated config. */
export type MessagesConfig = Static<typeof MessagesSchema>;
