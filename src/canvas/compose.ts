/**
 * The canvas parts of one gateway instance, built together: the host (routes
 * mounted on the gateway port), its own listener on `canvasHost.port`
 * (started after the gateway listener), the capability table and the
 * `hello-ok` surface. `src/app.ts` builds this once per instance, so a
 * restart (in-process or for a `canvasHost.*` edit) rebuilds all of it.
 *
 * @module
 */

import type { GatewaySettings } from "../config/settings.ts";
import type { WatchTree } from "../runtime/watch.ts";
import type { Listener } from "../server/serve.ts";
import { CapabilityTable } from "./capabilities.ts";
import { type CanvasHost, createCanvasHost } from "./host.ts";
import { startCanvasListener } from "./listener.ts";
import { CanvasSurface, type SurfaceHelloFields } from "./surface.ts";

/** What {@link composeCanvas} needs. */
export interface CanvasComposeDeps {
  /** `settings.canvas` (read once: canvas edits restart the instance). */
  settings: GatewaySettings["canvas"];
  /** The gateway's bind address: the canvas listener binds the same. */
  bindHost: string;
  /** Loopback or the gateway secret (see `canvasAccess` in `src/http/mod.ts`). */
  authorize(req: Pick<Request, "headers">, remoteIp: string): boolean;
  allowedOrigins(): readonly string[];
  watch?: WatchTree;
  /** Whether node `nodeId` has `canvas` among its approved caps (loaded state). */
  canvasApproved(nodeId: string): boolean;
  /** Loads the node approvals `canvasApproved` reads. */
  loadApprovals(): Promise<void>;
  log: { info(msg: string): void; warn(msg: string): void };
}

/** The composed canvas. */
export interface CanvasParts {
  host: CanvasHost;
  surface: CanvasSurface;
  /** The canvas fields of an accepted session's `hello-ok` (see {@link CanvasSurface.hello}). */
  hello(
    session: { connId: string; deviceId?: string; peer: { host?: string } },
    accepted: { role: string; scopes: readonly string[]; protocol: number },
  ): SurfaceHelloFields;
  /** Opens the canvas listener (when configured) once the gateway listens on `gatewayPort`. */
  start(gatewayPort: number): void;
  /** The canvas listener's port, when it runs. */
  port(): number | undefined;
  /** Closes the listener, the sockets and the watcher. */
  stop(): Promise<void>;
}

/** Builds the canvas parts (the listener waits for {@link CanvasParts.start}). */
export function composeCanvas(deps: CanvasComposeDeps): CanvasParts {
  const s = deps.settings;
  const table = new CapabilityTable(s.capabilityTtlMs ? { ttlMs: s.capabilityTtlMs } : {});
  const host = createCanvasHost({
    enabled: s.enabled,
    root: s.root,
    liveReload: s.liveReload,
    authorize: deps.authorize,
    capabilities: table,
    allowedOrigins: deps.allowedOrigins,
    ...(deps.watch ? { watch: deps.watch } : {}),
    log: deps.log,
  });
  let listener: Listener | undefined;
  let gatewayPort = 0;
  const surface = new CanvasSurface({
    enabled: s.enabled,
    table,
    port: () => listener?.port ?? gatewayPort,
    bindHost: deps.bindHost,
    canvasApproved: deps.canvasApproved,
    load: deps.loadApprovals,
    dropped: (connId) => host.dropConnection(connId),
  });
  return {
    host,
    surface,
    hello: (session, accepted) =>
      surface.hello({
        connId: session.connId,
        role: accepted.role,
        scopes: accepted.scopes,
        protocol: accepted.protocol,
        deviceId: session.deviceId,
        host: session.peer.host,
      }),
    start(port) {
      gatewayPort = port;
      // The same port as the gateway: the routes are already mounted there.
      if (!s.enabled || s.port === undefined || (s.port !== 0 && s.port === port)) return;
      listener = startCanvasListener({
        hostname: deps.bindHost,
        port: s.port,
        host,
        log: deps.log,
      });
    },
    port: () => listener?.port,
    async stop() {
      await host.close();
      await listener?.close();
    },
  };
}
