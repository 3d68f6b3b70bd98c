/**
 * `send` and `agent`: the side-effecting methods that take an idempotency key.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;

/** Params of `send`. */
export const SendParams = Type.Object({
  to: Type.String({ minLength: 1 }),
  message: Type.Optional(Type.String()),
  mediaUrl: Type.Optional(Type.String()),
  mediaUrls: Type.Optional(Type.Array(Type.String())),
  gifPlayback: Type.Optional(Type.Boolean()),
  channel: Type.Optional(Type.String()),
  accountId: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
  idempotencyKey: Type.String({ minLength: 1 }),
}, closed);
/** Params of `send`. */
export type SendParams = Static<typeof SendParams>;

/** Result of `send`. */
export const SendResult = Type.Object({
  runId: Type.String(),
  messageId: Type.String(),
  channel: Type.String(),
  chatId: Type.Optional(Type.String()),
  toJid: Type.Optional(Type.String()),
  channelId: Type.Optional(Type.String()),
  conversationId: Type.Optional(Type.String()),
}, closed);

/** Params of `agent`. */
export const AgentParams = Type.Object({
  message: Type.String(),
  agentId: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  replyTo: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
  thinking: Type.Optional(Type.String()),
  deliver: Type.Optional(Type.Boolean()),
  bestEffortDeliver: Type.Optional(Type.Boolean()),
  attachments: Type.Optional(Type.Array(Type.Unknown())),
  channel: Type.Optional(Type.String()),
  replyChannel: Type.Optional(Type.String()),
  accountId: Type.Optional(Type.String()),
  replyAccountId: Type.Optional(Type.String()),
  threadId: Type.Optional(Type.String()),
  groupId: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.Integer({ minimum: 0 })),
  lane: Type.Optional(Type.String()),
  extraSystemPrompt: Type.Optional(Type.String()),
  label: Type.Optional(Type.String()),
  spawnedBy: Type.Optional(Type.String()),
  idempotencyKey: Type.String({ minLength: 1 }),
}, closed);
/** Params of `agent`. */
export type AgentParams = Static<typeof AgentParams>;

/**
 * `agent` answers twice with the same request id: first an ack
 * (`status: "accepted"`), then the final result (`ok` or `error`).
 */
export const AgentResult = Type.Object({
  runId: Type.String(),
  status: Type.Union([Type.Literal("accepted"), Type.Literal("ok"), Type.Literal("error")]),
  acceptedAt: Type.Optional(Type.Integer()),
  summary: Type.Optional(Type.String()),
  result: Type.Optional(Type.Object({
    payloads: Type.Array(Type.Object({
      text: Type.Optional(Type.String()),
      mediaUrl: Type.Optional(Type.String()),
      mediaUrls: Type.Optional(Type.Array(Type.String())),
    }, closed)),
    meta: Type.Object({
      durationMs: Type.Integer({ minimum: 0 }),
      agentMeta: Type.Optional(Type.Unknown()),
    }, closed),
  }, closed)),
  error: Type.Optional(Type.Unknown()),
}, closed);

/** Streamed agent output (`event: "agent"`). */
export const AgentEventPayload = Type.Object({
  runId: Type.String(),
  seq: Type.Integer({ minimum: 0 }),
  stream: Type.String(),
  ts: Type.Integer(),
  data: Type.Record(Type.String(), Type.Unknown()),
  sessionKey: Type.Optional(Type.String()),
}, closed);
