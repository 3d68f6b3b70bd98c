/**
 * `agent` and `agent.wait`, and the `agent` event a run streams
 * (`shared/spec/agent.md` sections 3.1 and 6.1).
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../literals.ts";

const closed = { additionalProperties: false } as const;
const Str = (max = 512) => Type.Optional(Type.String({ maxLength: max }));

/** Largest message text a turn accepts (characters). */
export const MAX_MESSAGE_CHARS = 200_000;
/** Most attachments one message may carry. */
export const MAX_ATTACHMENTS = 10;

/** Thinking levels accepted on the wire (spec section 10). */
export const WIRE_THINKING_LEVELS = [
  "off",
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "adaptive",
  "max",
  "ultra",
] as const;

/** An attachment (`content` is base64). Images reach the model; other kinds are refused. */
export const Attachment = Type.Object({
  type: Str(64),
  mimeType: Str(128),
  fileName: Str(512),
  content: Type.Optional(Type.String({ maxLength: 20 * 1024 * 1024 })),
}, closed);
export type Attachment = Static<typeof Attachment>;

/** Params of `agent` (spec 3.1; internal upstream fields are not accepted). */
export const AgentParams = Type.Object({
  message: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_CHARS }),
  idempotencyKey: Type.String({ minLength: 1, maxLength: 256 }),
  agentId: Str(128),
  provider: Str(128),
  model: Str(256),
  to: Str(),
  replyTo: Str(),
  sessionId: Str(256),
  sessionKey: Str(),
  expectedExistingSessionId: Str(256),
  thinking: Type.Optional(literals(WIRE_THINKING_LEVELS)),
  deliver: Type.Optional(Type.Boolean()),
  bestEffortDeliver: Type.Optional(Type.Boolean()),
  attachments: Type.Optional(Type.Array(Attachment, { maxItems: MAX_ATTACHMENTS })),
  channel: Str(64),
  replyChannel: Str(64),
  accountId: Str(128),
  replyAccountId: Str(128),
  threadId: Str(),
  groupId: Str(),
  groupChannel: Str(),
  groupSpace: Str(),
  /** Run timeout in seconds; 0 = no limit. */
  timeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 172_800 })),
  lane: Str(64),
  cwd: Str(4096),
  promptMode: Type.Optional(literals(["full", "minimal", "none"] as const)),
  extraSystemPrompt: Str(100_000),
  bootstrapContextMode: Type.Optional(literals(["full", "lightweight"] as const)),
  label: Str(100),
  spawnedBy: Str(),
}, closed);
/** Params of `agent`. */
export type AgentParams = Static<typeof AgentParams>;

/** One reply payload of a finished run. */
const ReplyPayload = Type.Object({
  text: Type.Optional(Type.String()),
  mediaUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  mediaUrls: Type.Optional(Type.Array(Type.String())),
  isError: Type.Optional(Type.Boolean()),
}, closed);

/** Statuses of `agent` answers: the ack, then one terminal status. */
export const AGENT_STATUSES = ["accepted", "ok", "error", "timeout"] as const;

/**
 * `agent` answers twice with the same request id: the ack
 * (`status: "accepted"`), then the final result (`ok`, `error`, `timeout`).
 * A repeat of a finished key gets only the final one.
 */
export const AgentResult = Type.Object({
  runId: Type.String(),
  status: literals(AGENT_STATUSES),
  sessionKey: Type.Optional(Type.String()),
  agentId: Type.Optional(Type.String()),
  acceptedAt: Type.Optional(Type.Integer()),
  summary: Type.Optional(Type.String()),
  timeoutPhase: Type.Optional(Type.String()),
  providerStarted: Type.Optional(Type.Boolean()),
  result: Type.Optional(Type.Object({
    payloads: Type.Array(ReplyPayload),
    meta: Type.Object({
      durationMs: Type.Integer({ minimum: 0 }),
      aborted: Type.Optional(Type.Boolean()),
      modelFallbackStopReason: Type.Optional(Type.String()),
      /** `{sessionId, sessionFile, provider, model, contextTokens, usage, ...}`. */
      agentMeta: Type.Optional(Type.Unknown()),
      systemPromptReport: Type.Optional(Type.Unknown()),
    }, closed),
  }, closed)),
  error: Type.Optional(Type.Unknown()),
}, closed);
/** Result of `agent`. */
export type AgentResult = Static<typeof AgentResult>;

/** Params of `agent.wait`: wait up to `timeoutMs` (default 30 s) for a run to end. */
export const AgentWaitParams = Type.Object({
  runId: Type.String({ minLength: 1, maxLength: 256 }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
}, closed);
export type AgentWaitParams = Static<typeof AgentWaitParams>;

/** Terminal snapshot of a run; `status:"timeout"` alone when it did not end in time. */
export const AgentWaitResult = Type.Object({
  runId: Type.String(),
  status: literals(["ok", "error", "timeout", "aborted"] as const),
  startedAt: Type.Optional(Type.Integer()),
  endedAt: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String()),
  stopReason: Type.Optional(Type.String()),
  timeoutPhase: Type.Optional(Type.String()),
  providerStarted: Type.Optional(Type.Boolean()),
  terminalReply: Type.Optional(Type.Object({
    disposition: Type.String(),
    text: Type.String(),
  }, closed)),
}, closed);
export type AgentWaitResult = Static<typeof AgentWaitResult>;

/**
 * Streamed run output (`event: "agent"`): `seq` is per run and shared with
 * the `chat` events of that run. `tool` stream events go only to
 * connections that declared the `tool-events` cap.
 */
export const AgentEventPayload = Type.Object({
  runId: Type.String(),
  seq: Type.Integer({ minimum: 0 }),
  stream: Type.String(),
  ts: Type.Integer(),
  data: Type.Record(Type.String(), Type.Unknown()),
  sessionKey: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.String()),
  agentId: Type.Optional(Type.String()),
  lane: Type.Optional(Type.String()),
  spawnedBy: Type.Optional(Type.String()),
  isHeartbeat: Type.Optional(Type.Boolean()),
  session: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, closed);
export type AgentEventPayload = Static<typeof AgentEventPayload>;
