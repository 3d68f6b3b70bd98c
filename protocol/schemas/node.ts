/**
 * Nodes: devices that connect with role `node` and run commands for the gateway.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { NodePluginTool } from "./node_publish.ts";

const closed = { additionalProperties: false } as const;
const Str = Type.Optional(Type.String());

/** What the gateway knows of one node. */
export const NodeInfo = Type.Object({
  nodeId: Type.String(),
  displayName: Str,
  platform: Str,
  version: Str,
  coreVersion: Str,
  uiVersion: Str,
  deviceFamily: Str,
  modelIdentifier: Str,
  remoteIp: Str,
  clientId: Str,
  clientMode: Str,
  pathEnv: Str,
  caps: Type.Array(Type.String()),
  commands: Type.Array(Type.String()),
  permissions: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
  paired: Type.Boolean(),
  connected: Type.Boolean(),
  /** Whether an operator approved the node's commands (`node.pair.approve`). */
  approvalState: Type.Optional(
    Type.Union([Type.Literal("approved"), Type.Literal("pending-approval")]),
  ),
  pendingRequestId: Str,
  pendingDeclaredCommands: Type.Optional(Type.Array(Type.String())),
  connectedAtMs: Type.Optional(Type.Integer()),
  approvedAtMs: Type.Optional(Type.Integer()),
  lastSeenAtMs: Type.Optional(Type.Integer()),
  lastSeenReason: Str,
  /** Tools a connected node published (`node.pluginTools.update`). */
  nodePluginTools: Type.Optional(Type.Array(NodePluginTool)),
}, closed);
/** The static type of {@link NodeInfo}. */
export type NodeInfo = Static<typeof NodeInfo>;

/** Params of `node.list`. */
export const NodeListParams = Type.Object({}, closed);
/** Result of `node.list`. */
export const NodeListResult = Type.Object({
  ts: Type.Integer(),
  nodes: Type.Array(NodeInfo),
}, closed);

/** Params of `node.describe`. */
export const NodeDescribeParams = Type.Object({ nodeId: Type.String({ minLength: 1 }) }, closed);
/** Result of `node.describe`. */
export const NodeDescribeResult = Type.Composite(
  [Type.Object({ ts: Type.Integer() }), NodeInfo],
  closed,
);

/** Params of `node.invoke`. */
export const NodeInvokeParams = Type.Object({
  nodeId: Type.String({ minLength: 1 }),
  command: Type.String({ minLength: 1 }),
  params: Type.Optional(Type.Unknown()),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
  idempotencyKey: Type.String({ minLength: 1 }),
}, closed);
/** Params of `node.invoke`. */
export type NodeInvokeParams = Static<typeof NodeInvokeParams>;
/** Result of `node.invoke`. */
export const NodeInvokeResult = Type.Object({
  ok: Type.Literal(true),
  nodeId: Type.String(),
  command: Type.String(),
  payload: Type.Unknown(),
  payloadJSON: Type.Union([Type.String(), Type.Null()]),
}, closed);

/** Targeted to the node only: run `command`. */
export const NodeInvokeRequestPayload = Type.Object({
  id: Type.String(),
  nodeId: Type.String(),
  command: Type.String(),
  paramsJSON: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  timeoutMs: Type.Optional(Type.Integer()),
  idempotencyKey: Type.Optional(Type.String()),
}, closed);

/** Params of `node.invoke.result`. */
export const NodeInvokeResultParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  nodeId: Type.String({ minLength: 1 }),
  ok: Type.Boolean(),
  payload: Type.Optional(Type.Unknown()),
  payloadJSON: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  error: Type.Optional(Type.Object({
    code: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
  }, closed)),
}, closed);
/** Params of `node.invoke.result`. */
export type NodeInvokeResultParams = Static<typeof NodeInvokeResultParams>;
/** `{ok:true}`: the answer to `node.invoke.result` (late or unknown ids included). */
export const OkResult = Type.Object({ ok: Type.Literal(true) }, closed);

/** Targeted to the node only: stop working on an invoke that timed out. */
export const NodeInvokeCancelPayload = Type.Object({
  invokeId: Type.String(),
  nodeId: Type.String(),
}, closed);

