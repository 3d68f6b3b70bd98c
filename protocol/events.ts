/**
 * Every event the gateway pushes, with its payload schema and who may see it.
 *
 * @module
 */

import { type TSchema, Type } from "@sinclair/typebox";
import { PresenceEntry } from "./schemas/presence.ts";
import { HealthSnapshot } from "./schemas/system.ts";
import { AgentEventPayload } from "./schemas/agent.ts";
import { ChatEventPayload } from "./schemas/chat.ts";
import {
  ExecApprovalRequestedPayload,
  ExecApprovalResolvedPayload,
  SessionsChangedPayload,
} from "./schemas/sessions.ts";
import {
  DevicePairChangedPayload,
  DevicePairPending,
  DevicePairResolvedPayload,
} from "./schemas/device.ts";
import {
  NodeInvokeCancelPayload,
  NodeInvokeRequestPayload,
  NodePairPending,
  NodePairResolvedPayload,
} from "./schemas/node.ts";

const closed = { additionalProperties: false } as const;

/** Who receives an event: anyone connected, or operators holding a scope. */
export type EventAudience =
  | "all"
  | "operator.read"
  | "operator.pairing"
  | "operator.approvals"
  | "targeted";

/** One event definition. */
export interface EventDef {
  payload: TSchema;
  audience: EventAudience;
}

/** The one registry of events, in the order `hello-ok.features.events` lists them. */
export const EVENTS = {
  "connect.challenge": {
    payload: Type.Object({ nonce: Type.String(), ts: Type.Integer() }, closed),
    audience: "targeted",
  },
  tick: { payload: Type.Object({ ts: Type.Integer() }, closed), audience: "all" },
  presence: {
    payload: Type.Object({ presence: Type.Array(PresenceEntry) }, closed),
    audience: "all",
  },
  health: { payload: HealthSnapshot, audience: "all" },
  shutdown: {
    payload: Type.Object({
      reason: Type.String(),
      restartExpectedMs: Type.Optional(Type.Integer({ minimum: 0 })),
    }, closed),
    audience: "all",
  },
  agent: { payload: AgentEventPayload, audience: "operator.read" },
  chat: { payload: ChatEventPayload, audience: "operator.read" },
  "sessions.changed": { payload: SessionsChangedPayload, audience: "operator.read" },
  "exec.approval.requested": {
    payload: ExecApprovalRequestedPayload,
    audience: "operator.approvals",
  },
  "exec.approval.resolved": {
    payload: ExecApprovalResolvedPayload,
    audience: "operator.approvals",
  },
  "node.pair.requested": { payload: NodePairPending, audience: "operator.pairing" },
  "node.pair.resolved": { payload: NodePairResolvedPayload, audience: "operator.pairing" },
  "node.invoke.request": { payload: NodeInvokeRequestPayload, audience: "targeted" },
  "node.invoke.cancel": { payload: NodeInvokeCancelPayload, audience: "targeted" },
  "device.pair.requested": { payload: DevicePairPending, audience: "operator.pairing" },
  "device.pair.resolved": { payload: DevicePairResolvedPayload, audience: "operator.pairing" },
  "device.pair.changed": { payload: DevicePairChangedPayload, audience: "operator.pairing" },
} as const satisfies Record<string, EventDef>;

/** A known event name. */
export type EventName = keyof typeof EVENTS;

/** Event names in registry order. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
