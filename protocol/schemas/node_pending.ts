/**
 * Node streaming and queued work: `node.invoke.progress` (ordered output of a
 * running invoke), `node.pending.pull` / `node.pending.ack` (actions queued
 * for a node that could not run them yet) and `node.pending.enqueue` /
 * `node.pending.drain` (status/location prompts a node picks up when it
 * reconnects). Shapes follow the OpenClaw protocol package (the spec marks
 * them unconfirmed on the wire).
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;
const NonEmpty = Type.String({ minLength: 1, maxLength: 256 });

/** Largest progress chunk a node may send, in characters (16 KiB). */
export const MAX_PROGRESS_CHUNK = 16 * 1024;

/** Params of `node.invoke.progress` (node -> gateway). */
export const NodeInvokeProgressParams = Type.Object({
  invokeId: NonEmpty,
  nodeId: NonEmpty,
  seq: Type.Integer({ minimum: 0 }),
  /** UTF-8 output; an empty chunk is a liveness heartbeat. */
  chunk: Type.String({ maxLength: MAX_PROGRESS_CHUNK }),
}, closed);
/** Params of `node.invoke.progress`. */
export type NodeInvokeProgressParams = Static<typeof NodeInvokeProgressParams>;
/** Result of `node.invoke.progress`: `ignored` when no waiting caller took the chunk. */
export const NodeInvokeProgressResult = Type.Object({
  ok: Type.Literal(true),
  ignored: Type.Boolean(),
}, closed);

/** Params of `node.pending.pull` (node -> gateway). */
export const NodePendingPullParams = Type.Object({}, closed);
/** An action queued for the calling node. */
export const NodePendingAction = Type.Object({
  id: Type.String(),
  command: Type.String(),
  paramsJSON: Type.Union([Type.String(), Type.Null()]),
  enqueuedAtMs: Type.Integer(),
}, closed);
/** Result of `node.pending.pull`. */
export const NodePendingPullResult = Type.Object({
  nodeId: Type.String(),
  actions: Type.Array(NodePendingAction),
}, closed);

/** Params of `node.pending.ack` (node -> gateway). */
export const NodePendingAckParams = Type.Object({
  ids: Type.Array(NonEmpty, { minItems: 1, maxItems: 256 }),
}, closed);
/** Result of `node.pending.ack`. */
export const NodePendingAckResult = Type.Object({
  nodeId: Type.String(),
  ackedIds: Type.Array(Type.String()),
  remainingCount: Type.Integer({ minimum: 0 }),
}, closed);

const WorkType = Type.Union([Type.Literal("status.request"), Type.Literal("location.request")]);

/** One queued work item. */
export const NodePendingWorkItem = Type.Object({
  id: Type.String(),
  type: WorkType,
  priority: Type.Union([Type.Literal("default"), Type.Literal("normal"), Type.Literal("high")]),
  createdAtMs: Type.Integer({ minimum: 0 }),
  expiresAtMs: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, closed);
/** A queued work item. */
export type NodePendingWorkItem = Static<typeof NodePendingWorkItem>;

/** Params of `node.pending.drain` (node -> gateway). */
export const NodePendingDrainParams = Type.Object({
  maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
}, closed);
/** Result of `node.pending.drain`. */
export const NodePendingDrainResult = Type.Object({
  nodeId: Type.String(),
  revision: Type.Integer({ minimum: 0 }),
  items: Type.Array(NodePendingWorkItem),
  hasMore: Type.Boolean(),
}, closed);

/** Params of `node.pending.enqueue` (operator). */
export const NodePendingEnqueueParams = Type.Object({
  nodeId: NonEmpty,
  type: WorkType,
  priority: Type.Optional(Type.Union([Type.Literal("normal"), Type.Literal("high")])),
  expiresInMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 86_400_000 })),
  wake: Type.Optional(Type.Boolean()),
}, closed);
/** Params of `node.pending.enqueue`. */
export type NodePendingEnqueueParams = Static<typeof NodePendingEnqueueParams>;
/** Result of `node.pending.enqueue`. */
export const NodePendingEnqueueResult = Type.Object({
  nodeId: Type.String(),
  revision: Type.Integer({ minimum: 0 }),
  queued: NodePendingWorkItem,
  wakeTriggered: Type.Boolean(),
}, closed);
