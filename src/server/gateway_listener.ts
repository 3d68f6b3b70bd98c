/**
 * The gateway port of one instance: the listener, WebSocket upgrades (the
 * canvas's live reload first, then the control plane), the HTTP API with
 * the canvas mounted in front, and the control UI behind it.
 *
 * @module
 */

import type { CanvasHost } from "../canvas/host.ts";
import { gatewayHttp, type GatewayHttpDeps } from "../http/mod.ts";
import type { Logger } from "../log/logger.ts";
import { controlUiSettings, createControlUi } from "../ui/mod.ts";
import { createHttpHandler } from "./http.ts";
import {
  acceptErrorWarning,
  type ConnInfo,
  listen,
  type Listener,
  type UpgradeRequest,
} from "./serve.ts";
import type { SocketAdmission } from "./upgrade.ts";

/** What {@link listenGateway} binds and serves. */
export interface GatewayListenerDeps {
  hostname: string;
  port: number;
  admission: Pick<SocketAdmission, "upgrade" | "shedOldest">;
  canvas: CanvasHost;
  /** The HTTP API's deps (`stopping` also answers `live`). */
  http: Omit<GatewayHttpDeps, "canvas">;
  /** Logs accept failures (EMFILE and the like). */
  log: Logger;
}

/** Binds the gateway port; throws `ListenError` when it cannot. */
export function listenGateway(deps: GatewayListenerDeps): Listener {
  const { admission, canvas } = deps;
  const upgrade = (req: UpgradeRequest, info: ConnInfo) =>
    canvas.upgrade(req, info) ?? admission.upgrade(req, info);
  const http = gatewayHttp({ ...deps.http, canvas });
  return listen(
    {
      hostname: deps.hostname,
      port: deps.port,
      shed: () => admission.shedOldest(),
      bodyLimit: http.bodyLimit,
      upgrade,
      onAcceptError: acceptErrorWarning(deps.log),
    },
    createHttpHandler({
      live: () => !deps.http.stopping(),
      api: http.api,
      ui: createControlUi(() => controlUiSettings(deps.http.config().gateway?.controlUi)),
      upgrade,
    }),
  );
}
