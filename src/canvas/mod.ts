/**
 * The canvas host: files, bridge injection, demo page and live reload, on
 * the gateway port and on its own `canvasHost.port`, readable with a
 * capability-scoped URL handed to nodes in `hello-ok` (see `compose.ts`).
 *
 * @module
 */

export { CANVAS_CSP, CANVAS_PREFIX, prepareCanvasRoot, serveCanvas } from "./files.ts";
export { BRIDGE_SCRIPT, injectBridge, LIVE_RELOAD_CLIENT } from "./inject.ts";
export {
  type CanvasHost,
  type CanvasHostDeps,
  createCanvasHost,
  LIVE_RELOAD_PATH,
  MAX_RELOAD_CLIENTS,
  RELOAD_DEBOUNCE_MS,
} from "./host.ts";
export {
  CAPABILITY_PREFIX,
  CAPABILITY_QUERY,
  CAPABILITY_TTL_MS,
  CapabilityTable,
  scopedUrl,
  splitCapabilityPath,
} from "./capabilities.ts";
export { startCanvasListener } from "./listener.ts";
export { CanvasSurface, type SurfaceGrant, type SurfaceSession } from "./surface.ts";
export { type CanvasComposeDeps, type CanvasParts, composeCanvas } from "./compose.ts";
export { gatewayCanvas, type GatewayCanvasDeps } from "./gateway.ts";
