/**
 * The canvas as a client sees it in `hello-ok`: a capability-scoped base URL,
 * `canvasHostUrl` for protocol 3 clients and `pluginSurfaceUrls.canvas` for
 * protocol 4, and its renewal (`node.canvas.capability.refresh`,
 * `node.pluginSurface.refresh`). A node gets one once its approved caps
 * (`node.pair.approve`) include `canvas`; an operator gets one with
 * `operator.read` (2026.9.6 gave operators one too). Each connection holds at
 * most one capability; it dies with the connection.
 *
 * @module
 */

import { unavailable } from "../errors.ts";
import { hasScope } from "../server/scopes.ts";
import { type CapabilityTable, scopedUrl } from "./capabilities.ts";

/** The connection facts a canvas URL depends on (recorded at `hello-ok`). */
export interface SurfaceSession {
  connId: string;
  role: string;
  scopes: readonly string[];
  protocol: number;
  /** The verified device id (a node's id). */
  deviceId?: string;
  /** The `Host` header the client connected with: the URL uses the same name. */
  host?: string;
}

/** The `hello-ok` fields this part adds. */
export interface SurfaceHelloFields {
  canvasHostUrl?: string;
  pluginSurfaceUrls?: Record<string, string>;
}

/** A renewed capability URL. */
export interface SurfaceGrant {
  url: string;
  capability: string;
  expiresAtMs: number;
}

/** What {@link CanvasSurface} needs. */
export interface CanvasSurfaceDeps {
  /** Whether the canvas host runs at all. */
  enabled: boolean;
  table: CapabilityTable;
  /** The port canvas URLs point at: the canvas listener's, else the gateway's. */
  port(): number;
  /** The gateway's bind address: the URL host when the client sent no usable `Host`. */
  bindHost: string;
  /** Whether node `nodeId` has `canvas` among its approved caps (from loaded state). */
  canvasApproved(nodeId: string): boolean;
  /** Loads what `canvasApproved` reads (an approval may land after the hello). */
  load(): Promise<void>;
  /** Told when a connection's capability dies (close its live-reload sockets). */
  dropped(connId: string): void;
}

/** Longest `Host` header used for a URL. */
const MAX_HOST_CHARS = 255;

/** The host part of canvas URLs for a client that connected with `Host: hostHeader`. */
export function urlHost(hostHeader: string | undefined, bindHost: string): string {
  if (hostHeader && hostHeader.length <= MAX_HOST_CHARS) {
    try {
      const name = new URL(`http://${hostHeader.trim()}`).hostname;
      if (name) return name;
    } catch {
      // Not a host: fall back to the bind address.
    }
  }
  if (bindHost === "0.0.0.0" || bindHost === "::" || bindHost === "") return "127.0.0.1";
  return bindHost.includes(":") ? `[${bindHost}]` : bindHost;
}

/** Canvas URLs and capabilities of one gateway instance. */
export class CanvasSurface {
  #deps: CanvasSurfaceDeps;
  #sessions = new Map<string, SurfaceSession>();

  constructor(deps: CanvasSurfaceDeps) {
    this.#deps = deps;
  }

  #eligible(s: SurfaceSession): boolean {
    if (!this.#deps.enabled) return false;
    if (s.role === "node") return s.deviceId !== undefined && this.#deps.canvasApproved(s.deviceId);
    return hasScope(s.scopes, "operator.read");
  }

  #grant(s: SurfaceSession): SurfaceGrant {
    const { capability, expiresAtMs } = this.#deps.table.issue(s.connId);
    const base = `http://${urlHost(s.host, this.#deps.bindHost)}:${this.#deps.port()}`;
    return { url: scopedUrl(base, capability), capability, expiresAtMs };
  }

  /**
   * The canvas fields of `hello-ok` for a session just accepted (none when
   * it may not have one yet); remembers the session for a later refresh.
   */
  hello(s: SurfaceSession): SurfaceHelloFields {
    if (!this.#deps.enabled) return {};
    if (s.role === "node" || hasScope(s.scopes, "operator.read")) this.#sessions.set(s.connId, s);
    if (!this.#eligible(s)) return {};
    const { url } = this.#grant(s);
    return s.protocol >= 4 ? { pluginSurfaceUrls: { canvas: url } } : { canvasHostUrl: url };
  }

  /**
   * A fresh capability URL for connection `connId` (the old one stops
   * working); throws `UNAVAILABLE` when this connection may not have one.
   */
  async refresh(connId: string): Promise<SurfaceGrant> {
    const s = this.#sessions.get(connId);
    if (s?.role === "node") await this.#deps.load();
    if (!s || !this.#eligible(s)) {
      throw unavailable("canvas host unavailable for this node session", {
        details: {
          reason: this.#deps.enabled ? "canvas-not-approved" : "canvas-host-disabled",
        },
      });
    }
    return this.#grant(s);
  }

  /**
   * An approval or the command policy changed: every node connection that
   * may no longer have the canvas loses its capability (and its live-reload
   * sockets) now, not when it reconnects. Its session stays, so a refresh
   * after a new approval grants one again.
   */
  recheck(): void {
    for (const s of this.#sessions.values()) {
      if (s.role !== "node" || this.#eligible(s)) continue;
      if (this.#deps.table.revoke(s.connId)) this.#deps.dropped(s.connId);
    }
  }

  /** The connection closed: its capability and its capability's sockets go. */
  closed(connId: string): void {
    this.#sessions.delete(connId);
    this.#deps.table.revoke(connId);
    this.#deps.dropped(connId);
  }
}
