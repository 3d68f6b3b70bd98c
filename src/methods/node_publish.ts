/**
 * `node.pluginTools.update` and `node.skills.update`: a connected node
 * (the real `openclaw node run` calls both right after `hello-ok`) replaces
 * the tools and skills it offers. They are kept on the connection and
 * answered as 2026.9.6 does; nothing else reads them yet.
 *
 * @module
 */

import type { NodePluginTool, NodeSkill } from "../../protocol/schemas/node_publish.ts";
import { invalidRequest } from "../errors.ts";
import type { NodeRegistry } from "../nodes/registry.ts";
import type { CallContext } from "../server/router.ts";

/** Builds the two handlers over the connected-node registry. */
export function nodePublishHandlers(registry: NodeRegistry) {
  const caller = (ctx: CallContext) => {
    const node = registry.byConn(ctx.connId);
    if (!node) {
      throw invalidRequest(
        "unknown nodeId: only a node connected with a device identity can publish (reconnect)",
      );
    }
    return node;
  };
  return {
    "node.pluginTools.update": (p: { tools: NodePluginTool[] }, ctx: CallContext) => {
      const node = caller(ctx);
      node.pluginTools = p.tools;
      return { nodeId: node.nodeId, tools: p.tools };
    },
    "node.skills.update": (p: { skills: NodeSkill[] }, ctx: CallContext) => {
      const node = caller(ctx);
      node.skills = p.skills;
      return { nodeId: node.nodeId, skills: p.skills };
    },
  };
}
