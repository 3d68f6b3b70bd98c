/**
 * The canvas host's request handling (files, bridge injection, demo page).
 * Not yet wired to a listener: see docs-notes/nodes.md.
 *
 * @module
 */

export { CANVAS_PREFIX, prepareCanvasRoot, serveCanvas } from "./files.ts";
export { BRIDGE_SCRIPT, injectBridge } from "./inject.ts";
