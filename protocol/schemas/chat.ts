/**
 * `chat.send`, `chat.history`, `chat.abort`, `chat.inject` and the `chat`
 * event (`shared/spec/agent.md` sections 3.2 and 6.2).
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../literals.ts";
import { Attachment, MAX_ATTACHMENTS, MAX_MESSAGE_CHARS, WIRE_THINKING_LEVELS } from "./agent.ts";

const closed = { additionalProperties: false } as const;
const Str = (max = 512) => Type.Optional(Type.String({ maxLength: max }));
const SessionKey = Type.String({ minLength: 1, maxLength: 512 });

/** Params of `chat.send`: a turn on a session, answered once (`started`). */
export const ChatSendParams = Type.Object({
  sessionKey: SessionKey,
  message: Type.String({ maxLength: MAX_MESSAGE_CHARS }),
  idempotencyKey: Type.String({ minLength: 1, maxLength: 256 }),
  agentId: Str(128),
  sessionId: Str(256),
  thinking: Type.Optional(literals(WIRE_THINKING_LEVELS)),
  fastMode: Type.Optional(Type.Union([Type.Boolean(), Type.Literal("auto")])),
  queueMode: Type.Optional(literals(["steer", "followup", "collect", "interrupt"] as const)),
  deliver: Type.Optional(Type.Boolean()),
  originatingChannel: Str(64),
  originatingTo: Str(),
  originatingAccountId: Str(128),
  originatingThreadId: Str(),
  replyToId: Str(),
  attachments: Type.Optional(Type.Array(Attachment, { maxItems: MAX_ATTACHMENTS })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 172_800_000 })),
  expectedLeafEntryId: Str(256),
  suppressCommandInterpretation: Type.Optional(Type.Boolean()),
}, closed);
export type ChatSendParams = Static<typeof ChatSendParams>;

/**
 * `started` for a new run, `in_flight` for a duplicate key while its run is
 * going, the terminal status for a duplicate of a finished run.
 */
export const ChatSendResult = Type.Object({
  runId: Type.String(),
  status: literals(["started", "in_flight", "ok", "error", "timeout", "aborted"] as const),
}, closed);
export type ChatSendResult = Static<typeof ChatSendResult>;

/** Params of `chat.history`. */
export const ChatHistoryParams = Type.Object({
  sessionKey: SessionKey,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 6 * 1024 * 1024 })),
  maxChars: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  sessionId: Str(256),
}, closed);
export type ChatHistoryParams = Static<typeof ChatHistoryParams>;

/** Transcript messages since the latest reset, newest last, capped at `maxBytes` (6 MiB). */
export const ChatHistoryResult = Type.Object({
  sessionKey: Type.String(),
  sessionId: Type.Optional(Type.String()),
  messages: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  hasMore: Type.Boolean(),
  totalMessages: Type.Integer({ minimum: 0 }),
  thinkingLevel: Type.Optional(Type.String()),
  defaults: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  sessionInfo: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, closed);
export type ChatHistoryResult = Static<typeof ChatHistoryResult>;

/** Params of `chat.abort`: every run of the session, or one. */
export const ChatAbortParams = Type.Object({
  sessionKey: SessionKey,
  runId: Str(256),
}, closed);
export type ChatAbortParams = Static<typeof ChatAbortParams>;

/** Result of `chat.abort`. */
export const ChatAbortResult = Type.Object({
  ok: Type.Literal(true),
  aborted: Type.Boolean(),
  runIds: Type.Array(Type.String()),
}, closed);

/** Params of `chat.inject`: an assistant note in the transcript, no model call. */
export const ChatInjectParams = Type.Object({
  sessionKey: SessionKey,
  message: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_CHARS }),
  label: Str(100),
}, closed);
export type ChatInjectParams = Static<typeof ChatInjectParams>;

/** Result of `chat.inject`. */
export const ChatInjectResult = Type.Object({
  ok: Type.Literal(true),
  messageId: Type.Optional(Type.String()),
}, closed);

/** `chat` event states. */
export const CHAT_STATES = ["status", "delta", "final", "aborted", "error"] as const;

/**
 * A run's progress as a chat UI shows it: `delta` carries the new text and
 * the cumulative assistant `message`; exactly one of `final`, `aborted`,
 * `error` ends a run.
 */
export const ChatEventPayload = Type.Object({
  runId: Type.String(),
  sessionKey: Type.String(),
  seq: Type.Integer({ minimum: 0 }),
  state: literals(CHAT_STATES),
  agentId: Type.Optional(Type.String()),
  spawnedBy: Type.Optional(Type.String()),
  phase: Type.Optional(Type.String()),
  deltaText: Type.Optional(Type.String()),
  replace: Type.Optional(Type.Boolean()),
  message: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  usage: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  stopReason: Type.Optional(Type.String()),
  errorMessage: Type.Optional(Type.String()),
  errorKind: Type.Optional(Type.String()),
  errorDetail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  yielded: Type.Optional(Type.Boolean()),
}, closed);
export type ChatEventPayload = Static<typeof ChatEventPayload>;
