/**
 * Nodes and devices, composed for one gateway instance: device identity on
 * connect, device pairing and tokens, the connected-node registry and
 * `node.invoke`. `src/app.ts` calls {@link createNodes} and wires its
 * `decide`, `opened`, `closed` into the session and its parts into the
 * method table.
 *
 * @module
 */

import type { ConnectParams } from "../../protocol/schemas/connect.ts";
import { ErrorCodes, errorShape } from "../../protocol/errors.ts";
import type { EventName } from "../../protocol/events.ts";
import type { Logger } from "../log/logger.ts";
import type { Accepted, Refused } from "../server/handshake.ts";
import { decideDeviceConnect } from "./connect.ts";
import { DeviceStore } from "./device_store.ts";
import { DeviceRegistry } from "./devices.ts";
import { NodeInvoker } from "./invoke.ts";
import type { CommandPolicySettings } from "./policy.ts";
import { type ConnectedNode, NodeRegistry } from "./registry.ts";
import { effectiveCommands } from "./policy.ts";
import { isLoopbackAddress } from "../server/auth.ts";
import { NodePairing } from "./node_pairing.ts";
import { PendingActions } from "./pending_actions.ts";
import { PendingWork } from "./pending_work.ts";

export { DeviceRegistry } from "./devices.ts";
export { NodeInvoker } from "./invoke.ts";
export { NodeRegistry } from "./registry.ts";
export { canvasDenied } from "./policy.ts";

/** `gateway.nodes` as the nodes part reads it. */
export interface NodesSettings extends CommandPolicySettings {
  /** `gateway.nodes.pairing.autoApproveLocal` (default true). */
  autoApproveLocal: boolean;
  /** `gateway.nodes.pairing.autoApproveCidrs`: first-time node devices from these ranges. */
  autoApproveCidrs?: readonly string[];
}

/** What the nodes part needs from the gateway. */
export interface NodesDeps {
  /** `$STATE`: the device store lives in `$STATE/devices/`. */
  stateDir: string;
  settings: () => NodesSettings;
  /** Broadcasts a scope-gated event (`device.pair.*`). */
  broadcast(event: EventName, payload: unknown): void;
  /** Sends a targeted event to one connection; false when it is gone. */
  sendTo(connId: string, event: EventName, payload: unknown): boolean;
  /** Closes one connection (device removed or token revoked). */
  closeConn(connId: string, code: number, reason: string): void;
  /** A node's approval changed (approved anew or forgotten): the canvas rechecks. */
  approvalChanged?: () => void;
  log: Logger;
}

/** A session as the nodes part sees it once open. */
export interface NodeSessionView {
  connId: string;
  role: string;
  deviceId?: string;
  params?: ConnectParams;
  peer: { remoteIp: string };
  connectedAt: number;
}

/** The nodes part of one instance. */
export interface Nodes {
  devices: DeviceRegistry;
  registry: NodeRegistry;
  invoker: NodeInvoker;
  /** The legacy `node.pair.*` store (does not gate the handshake). */
  pairing: NodePairing;
  /** Actions waiting for a backgrounded node (`node.pending.pull/ack`). */
  actions: PendingActions;
  /** Status/location prompts waiting for a node (`node.pending.enqueue/drain`). */
  work: PendingWork;
  /** Connections by device id (for `connected` flags and closing on removal). */
  deviceConns(deviceId: string): { connId: string; role: string }[];
  /**
   * Closes every connection of a device (optionally only those of one role,
   * and never `except`, the connection that asked).
   */
  closeDevice(deviceId: string, reason: string, role?: string, except?: string): void;
  /**
   * Decides a connect: the device path (async) when it carries
   * `params.device`, else `base` as before.
   */
  decide(
    params: ConnectParams,
    peer: { isLoopback: boolean; remoteIp?: string },
    nonce: string,
    base: (params: ConnectParams, opts: { deviceTokenValid: boolean }) => Accepted | Refused,
  ): Accepted | Refused | Promise<Accepted | Refused>;
  opened(session: NodeSessionView): void;
  closed(connId: string): void;
}

function deviceRequired(): Refused {
  const message =
    "device identity required: connect from loopback or sign the connect with a device key";
  return {
    ok: false,
    error: errorShape(ErrorCodes.NOT_PAIRED, message, {
      details: { code: "DEVICE_IDENTITY_REQUIRED", reason: "device-identity-required" },
    }),
    closeCode: 1008,
    closeReason: "device identity required",
  };
}

