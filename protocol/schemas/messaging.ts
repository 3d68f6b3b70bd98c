/**
 * `send`: deliver a message on a channel (takes an idempotency key).
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

// `agent` moved to ./agent.ts with the agent runtime; re-exported for old imports.
export { AgentEventPayload, AgentParams, AgentResult } from "./agent.ts";
