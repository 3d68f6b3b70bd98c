/**
 * Connected nodes: one entry per node id (the device id), holding what the
 * node declared at connect. The latest connection of a node wins.
 *
 * @module
 */

import type { NodePluginTool, NodeSkill } from "../../protocol/schemas/node_publish.ts";

/** A node connection as the gateway knows it. */
export interface ConnectedNode {
  nodeId: string;
  connId: string;
  displayName?: string;
  platform: string;
  version: string;
  deviceFamily?: string;
  modelIdentifier?: string;
  clientId: string;
  clientMode: string;
  caps: string[];
  /** Declared commands (before the policy). */
  commands: string[];
  permissions?: Record<string, boolean>;
  pathEnv?: string;
  remoteIp: string;
  connectedAtMs: number;
  /** Published after connect (`node.pluginTools.update`, `node.skills.update`). */
  pluginTools?: NodePluginTool[];
  skills?: NodeSkill[];
}

/** The set of connected nodes. */
export class NodeRegistry {
  #byId = new Map<string, ConnectedNode>();

  /** Registers a node connection (replacing an older connection of the same node). */
  add(node: ConnectedNode): ConnectedNode | undefined {
    const old = this.#byId.get(node.nodeId);
    this.#byId.set(node.nodeId, node);
    return old;
  }

  /** Forgets the node on `connId`, if that connection is still its current one. */
  remove(connId: string): ConnectedNode | undefined {
    for (const node of this.#byId.values()) {
      if (node.connId !== connId) continue;
      this.#byId.delete(node.nodeId);
      return node;
    }
    return undefined;
  }

  /** The connected node with `nodeId`. */
  get(nodeId: string): ConnectedNode | undefined {
    return this.#byId.get(nodeId);
  }

  /** The node whose current connection is `connId`. */
  byConn(connId: string): ConnectedNode | undefined {
    for (const node of this.#byId.values()) if (node.connId === connId) return node;
    return undefined;
  }

  /** Every connected node. */
  list(): ConnectedNode[] {
    return [...this.#byId.values()];
  }
}
