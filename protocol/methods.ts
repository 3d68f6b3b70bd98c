/**
 * The ONE registry of methods: name -> params schema, result schema, scope.
 *
 * Validators, `hello-ok.features.methods`, generated JSON Schema and Swift
 * models all come from this table. Adding a method means one schema here and
 * one handler in `src/methods/mod.ts`.
 *
 * @module
 */

import type { TSchema } from "@sinclair/typebox";
import {
  HealthParams,
  HealthResult,
  StatusParams,
  StatusResult,
  SystemEventParams,
  SystemEventResult,
  SystemPresenceParams,
  SystemPresenceResult,
} from "./schemas/system.ts";
import { SendParams, SendResult } from "./schemas/messaging.ts";
import {
  CanvasCapabilityRefreshParams,
  CanvasCapabilityRefreshResult,
  PluginSurfaceRefreshParams,
  PluginSurfaceRefreshResult,
} from "./schemas/canvas.ts";
import { AgentParams, AgentResult, AgentWaitParams, AgentWaitResult } from "./schemas/agent.ts";
import {
  ChatAbortParams,
  ChatAbortResult,
  ChatHistoryParams,
  ChatHistoryResult,
  ChatInjectParams,
  ChatInjectResult,
  ChatSendParams,
  ChatSendResult,
} from "./schemas/chat.ts";
import {
  AgentsListParams,
  AgentsListResult,
  ExecApprovalResolveParams,
  ExecApprovalResolveResult,
  ModelsListParams,
  ModelsListResult,
  SessionEntryResult,
  SessionsCompactParams,
  SessionsCompactResult,
  SessionsDeleteParams,
  SessionsDeleteResult,
  SessionsListParams,
  SessionsListResult,
  SessionsPatchParams,
  SessionsPreviewParams,
  SessionsPreviewResult,
  SessionsResetParams,
} from "./schemas/sessions.ts";
import {
  NodeDescribeParams,
  NodeDescribeResult,
  NodeEventParams,
  NodeEventResult,
  NodeInvokeParams,
  NodeInvokeResult,
  NodeInvokeResultParams,
  NodeListParams,
  NodeListResult,
  NodePairApproveParams,
  NodePairApproveResult,
  NodePairListParams,
  NodePairListResult,
  NodePairRejectParams,
  NodePairRejectResult,
  NodePairRequestParams,
  NodePairRequestResult,
  NodePairVerifyParams,
  NodePairVerifyResult,
  NodeRenameParams,
  NodeRenameResult,
  OkResult,
} from "./schemas/node.ts";
import * as NP from "./schemas/node_pending.ts";
import {
  NodePluginToolsUpdateParams,
  NodePluginToolsUpdateResult,
  NodeSkillsUpdateParams,
  NodeSkillsUpdateResult,
} from "./schemas/node_publish.ts";
import { LogsTailParams, LogsTailResult } from "./schemas/logs.ts";
import {
  DevicePairApproveResult,
  DevicePairListParams,
  DevicePairListResult,
  DevicePairRejectResult,
  DevicePairRemoveParams,
  DevicePairRemoveResult,
  DevicePairRenameParams,
  DevicePairRenameResult,
  DevicePairRequestParams,
  DeviceTokenRevokeParams,
  DeviceTokenRevokeResult,
  DeviceTokenRotateParams,
  DeviceTokenRotateResult,
} from "./schemas/device.ts";
import {
  ConfigApplyParams,
  ConfigApplyResult,
  ConfigGetParams,
  ConfigGetResult,
  ConfigPatchParams,
  ConfigPatchResult,
  ConfigSchemaParams,
  ConfigSchemaResult,
  ConfigSetParams,
  ConfigSetResult,
  ConfigValidateParams,
  ConfigValidateResult,
} from "./schemas/config.ts";
import {
  ChannelsLogoutParams,
  ChannelsLogoutResult,
  ChannelsPairingApproveParams,
  ChannelsPairingApproveResult,
  ChannelsPairingDismissParams,
  ChannelsPairingDismissResult,
  ChannelsPairingListParams,
  ChannelsPairingListResult,
  ChannelsStatusParams,
  ChannelsStatusResult,
  WebLoginStartParams,
  WebLoginStartResult,
  WebLoginWaitParams,
  WebLoginWaitResult,
} from "./schemas/channels.ts";

/**
 * What a caller needs: `any` (every authenticated client), an operator scope,
 * or the `node` role.
 */
