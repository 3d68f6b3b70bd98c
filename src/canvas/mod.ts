/**
 * The canvas host: files, bridge injection, demo page, and live reload, on
 * the gateway port (see `host.ts`).
 *
 * @module
 */

export { CANVAS_PREFIX, prepareCanvasRoot, serveCanvas } from "./files.ts";
export { BRIDGE_SCRIPT, injectBridge } from "./inject.ts";
export {
  type CanvasHost,
  type CanvasHostDeps,
  createCanvasHost,
  LIVE_RELOAD_PATH,
  MAX_RELOAD_CLIENTS,
  RELOAD_DEBOUNCE_MS,
} from "./host.ts";