/** Builds the nodes part. */
export function createNodes(deps: NodesDeps): Nodes {
  const devices = new DeviceRegistry({
    store: new DeviceStore(`${deps.stateDir}/devices`),
    emit: (e) => deps.broadcast(e.event, e.payload),
  });
  const registry = new NodeRegistry();
  const pairing = new NodePairing({
    dir: `${deps.stateDir}/nodes`,
    requested: (request) => deps.broadcast("node.pair.requested", request),
    resolved: (event) => {
      deps.broadcast("node.pair.resolved", event);
      // A narrower approval (say, caps without `canvas`) takes effect at once.
      if (event.decision === "approved") deps.approvalChanged?.();
      // The node hears about its own approval too (as 2026.9.6 does).
      const node = registry.get(event.nodeId);
      if (!node) return;
      deps.sendTo(node.connId, "node.pair.resolved", event);
      if (event.decision === "approved") pairing.seen(node.nodeId, "connect", node.connectedAtMs);
    },
  });
  const actions = new PendingActions();
  const invoker = new NodeInvoker({
    nodes: registry,
    policy: deps.settings,
    approved: (nodeId) => pairing.approvedCommands(nodeId),
    actions,
    send: (connId, event, payload) => deps.sendTo(connId, event, payload),
  });
  /** Asks for approval of a node's command surface unless the approved one covers it. */
  const askApproval = async (node: ConnectedNode, local: boolean) => {
    await pairing.state();
    pairing.seen(node.nodeId, "connect", node.connectedAtMs);
    const surface = effectiveCommands(node, deps.settings());
    const approved = pairing.approvedCommands(node.nodeId);
    const caps = pairing.approvedCaps(node.nodeId) ?? [];
    // A new cap (say `canvas`) needs approval as much as a new command does.
    if (
      approved && surface.every((c) => approved.includes(c)) &&
      node.caps.every((c) => caps.includes(c))
    ) return;
    await pairing.request(node.nodeId, {
      ...(node.displayName ? { displayName: node.displayName } : {}),
      platform: node.platform,
      version: node.version,
      ...(node.deviceFamily ? { deviceFamily: node.deviceFamily } : {}),
      ...(node.modelIdentifier ? { modelIdentifier: node.modelIdentifier } : {}),
      caps: node.caps,
      commands: surface,
      clientId: node.clientId,
      clientMode: node.clientMode,
      ...(node.permissions ? { permissions: node.permissions } : {}),
      remoteIp: node.remoteIp,
      silent: local,
    });
  };
  const conns = new Map<string, { deviceId: string; role: string }>();
  const deviceConns = (deviceId: string) =>
    [...conns].filter(([, c]) => c.deviceId === deviceId).map(([connId, c]) => ({
      connId,
      role: c.role,
    }));
  return {
    devices,
    registry,
    invoker,
    pairing,
    actions,
    work: new PendingWork(),
    deviceConns,
    closeDevice(deviceId, reason, role, except) {
      for (const c of deviceConns(deviceId)) {
        if ((!role || c.role === role) && c.connId !== except) {
          deps.closeConn(c.connId, 1008, reason);
        }
      }
    },
    decide(params, peer, nonce, base) {
      const device = params.device;
      if (!device) {
        const verdict = base(params, { deviceTokenValid: false });
        // Only loopback clients may skip the device identity (protocol.md §4):
        // a shared secret alone from elsewhere grants no scopes.
        if (!verdict.ok || peer.isLoopback) return verdict;
        return deviceRequired();
      }
      return decideDeviceConnect({ ...params, device }, peer, nonce, {
        registry: devices,
        autoApproveLocal: () => deps.settings().autoApproveLocal,
        autoApproveCidrs: () => deps.settings().autoApproveCidrs ?? [],
        decide: base,
        onStoreError: (err) => deps.log.error(err.message),
      });
    },
    opened(session) {
      if (!session.deviceId) return;
      conns.set(session.connId, { deviceId: session.deviceId, role: session.role });
      const p = session.params;
      if (session.role !== "node" || !p) return;
      const node: ConnectedNode = {
        nodeId: session.deviceId,
        connId: session.connId,
        ...(p.client.displayName ? { displayName: p.client.displayName } : {}),
        platform: p.client.platform,
        version: p.client.version,
        ...(p.client.deviceFamily ? { deviceFamily: p.client.deviceFamily } : {}),
        ...(p.client.modelIdentifier ? { modelIdentifier: p.client.modelIdentifier } : {}),
        clientId: p.client.id,
        clientMode: p.client.mode,
        caps: [...new Set(p.caps ?? [])].sort(),
        commands: [...new Set(p.commands ?? [])],
        ...(p.permissions ? { permissions: p.permissions } : {}),
        ...(p.pathEnv ? { pathEnv: p.pathEnv } : {}),
        remoteIp: session.peer.remoteIp,
        connectedAtMs: session.connectedAt,
      };
      registry.add(node);
      askApproval(node, isLoopbackAddress(session.peer.remoteIp)).catch((err) =>
        deps.log.error(`node pairing request failed: ${err instanceof Error ? err.message : err}`, {
          nodeId: node.nodeId,
        })
      );
    },
    closed(connId) {
      conns.delete(connId);
      const gone = registry.remove(connId);
      if (gone) pairing.seen(gone.nodeId, "disconnect");
      invoker.disconnected(connId);
    },
  };
}
