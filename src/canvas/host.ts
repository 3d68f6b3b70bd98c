/**
 * The canvas host on the gateway port: files under `/__openclaw__/canvas/`
 * from the canvas root (see `files.ts`), and the live-reload WebSocket on
 * `/__openclaw__/ws` that sends the text frame `reload` to every connected
 * page (debounced) when something under the root changes.
 *
 * Who may read: the caller's `authorize` decides (the gateway admits
 * loopback peers and requests carrying the gateway secret as a bearer), or a
 * live capability (`capabilities.ts`): under `/__openclaw__/cap/<cap>/` the
 * capability alone decides, from any address, and only the canvas paths are
 * reachable there. A refused request gets 401; an off host claims no path.
 *
 * @module
 */

import type { WatchTree } from "../runtime/watch.ts";
import type { UpgradeRequest } from "../server/ws_adapter.ts";
import { upgradeWebSocket } from "../server/ws_adapter.ts";
import { errorResponse } from "../server/http1.ts";
import { checkOrigin } from "../server/origin.ts";
import { CAPABILITY_QUERY, splitCapabilityPath } from "./capabilities.ts";
import { CANVAS_PREFIX, prepareCanvasRoot, serveCanvas } from "./files.ts";

/** Path of the live-reload WebSocket. */
export const LIVE_RELOAD_PATH = "/__openclaw__/ws";
/** Live-reload sockets open at once; more are refused with 503. */
export const MAX_RELOAD_CLIENTS = 64;
/**
 * Of those, sockets from sandboxed pages (`Origin: null`) let in by loopback
 * rather than a capability. Any web page can make a sandboxed frame, so they
 * get a share only: a page holding them all cannot starve nodes' canvases.
 */
export const MAX_SANDBOXED_RELOAD_CLIENTS = 16;
/** Quiet time after the last change before `reload` goes out. */
export const RELOAD_DEBOUNCE_MS = 75;

/** What the host needs. */
export interface CanvasHostDeps {
  /** `settings.canvas` in force (`enabled`, `root`, `liveReload` are read at start). */
  enabled: boolean;
  root: string;
  /** `canvasHost.liveReload` (default true): false = no socket, no watcher, no reload client. */
  liveReload?: boolean;
  /** Whether this request may read the canvas (headers only: upgrades have no body). */
  authorize(req: Pick<Request, "headers">, remoteIp: string): boolean;
  /** The live capabilities: the connection id a capability belongs to, or `undefined`. */
  capabilities?: { check(capability: string): string | undefined };
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
  /**
   * Answers a canvas request, or `undefined` when the path is not the
   * host's. Pages run sandboxed (an opaque origin) unless `ownOrigin`: the
   * canvas listener's port is an origin of its own, the gateway port is the
   * Control UI's.
   */
  handle(
    req: Request,
    info: { remoteIp: string; ownOrigin?: boolean },
  ): Promise<Response | undefined>;
  /** Accepts a live-reload upgrade, or `undefined` when the path is not the host's. */
  upgrade(req: UpgradeRequest, info: { remoteIp: string }): Response | undefined;
  /** Closes the live-reload sockets opened with the capability of connection `connId`. */
  dropConnection(connId: string): void;
  /** Live-reload sockets open now. */
  clients(): number;
  /** Stops the watcher and closes the live-reload sockets. */
  close(): Promise<void>;
}

function urlOf(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url, "http://canvas.invalid");
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
// Says nothing about which capabilities exist or why this one failed.
const badCapability = () =>
  errorResponse(
    401,
    "Canvas capability is not valid (expired, revoked or unknown): ask the gateway for a " +
      "fresh URL (node.pluginSurface.refresh, or reconnect)",
  );
