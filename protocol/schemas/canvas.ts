/**
 * Canvas capability renewal: a node asks for a fresh capability-scoped canvas
 * URL before the one from `hello-ok` expires. Protocol 3 names it
 * `node.canvas.capability.refresh`, protocol 4 `node.pluginSurface.refresh`.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;

/** Params of `node.canvas.capability.refresh` (protocol 3). */
export const CanvasCapabilityRefreshParams = Type.Object({}, closed);
/** Result of `node.canvas.capability.refresh`: the new capability and its scoped base URL. */
export const CanvasCapabilityRefreshResult = Type.Object({
  canvasCapability: Type.String(),
  canvasCapabilityExpiresAtMs: Type.Integer(),
  /** `http://<host>:<port>/__openclaw__/cap/<canvasCapability>`. */
  canvasHostUrl: Type.String(),
}, closed);
/** The static type of {@link CanvasCapabilityRefreshResult}. */
export type CanvasCapabilityRefreshResult = Static<typeof CanvasCapabilityRefreshResult>;

/** Params of `node.pluginSurface.refresh` (protocol 4): the surface to renew. */
export const PluginSurfaceRefreshParams = Type.Object({
  surface: Type.String({ minLength: 1, maxLength: 64 }),
}, closed);
/** The static type of {@link PluginSurfaceRefreshParams}. */
export type PluginSurfaceRefreshParams = Static<typeof PluginSurfaceRefreshParams>;
/** Result of `node.pluginSurface.refresh`. */
export const PluginSurfaceRefreshResult = Type.Object({
  surface: Type.String(),
  pluginSurfaceUrls: Type.Record(Type.String(), Type.String()),
  expiresAtMs: Type.Integer(),
}, closed);
/** The static type of {@link PluginSurfaceRefreshResult}. */
export type PluginSurfaceRefreshResult = Static<typeof PluginSurfaceRefreshResult>;
