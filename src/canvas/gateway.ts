/**
 * The canvas of one gateway instance: {@link composeCanvas} over the
 * gateway's settings, its auth (loopback or the gateway secret), the file
 * watcher and the node approvals that grant a node the canvas.
 *
 * @module
 */

import type { GatewaySettings } from "../config/settings.ts";
import { canvasAccess } from "../http/mod.ts";
import type { Logger } from "../log/logger.ts";
import type { Nodes, NodesSettings } from "../nodes/mod.ts";
import { canvasDenied } from "../nodes/policy.ts";
import { watchTreeFs } from "../runtime/watch.ts";
import type { AuthRateLimiter } from "../server/auth.ts";
import { type CanvasParts, composeCanvas } from "./compose.ts";

/** What {@link gatewayCanvas} reads. */
export interface GatewayCanvasDeps {
  /** The settings in force; `canvas` and `bindHost` are read once (edits restart). */
  settings(): GatewaySettings;
  limiter: AuthRateLimiter;
  /** `gateway.nodes` in force (a `denyCommands` may deny the canvas). */
  nodesSettings(): NodesSettings;
  nodes: Pick<Nodes, "pairing">;
  log: Logger;
}

/** Builds the instance's canvas parts (the listener waits for `start`). */
export function gatewayCanvas(deps: GatewayCanvasDeps): CanvasParts {
  const { nodes, log } = deps;
  const settings = deps.settings();
  const allowedOrigins = () => deps.settings().allowedOrigins ?? [];
  // Built once: `auth` is read per call, so reloads still apply.
  const authed = canvasAccess({
    auth: () => deps.settings().auth,
    limiter: deps.limiter,
    allowedOrigins,
  });
  return composeCanvas({
    settings: settings.canvas,
    bindHost: settings.bindHost,
    authorize: (req, ip) => authed(req, deps.settings().peerAddress?.(ip) ?? ip),
    allowedOrigins,
    watch: watchTreeFs({ onError: (m) => log.warn(m) }),
    canvasApproved: (nodeId) =>
      !canvasDenied(deps.nodesSettings()) &&
      (nodes.pairing.approvedCaps(nodeId)?.includes("canvas") ?? false),
    loadApprovals: async () => {
      await nodes.pairing.state();
    },
    log,
  });
}