const notFound = () =>
  new Response("not found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/** How a request got in: `true` by auth, a connection id by that connection's capability. */
type Access = true | string | undefined;

/** A host that claims nothing (canvas off). */
const OFF: CanvasHost = {
  handle: () => Promise.resolve(undefined),
  upgrade: () => undefined,
  dropConnection: () => {},
  clients: () => 0,
  close: () => Promise.resolve(),
};

/**
 * Starts the host: prepares the root (the demo page when it has no
 * `index.html`), then watches it. Requests wait for the preparation.
 */
export function createCanvasHost(deps: CanvasHostDeps): CanvasHost {
  if (!deps.enabled) return OFF;
  const liveReload = deps.liveReload !== false;
  const sockets = new Set<{
    owner?: string;
    sandboxed?: boolean;
    send(text: string): void;
    close(code?: number, reason?: string): void;
  }>();
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
    if (closed || !deps.watch || !liveReload) return;
    watch = deps.watch(await Deno.realPath(deps.root), changed);
  }).catch((err) => {
    deps.log.warn(
      `Canvas root ${deps.root} cannot be prepared (${(err as Error).message}); ` +
        "check canvasHost.root and its permissions",
    );
  });
  /** Auth for an unscoped path: the caller's rule, else `?oc_cap=`. */
  const access = (req: Pick<Request, "headers">, url: URL, remoteIp: string): Access => {
    if (deps.authorize(req, remoteIp)) return true;
    const cap = url.searchParams.get(CAPABILITY_QUERY);
    return cap ? deps.capabilities?.check(cap) : undefined;
  };
  /**
   * The path to serve and how the request got in; a Response when a
   * capability path is refused. Unscoped paths are judged later (`access`).
   */
  const scope = (url: URL): { path: string; owner?: string } | Response => {
    const scoped = splitCapabilityPath(url.pathname);
    if (!scoped) return { path: url.pathname };
    if ("malformed" in scoped) return badCapability();
    const owner = deps.capabilities?.check(scoped.capability);
    if (!owner) return badCapability();
    return { path: scoped.path, owner };
  };

  return {
    async handle(req, info) {
      const url = urlOf(req.url);
      if (!url) return undefined;
      const scoped = scope(url);
      if (scoped instanceof Response) return scoped;
      const { path, owner } = scoped;
      if (path === LIVE_RELOAD_PATH) {
        return liveReload
          ? errorResponse(426, "upgrade required", { Upgrade: "websocket" })
          : notFound();
      }
      if (!mine(path)) return owner ? notFound() : undefined;
      if (!owner && !access(req, url, info.remoteIp)) return unauthorized();
      await ready;
      const opts = { liveReload, sandbox: info.ownOrigin !== true };
      if (!owner) return await serveCanvas(req, deps.root, opts);
      const inner = new Request(new URL(path + url.search, url), {
        method: req.method,
        headers: req.headers,
      });
      return (await serveCanvas(inner, deps.root, opts)) ?? notFound();
    },
    upgrade(req, info) {
      const url = urlOf(req.url);
      if (!url) return undefined;
      const scoped = scope(url);
      if (scoped instanceof Response) return scoped;
      let owner: Access = scoped.owner;
      if (scoped.path !== LIVE_RELOAD_PATH) return owner ? notFound() : undefined;
      if (!liveReload) return notFound();
      // The same origin rule as the control plane's upgrade: a page on another
      // site may not hold a socket here, even from loopback. `null` is the
      // canvas pages' own origin (they are sandboxed, see CANVAS_CSP); the
      // socket only ever says "reload", and access is still checked below.
      const sandboxed = req.headers.get("origin") === "null";
      if (!sandboxed && !checkOrigin(req.headers, deps.allowedOrigins()).ok) {
        return errorResponse(403, "origin not allowed for the canvas live-reload socket");
      }
      owner ??= access(req, url, info.remoteIp);
      if (!owner) return unauthorized();
      if (closed) return errorResponse(503, "Gateway is shutting down");
      if (sockets.size >= MAX_RELOAD_CLIENTS) {
        return errorResponse(
          503,
          `Too many live-reload sockets (${MAX_RELOAD_CLIENTS}): close some canvas pages`,
        );
      }
      const bound = owner === true ? undefined : owner;
      const anonymous = sandboxed && !bound;
      if (
        anonymous &&
        [...sockets].filter((s) => s.sandboxed).length >= MAX_SANDBOXED_RELOAD_CLIENTS
      ) {
        return errorResponse(
          503,
          `Too many live-reload sockets from sandboxed pages (${MAX_SANDBOXED_RELOAD_CLIENTS}): ` +
            "close some canvas pages",
        );
      }
      return upgradeWebSocket(req, (socket) => {
        const entry = {
          ...(bound ? { owner: bound } : {}),
          ...(anonymous ? { sandboxed: true } : {}),
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
    dropConnection(connId) {
      for (const s of sockets) {
        if (s.owner !== connId) continue;
        sockets.delete(s);
        s.close(1008, "canvas capability revoked");
      }
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