export type MethodScope =
  | "any"
  | "operator.read"
  | "operator.write"
  | "operator.admin"
  | "operator.pairing"
  | "operator.approvals"
  | "node";

/** One method definition. */
export interface MethodDef {
  params: TSchema;
  result: TSchema;
  scope: MethodScope;
  /** Requires `params.idempotencyKey`; duplicates within the window get the first result. */
  idempotent?: boolean;
  /**
   * The handler keeps its own idempotency record (the agent engine's
   * persisted run cache), so the router's in-memory cache stays out of it.
   */
  ownDedupe?: boolean;
}

/** Every method the protocol defines (handlers may arrive later; see `src/methods/mod.ts`). */
export const METHODS = {
  health: { params: HealthParams, result: HealthResult, scope: "any" },
  status: { params: StatusParams, result: StatusResult, scope: "operator.read" },
  "system-presence": {
    params: SystemPresenceParams,
    result: SystemPresenceResult,
    scope: "operator.read",
  },
  "system-event": { params: SystemEventParams, result: SystemEventResult, scope: "operator.admin" },
  send: { params: SendParams, result: SendResult, scope: "operator.write", idempotent: true },
  agent: {
    params: AgentParams,
    result: AgentResult,
    scope: "operator.write",
    idempotent: true,
    ownDedupe: true,
  },
  "agent.wait": { params: AgentWaitParams, result: AgentWaitResult, scope: "operator.write" },
  "chat.send": {
    params: ChatSendParams,
    result: ChatSendResult,
    scope: "operator.write",
    idempotent: true,
    ownDedupe: true,
  },
  "chat.history": { params: ChatHistoryParams, result: ChatHistoryResult, scope: "operator.read" },
  "chat.abort": { params: ChatAbortParams, result: ChatAbortResult, scope: "operator.write" },
  "chat.inject": { params: ChatInjectParams, result: ChatInjectResult, scope: "operator.admin" },
  "sessions.list": {
    params: SessionsListParams,
    result: SessionsListResult,
    scope: "operator.read",
  },
  "sessions.preview": {
    params: SessionsPreviewParams,
    result: SessionsPreviewResult,
    scope: "operator.read",
  },
  "sessions.patch": {
    params: SessionsPatchParams,
    result: SessionEntryResult,
    scope: "operator.admin",
  },
  "sessions.reset": {
    params: SessionsResetParams,
    result: SessionEntryResult,
    scope: "operator.admin",
  },
  "sessions.delete": {
    params: SessionsDeleteParams,
    result: SessionsDeleteResult,
    scope: "operator.admin",
  },
  "sessions.compact": {
    params: SessionsCompactParams,
    result: SessionsCompactResult,
    scope: "operator.admin",
  },
  "models.list": { params: ModelsListParams, result: ModelsListResult, scope: "operator.read" },
  "agents.list": { params: AgentsListParams, result: AgentsListResult, scope: "operator.read" },
  "exec.approval.resolve": {
    params: ExecApprovalResolveParams,
    result: ExecApprovalResolveResult,
    scope: "operator.approvals",
  },
  "node.list": { params: NodeListParams, result: NodeListResult, scope: "operator.read" },
  "node.describe": {
    params: NodeDescribeParams,
    result: NodeDescribeResult,
    scope: "operator.read",
  },
  "node.invoke": {
    params: NodeInvokeParams,
    result: NodeInvokeResult,
    scope: "operator.write",
    idempotent: true,
    // Only successes are replayed (a failed invoke may be retried with the same key).
    ownDedupe: true,
  },
  "node.invoke.result": { params: NodeInvokeResultParams, result: OkResult, scope: "node" },
  "node.event": { params: NodeEventParams, result: NodeEventResult, scope: "node" },
  "node.invoke.progress": {
    params: NP.NodeInvokeProgressParams,
    result: NP.NodeInvokeProgressResult,
    scope: "node",
  },
  "node.pending.pull": {
    params: NP.NodePendingPullParams,
    result: NP.NodePendingPullResult,
    scope: "node",
  },
  "node.pending.ack": {
    params: NP.NodePendingAckParams,
    result: NP.NodePendingAckResult,
    scope: "node",
  },
  "node.pending.drain": {
    params: NP.NodePendingDrainParams,
    result: NP.NodePendingDrainResult,
    scope: "node",
  },
  "node.pending.enqueue": {
    params: NP.NodePendingEnqueueParams,
    result: NP.NodePendingEnqueueResult,
    scope: "operator.write",
  },
  "node.pluginTools.update": {
    params: NodePluginToolsUpdateParams,
    result: NodePluginToolsUpdateResult,
    scope: "node",
  },
  "node.skills.update": {
    params: NodeSkillsUpdateParams,
    result: NodeSkillsUpdateResult,
    scope: "node",
  },
  "node.rename": { params: NodeRenameParams, result: NodeRenameResult, scope: "operator.pairing" },
  "node.canvas.capability.refresh": {
    params: CanvasCapabilityRefreshParams,
    result: CanvasCapabilityRefreshResult,
    scope: "node",
  },
  "node.pluginSurface.refresh": {
    params: PluginSurfaceRefreshParams,
    result: PluginSurfaceRefreshResult,
    scope: "node",
  },
  "device.pair.list": {
    params: DevicePairListParams,
    result: DevicePairListResult,
    scope: "operator.pairing",
  },
  "device.pair.approve": {
    params: DevicePairRequestParams,
    result: DevicePairApproveResult,
    scope: "operator.pairing",
  },
  "device.pair.reject": {
    params: DevicePairRequestParams,
    result: DevicePairRejectResult,
    scope: "operator.pairing",
  },
  "device.pair.remove": {
    params: DevicePairRemoveParams,
    result: DevicePairRemoveResult,
    scope: "operator.pairing",
  },
  "device.pair.rename": {
    params: DevicePairRenameParams,
    result: DevicePairRenameResult,
    scope: "operator.pairing",
  },
  "device.token.rotate": {
    params: DeviceTokenRotateParams,
    result: DeviceTokenRotateResult,
    scope: "operator.pairing",
  },
  "device.token.revoke": {
    params: DeviceTokenRevokeParams,
    result: DeviceTokenRevokeResult,
    scope: "operator.pairing",
  },
  "node.pair.request": {
    params: NodePairRequestParams,
    result: NodePairRequestResult,
    scope: "operator.pairing",
  },
  "node.pair.list": {
    params: NodePairListParams,
    result: NodePairListResult,
    scope: "operator.pairing",
  },
  "node.pair.approve": {
    params: NodePairApproveParams,
    result: NodePairApproveResult,
    scope: "operator.pairing",
  },
  "node.pair.reject": {
    params: NodePairRejectParams,
    result: NodePairRejectResult,
    scope: "operator.pairing",
  },
  "node.pair.verify": {
    params: NodePairVerifyParams,
    result: NodePairVerifyResult,
    scope: "operator.pairing",
  },
  "logs.tail": { params: LogsTailParams, result: LogsTailResult, scope: "operator.read" },
  "config.get": { params: ConfigGetParams, result: ConfigGetResult, scope: "operator.admin" },
  "config.schema": {
    params: ConfigSchemaParams,
    result: ConfigSchemaResult,
    scope: "operator.admin",
  },
  "config.set": { params: ConfigSetParams, result: ConfigSetResult, scope: "operator.admin" },
  "config.patch": { params: ConfigPatchParams, result: ConfigPatchResult, scope: "operator.admin" },
  "config.validate": {
    params: ConfigValidateParams,
    result: ConfigValidateResult,
    scope: "operator.admin",
  },
  "config.apply": { params: ConfigApplyParams, result: ConfigApplyResult, scope: "operator.admin" },
  "channels.status": {
    params: ChannelsStatusParams,
    result: ChannelsStatusResult,
    scope: "operator.read",
  },
  "channels.pairing.list": {
    params: ChannelsPairingListParams,
    result: ChannelsPairingListResult,
    scope: "operator.pairing",
  },
  "channels.pairing.approve": {
    params: ChannelsPairingApproveParams,
    result: ChannelsPairingApproveResult,
    scope: "operator.pairing",
  },
  "channels.pairing.dismiss": {
    params: ChannelsPairingDismissParams,
    result: ChannelsPairingDismissResult,
    scope: "operator.pairing",
  },
  "channels.logout": {
    params: ChannelsLogoutParams,
    result: ChannelsLogoutResult,
    scope: "operator.admin",
  },
  "web.login.start": {
    params: WebLoginStartParams,
    result: WebLoginStartResult,
    scope: "operator.admin",
  },
  "web.login.wait": {
    params: WebLoginWaitParams,
    result: WebLoginWaitResult,
    scope: "operator.admin",
  },
} as const satisfies Record<string, MethodDef>;

/** A method name the protocol defines. */
export type MethodName = keyof typeof METHODS;

/** Whether `name` is a method of the protocol. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
