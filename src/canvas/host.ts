/**
 * The canvas host on the gateway port: files under `/__openclaw__/canvas/`
 * from the canvas root (see `files.ts`), and the live-reload WebSocket on
 * `/__openclaw__/ws` that sends the text frame `reload` to every connected
 * page (debounced) when something under the root changes.
 *
 * Who may read: the caller's `authorize` decides (the gateway admits
 * loopback peers and requests carrying the gateway secret as a bearer).
 * A refused request gets 401; an off host claims no path at all.
 *
 * @module
 */

import type { WatchTree } from "../runtime/watch.ts";
import type { UpgradeRequest } from "../server/ws_adapter.ts";
import { upgradeWebSocket } from "../server/ws_adapter.ts";
import { errorResponse } from "../server/http1.ts";
import { checkOrigin } from "../server/origin.ts";
import { CANVAS_PREFIX, prepareCanvasRoot, serveCanvas } from "./files.ts";

/** Path of the live-reload WebSocket. */
export const LIVE_RELOAD_PATH = "/__openclaw__/ws";
/** Live-reload sockets open at once; more are refused with 503. */
export const MAX_RELOAD_CLIENTS = 64;
/** Quiet time after the last change before `reload` goes out. */
export const RELOAD_DEBOUNCE_MS = 75;

/** What the host needs. */
export interface CanvasHostDeps {
  /** `settings.canvas` in force (`enabled` and `root` are read at start). */
  enabled: boolean;
  root: string;
  /** Whether this request may read the canvas (headers only: upgrades have no body). */
  authorize(req: Pick<Request, "headers">, remoteIp: string): boolean;
  /** Browser origins admitted besides the gateway's own (`gateway.controlUi.allowedOrigins`). */
  allowedOrigins(): readonly string[];
  /** The file-watching edge; absent = no live reload. */
  watch?: WatchTree;
  log: { info(msg: string): void; warn(msg: string): void };
  /** Debounce of reload messages (tests). */
  debounceMs?: number;
}

/** A running canvas host. */
export interface CanvasHost {
  /** Answers a canvas request, or `undefined` when the path is not the host's. */
  handle(req: Request, info: { remoteIp: string }): Promise<Response | undefined>;
  /** Accepts a live-reload upgrade, or `undefined` when the path is not the host's. */
  upgrade(req: UpgradeRequest, info: { remoteIp: string }): Response | undefined;
  /** Live-reload sockets open now. */
  clients(): number;
  /** Stops the watcher and closes the live-reload sockets. */
  close(): Promise<void>;
}

function pathOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url, "http://canvas.invalid").pathname;
  } catch {
    return undefined;
  }
}

function mine(path: string): boolean {
  return path === CANVAS_PREFIX || path.startsWith(CANVAS_PREFIX + "/");
}

const unauthorized = () =>
  errorResponse(
    401,
    "Canvas needs auth: open it from the gateway host or send Authorization: Bearer <gateway token>",
  );

/** A host that claims nothing (canvas off). */
const OFF: CanvasHost = {
  handle: () => Promise.resolve(undefined),
  upgrade: () => undefined,
  clients: () => 0,
  close: () => Promise.resolve(),
};

/**
 * Starts the host: prepares the root (the demo page when it has no
 * `index.html`), then watches it. Requests wait for the preparation.
 */
export function createCanvasHost(deps: CanvasHostDeps): CanvasHost {
  if (!deps.enabled) return OFF;
  const sockets = new Set<
    { send(text: string): void; close(code?: number, reason?: string): void }
  >();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const debounceMs = deps.debounceMs ?? RELOAD_DEBOUNCE_MS;
  const changed = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      for (const s of sockets) s.send("reload");
    }, debounceMs);
  };
  let watch: { close(): Promise<void> } | undefined;
  const ready = prepareCanvasRoot(deps.root).then(async () => {
    if (closed || !deps.watch) return;
    watch = deps.watch(await Deno.realPath(deps.root), changed);
  }).catch((err) => {
    deps.log.warn(
      `Canvas root ${deps.root} cannot be prepared (${(err as Error).message}); ` +
        "check canvasHost.root and its permissions",
    );
  });

  return {
    async handle(req, info) {
      const path = pathOf(req.url);
      if (path === undefined) return undefined;
      if (path === LIVE_RELOAD_PATH) {
        return errorResponse(426, "upgrade required", { Upgrade: "websocket" });
      }
      if (!mine(path)) return undefined;
      if (!deps.authorize(req, info.remoteIp)) return unauthorized();
      await ready;
      return await serveCanvas(req, deps.root);
    },
    upgrade(req, info) {
      if (pathOf(req.url) !== LIVE_RELOAD_PATH) return undefined;
      // The same origin rule as the control plane's upgrade: a page on another
      // site may not hold a socket here, even from loopback.
      if (!checkOrigin(req.headers, deps.allowedOrigins()).ok) {
        return errorResponse(403, "origin not allowed for the canvas live-reload socket");
      }
      if (!deps.authorize(req, info.remoteIp)) return unauthorized();
      if (closed) return errorResponse(503, "Gateway is shutting down");
      if (sockets.size >= MAX_RELOAD_CLIENTS) {
        return errorResponse(
          503,
          `Too many live-reload sockets (${MAX_RELOAD_CLIENTS}): close some canvas pages`,
        );
      }
      return upgradeWebSocket(req, (socket) => {
        const entry = {
          send: (text: string) => socket.send(text),
          close: (code?: number, reason?: string) => socket.close(code, reason),
        };
        return {
          onOpen: () => sockets.add(entry),
          onMessage: () => {}, // pages have nothing to say
          onClose: () => sockets.delete(entry),
          maxMessageBytes: () => 1024,
        };
      });
    },
    clients: () => sockets.size,
    async close() {
      closed = true;
      clearTimeout(timer);
      await ready;
      await watch?.close();
      for (const s of sockets) s.close(1001, "gateway stopping");
      sockets.clear();
    },
  };
}
