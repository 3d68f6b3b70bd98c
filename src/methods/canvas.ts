/**
 * Canvas capability renewal, for nodes: `node.canvas.capability.refresh`
 * (protocol 3 answer shape) and `node.pluginSurface.refresh` (protocol 4).
 * Both issue a fresh capability for the calling connection; the old URL
 * stops working.
 *
 * @module
 */

import type {
  CanvasCapabilityRefreshResult,
  PluginSurfaceRefreshParams,
  PluginSurfaceRefreshResult,
} from "../../protocol/schemas/canvas.ts";
import type { SurfaceGrant } from "../canvas/surface.ts";
import { invalidRequest } from "../errors.ts";
import type { CallContext } from "../server/router.ts";

/** What the canvas handlers need. */
export interface CanvasMethodDeps {
  /** A fresh capability URL for the connection; throws when it may not have one. */
  refresh(connId: string): Promise<SurfaceGrant>;
}

/** The canvas handlers. */
export function canvasHandlers(deps: CanvasMethodDeps) {
  return {
    "node.canvas.capability.refresh": async (
      _params: Record<string, never>,
      ctx: CallContext,
    ): Promise<CanvasCapabilityRefreshResult> => {
      const grant = await deps.refresh(ctx.connId);
      return {
        canvasCapability: grant.capability,
        canvasCapabilityExpiresAtMs: grant.expiresAtMs,
        canvasHostUrl: grant.url,
      };
    },
    "node.pluginSurface.refresh": async (
      params: PluginSurfaceRefreshParams,
      ctx: CallContext,
    ): Promise<PluginSurfaceRefreshResult> => {
      if (params.surface !== "canvas") {
        throw invalidRequest(
          `Unknown plugin surface ${
            JSON.stringify(params.surface)
          }: this gateway serves "canvas" only`,
          { surface: params.surface },
        );
      }
      const grant = await deps.refresh(ctx.connId);
      return {
        surface: "canvas",
        pluginSurfaceUrls: { canvas: grant.url },
        expiresAtMs: grant.expiresAtMs,
      };
    },
  };
}
