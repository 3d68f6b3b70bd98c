/**
 * What a connected node publishes about itself after `hello-ok`
 * (`node.pluginTools.update`, `node.skills.update`): each call replaces the
 * previous list. Shapes as 2026.9.6 validates them, with size caps.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1, maxLength: 128 });

/** An agent-visible tool a node offers (run through `node.invoke`). */
export const NodePluginTool = Type.Object({
  pluginId: Name,
  name: Name,
  description: Type.String({ minLength: 1, maxLength: 4096 }),
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  command: Type.Optional(Name),
  mcp: Type.Optional(Type.Object({ server: Name, tool: Name }, closed)),
}, closed);
/** The static type of {@link NodePluginTool}. */
export type NodePluginTool = Static<typeof NodePluginTool>;

/** Params of `node.pluginTools.update`. */
export const NodePluginToolsUpdateParams = Type.Object({
  tools: Type.Array(NodePluginTool, { maxItems: 256 }),
}, closed);
/** Result of `node.pluginTools.update`. */
export const NodePluginToolsUpdateResult = Type.Object({
  nodeId: Type.String(),
  tools: Type.Array(NodePluginTool),
}, closed);

/** A skill (instructions) a node offers. */
export const NodeSkill = Type.Object({
  name: Name,
  description: Type.String({ minLength: 1, maxLength: 1024 }),
  content: Type.String({ minLength: 1, maxLength: 65536 }),
}, closed);
/** The static type of {@link NodeSkill}. */
export type NodeSkill = Static<typeof NodeSkill>;

/** Params of `node.skills.update`. */
export const NodeSkillsUpdateParams = Type.Object({
  skills: Type.Array(NodeSkill, { maxItems: 64 }),
}, closed);
/** Result of `node.skills.update`. */
export const NodeSkillsUpdateResult = Type.Object({
  nodeId: Type.String(),
  skills: Type.Array(NodeSkill),
}, closed);
