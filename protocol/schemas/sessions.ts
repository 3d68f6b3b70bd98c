/**
 * `sessions.*`, `models.list`, `agents.list`, `exec.approval.resolve` and
 * the `sessions.changed` / `exec.approval.*` events
 * (`shared/spec/agent.md` sections 3.5, 7; protocol.md section 9).
 *
 * Session rows carry many optional fields (spec 7.2) and grow with the
 * product; they travel as records, their keys documented in the spec.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../literals.ts";

const closed = { additionalProperties: false } as const;
const Str = (max = 512) => Type.Optional(Type.String({ maxLength: max }));
const Key = Type.String({ minLength: 1, maxLength: 512 });
const Row = Type.Record(Type.String(), Type.Unknown());
const Nullable = (max = 256) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

/** Params of `sessions.list`. */
export const SessionsListParams = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  activeMinutes: Type.Optional(Type.Integer({ minimum: 1 })),
  includeGlobal: Type.Optional(Type.Boolean()),
  includeUnknown: Type.Optional(Type.Boolean()),
  includeDerivedTitles: Type.Optional(Type.Boolean()),
  includeLastMessage: Type.Optional(Type.Boolean()),
  label: Str(100),
  spawnedBy: Str(),
  agentId: Str(128),
  search: Str(256),
}, closed);
export type SessionsListParams = Static<typeof SessionsListParams>;

/** The default model of new sessions. */
const SessionDefaults = Type.Object({
  modelProvider: Type.Union([Type.String(), Type.Null()]),
  model: Type.Union([Type.String(), Type.Null()]),
  contextTokens: Type.Union([Type.Integer(), Type.Null()]),
  thinkingLevels: Type.Optional(Type.Array(Type.String())),
  thinkingDefault: Type.Optional(Type.String()),
}, closed);

/** Result of `sessions.list`. */
export const SessionsListResult = Type.Object({
  ts: Type.Integer(),
  path: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  totalCount: Type.Integer({ minimum: 0 }),
  hasMore: Type.Boolean(),
  defaults: SessionDefaults,
  sessions: Type.Array(Row),
}, closed);

/** Params of `sessions.preview`. */
export const SessionsPreviewParams = Type.Object({
  keys: Type.Array(Key, { minItems: 1, maxItems: 100 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  maxChars: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
}, closed);

/** Result of `sessions.preview`: the last few user/assistant texts per key. */
export const SessionsPreviewResult = Type.Object({
  ts: Type.Integer(),
  previews: Type.Array(Type.Object({
    key: Type.String(),
    status: literals(["ok", "missing", "empty"] as const),
    items: Type.Array(Type.Object({ role: Type.String(), text: Type.String() }, closed)),
  }, closed)),
}, closed);

/** Params of `sessions.patch`; `null` clears a field. */
export const SessionsPatchParams = Type.Object({
  key: Key,
  label: Nullable(100),
  thinkingLevel: Nullable(32),
  verboseLevel: Nullable(32),
  reasoningLevel: Nullable(32),
  elevatedLevel: Nullable(32),
  responseUsage: Type.Optional(
    Type.Union([literals(["off", "tokens", "full"] as const), Type.Null()]),
  ),
  model: Nullable(256),
  sendPolicy: Type.Optional(Type.Union([literals(["allow", "deny"] as const), Type.Null()])),
  groupActivation: Type.Optional(
    Type.Union([literals(["mention", "always"] as const), Type.Null()]),
  ),
}, closed);
export type SessionsPatchParams = Static<typeof SessionsPatchParams>;

/** Result of `sessions.patch` and `sessions.reset`. */
export const SessionEntryResult = Type.Object({
  ok: Type.Literal(true),
  key: Type.String(),
  entry: Row,
}, closed);

/** Params of `sessions.reset`. */
export const SessionsResetParams = Type.Object({
  key: Key,
  reason: Type.Optional(literals(["new", "reset"] as const)),
}, closed);

/** Params of `sessions.delete`. */
export const SessionsDeleteParams = Type.Object({
  key: Key,
  deleteTranscript: Type.Optional(Type.Boolean()),
}, closed);

/** Result of `sessions.delete`. */
export const SessionsDeleteResult = Type.Object({
  ok: Type.Literal(true),
  key: Type.String(),
  deleted: Type.Boolean(),
}, closed);

/** Params of `sessions.compact` (`maxLines` is accepted for compatibility; the token budget decides). */
export const SessionsCompactParams = Type.Object({
  key: Key,
  maxLines: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
}, closed);

/** Result of `sessions.compact`. */
export const SessionsCompactResult = Type.Object({
  ok: Type.Literal(true),
  key: Type.String(),
  compacted: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  result: Type.Optional(Type.Object({
    summary: Type.String(),
    firstKeptEntryId: Type.String(),
    tokensBefore: Type.Integer({ minimum: 0 }),
    details: Type.Optional(Type.Object({
      readFiles: Type.Array(Type.String()),
      modifiedFiles: Type.Array(Type.String()),
    }, closed)),
  }, closed)),
}, closed);

/** Params of `models.list`. */
export const ModelsListParams = Type.Object({}, closed);

/** Result of `models.list`: configured models, with where their credential comes from. */
export const ModelsListResult = Type.Object({
  models: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.String(),
    provider: Type.String(),
    contextWindow: Type.Integer({ minimum: 0 }),
    reasoning: Type.Boolean(),
    input: Type.Array(Type.String()),
    isDefault: Type.Boolean(),
    credential: Type.Object({
      kind: literals(["config", "env", "none"] as const),
      name: Type.Optional(Type.String()),
    }, closed),
  }, closed)),
}, closed);

/** Params of `agents.list`. */
export const AgentsListParams = Type.Object({}, closed);

/** Result of `agents.list`. */
export const AgentsListResult = Type.Object({
  defaultId: Type.String(),
  mainKey: Type.String(),
  scope: Type.String(),
  agents: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.Optional(Type.String()),
    workspace: Type.Optional(Type.String()),
    model: Type.Optional(Type.String()),
    isDefault: Type.Boolean(),
  }, closed)),
}, closed);

/** Operator answers to an exec approval. */
export const APPROVAL_DECISIONS = ["allow-once", "allow-always", "deny"] as const;

/** Params of `exec.approval.resolve`. */
export const ExecApprovalResolveParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  decision: literals(APPROVAL_DECISIONS),
}, closed);
export type ExecApprovalResolveParams = Static<typeof ExecApprovalResolveParams>;

/** Result of `exec.approval.resolve`. */
export const ExecApprovalResolveResult = Type.Object({ ok: Type.Literal(true) }, closed);

/** `exec.approval.requested`: a command waits for an operator. */
export const ExecApprovalRequestedPayload = Type.Object({
  approvalKind: Type.Literal("exec"),
  id: Type.String(),
  request: Row,
  createdAtMs: Type.Integer(),
  expiresAtMs: Type.Integer(),
}, closed);

/** `exec.approval.resolved`: an operator (or the expiry) decided. */
export const ExecApprovalResolvedPayload = Type.Object({
  id: Type.String(),
  decision: literals(APPROVAL_DECISIONS),
  resolvedBy: Type.Optional(Type.String()),
  ts: Type.Integer(),
  request: Type.Optional(Row),
}, closed);

/** `sessions.changed`: a session row changed (run activity, patch, reset, delete). */
export const SessionsChangedPayload = Type.Object({
  sessionKey: Type.String(),
  agentId: Type.Optional(Type.String()),
  reason: Type.String(),
  session: Type.Optional(Row),
}, closed);
