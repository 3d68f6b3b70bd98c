/**
 * How an admitted WebSocket session is wired to one gateway instance: its
 * connect decision (device identity, then shared auth), its `hello-ok`
 * (server state plus the canvas fields), its open/close hooks and its
 * request dispatch. `src/app.ts` builds this once per instance.
 *
 * @module
 */

import type { ConnectParams } from "../../protocol/schemas/connect.ts";
import type { CanvasParts } from "../canvas/compose.ts";
import type { GatewaySettings } from "../config/settings.ts";
import type { Logger } from "../log/logger.ts";
import type { Nodes } from "../nodes/mod.ts";
import type { AuthRateLimiter } from "./auth.ts";
import { decideConnect } from "./handshake.ts";
import { buildHelloOk, type HelloSources } from "./hello.ts";
import type { Hub } from "./hub.ts";
import type { Router } from "./router.ts";
import type { PeerInfo, SessionDeps, WsSession } from "./ws_session.ts";

/** What {@link sessionWiring} reads; each part is narrowed to the calls made. */
export interface SessionWiringDeps {
  /** The settings in force (read per connect: reloads apply). */
  settings(): GatewaySettings;
  limiter: AuthRateLimiter;
  nodes: Pick<Nodes, "decide" | "pairing">;
  canvas: Pick<CanvasParts, "hello" | "surface">;
  hello: HelloSources;
  hooks: { opened(session: WsSession): void; closed(session: WsSession): void };
  router: Pick<Router, "dispatch">;
  hub: Pick<Hub, "get">;
  log: Logger;
}

/** The session dependencies of one gateway instance. */
export function sessionWiring(deps: SessionWiringDeps): SessionDeps {
  const { nodes, canvas, hooks, router, hub } = deps;
  return {
    policy: () => deps.settings().policy,
    // Read once: a new handshake timeout takes a restart, as before.
    handshakeTimeoutMs: deps.settings().handshakeTimeoutMs,
    log: deps.log,
    decide: (params: ConnectParams, peer: PeerInfo, nonce: string) => {
      const settings = deps.settings();
      const verdict = nodes.decide(params, peer, nonce, (p, extra) =>
        decideConnect(p, {
          auth: settings.auth,
          limiter: deps.limiter,
          remoteIp: peer.remoteIp,
          browser: peer.browserOrigin !== undefined,
          deviceTokenValid: extra.deviceTokenValid,
        }));
      // A node's hello-ok reads its approved caps (canvas URL): load them first.
      if (params.role !== "node" || !settings.canvas.enabled) return verdict;
      return nodes.pairing.state().then(() => verdict, () => verdict);
    },
    hello: (session, accepted) => ({
      ...buildHelloOk(session.connId, accepted, deps.hello),
      ...canvas.hello(session, accepted),
    }),
    opened: (session) => hooks.opened(session),
    closed: (session) => {
      hooks.closed(session);
      canvas.surface.closed(session.connId);
    },
    // A second answer (`agent` final) goes to the same socket, if it is still there.
    dispatch: (id, method, params, ctx) =>
      router.dispatch(
        id,
        method,
        params,
        ctx,
        (frame) => hub.get(ctx.connId)?.sendRaw(JSON.stringify(frame), { dropIfSlow: false }),
      ),
  };
}