/** Params of `node.event`. */
export const NodeEventParams = Type.Object({
  event: Type.String({ minLength: 1 }),
  payload: Type.Optional(Type.Unknown()),
  payloadJSON: Type.Optional(Type.Union([Type.String(), Type.Null()])),
}, closed);
/** Params of `node.event`. */
export type NodeEventParams = Static<typeof NodeEventParams>;
/** Result of `node.event`: whether the gateway acted on it. */
export const NodeEventResult = Type.Object({
  ok: Type.Literal(true),
  event: Type.String(),
  handled: Type.Boolean(),
  reason: Str,
}, closed);

/** Params of `node.rename`. */
export const NodeRenameParams = Type.Object({
  nodeId: Type.String({ minLength: 1, maxLength: 128 }),
  displayName: Type.String({ minLength: 1, maxLength: 128 }),
}, closed);
/** Result of `node.rename`. */
export const NodeRenameResult = Type.Object({
  nodeId: Type.String(),
  displayName: Type.String(),
}, closed);

const PairFields = {
  displayName: Str,
  platform: Str,
  version: Str,
  coreVersion: Str,
  uiVersion: Str,
  deviceFamily: Str,
  modelIdentifier: Str,
  caps: Type.Optional(Type.Array(Type.String())),
  commands: Type.Optional(Type.Array(Type.String())),
  remoteIp: Str,
};

/** What a connected node said of itself when its surface was recorded. */
const SurfaceFields = {
  clientId: Str,
  clientMode: Str,
  permissions: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
};

/** Params of `node.pair.request`. */
export const NodePairRequestParams = Type.Object({
  nodeId: Type.String({ minLength: 1 }),
  ...PairFields,
  silent: Type.Optional(Type.Boolean()),
}, closed);

/** A pairing request waiting for an operator (expires after 5 minutes). */
export const NodePairPending = Type.Object({
  requestId: Type.String(),
  nodeId: Type.String(),
  ...PairFields,
  ...SurfaceFields,
  /** Scopes an operator needs to approve it: `operator.admin` for exec-like commands. */
  requiredApproveScopes: Type.Optional(Type.Array(Type.String())),
  silent: Type.Optional(Type.Boolean()),
  ts: Type.Integer(),
}, closed);

/** A paired node as stored; the token is only returned once, by `approve`. */
export const NodePaired = Type.Object({
  nodeId: Type.String(),
  ...PairFields,
  ...SurfaceFields,
  createdAtMs: Type.Integer(),
  approvedAtMs: Type.Integer(),
  lastConnectedAtMs: Type.Optional(Type.Integer()),
  lastDisconnectedAtMs: Type.Optional(Type.Integer()),
}, closed);

/** Result of `node.pair.request`. */
export const NodePairRequestResult = Type.Object({
  status: Type.Literal("pending"),
  request: NodePairPending,
  created: Type.Boolean(),
}, closed);
/** Params of `node.pair.list`. */
export const NodePairListParams = Type.Object({}, closed);
/** Result of `node.pair.list`. */
export const NodePairListResult = Type.Object({
  pending: Type.Array(NodePairPending),
  paired: Type.Array(NodePaired),
}, closed);
/** Params of `node.pair.approve`. */
export const NodePairApproveParams = Type.Object(
  { requestId: Type.String({ minLength: 1 }) },
  closed,
);
/** Result of `node.pair.approve`. */
export const NodePairApproveResult = Type.Object({
  requestId: Type.String(),
  node: Type.Composite([NodePaired, Type.Object({ token: Type.String() })], closed),
}, closed);
/** Params of `node.pair.reject`. */
export const NodePairRejectParams = NodePairApproveParams;
/** Result of `node.pair.reject`. */
export const NodePairRejectResult = Type.Object({
  requestId: Type.String(),
  nodeId: Type.String(),
}, closed);
/** Params of `node.pair.verify`. */
export const NodePairVerifyParams = Type.Object({
  nodeId: Type.String({ minLength: 1 }),
  token: Type.String({ minLength: 1 }),
}, closed);
/** Result of `node.pair.verify`. */
export const NodePairVerifyResult = Type.Object({
  ok: Type.Boolean(),
  node: Type.Optional(NodePaired),
}, closed);

/** `node.pair.resolved` broadcast. */
export const NodePairResolvedPayload = Type.Object({
  requestId: Type.String(),
  nodeId: Type.String(),
  decision: Type.Union([
    Type.Literal("approved"),
    Type.Literal("rejected"),
    Type.Literal("expired"),
    Type.Literal("removed"),
  ]),
  ts: Type.Integer(),
}, closed);
