/**
 * The canvas host's own port (`canvasHost.port`, default gateway port + 4,
 * the runbook's 18793): the same routes as on the gateway port
 * (`/__openclaw__/canvas/`, `/__openclaw__/ws`, `/__openclaw__/cap/<cap>/…`)
 * and nothing else. It fails soft: when the port cannot be bound the gateway
 * logs why and how to fix it, and keeps running without it.
 *
 * @module
 */

import { errorResponse } from "../server/http1.ts";
import { acceptErrorWarning, listen, type Listener, ListenError } from "../server/serve.ts";
import type { CanvasHost } from "./host.ts";

/** What {@link startCanvasListener} needs. */
export interface CanvasListenerDeps {
  /** The gateway's bind address (`settings.bindHost`). */
  hostname: string;
  /** `canvasHost.port` (0 = any free port). */
  port: number;
  host: CanvasHost;
  log: { info(msg: string): void; warn(msg: string): void };
}

const notFound = () =>
  new Response("not found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });

/** Listens for the canvas host; `undefined` (after a warning) when the port cannot be bound. */
export function startCanvasListener(deps: CanvasListenerDeps): Listener | undefined {
  const { host } = deps;
  const where = `${
    deps.hostname.includes(":") ? `[${deps.hostname}]` : deps.hostname
  }:${deps.port}`;
  let listener: Listener;
  try {
    listener = listen(
      {
        hostname: deps.hostname,
        port: deps.port,
        // Canvas requests are GET/HEAD: nothing needs a real body.
        maxBodyBytes: 1024,
        upgrade: (req, info) => host.upgrade(req, info) ?? errorResponse(404, "not found"),
        onAcceptError: acceptErrorWarning(deps.log),
      },
      // Its own port, its own origin: pages here need no sandbox.
      async (req, info) => (await host.handle(req, { ...info, ownOrigin: true })) ?? notFound(),
    );
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    const why = err.inUse ? "port in use" : err.message;
    deps.log.warn(
      `Canvas host not started: cannot bind ${where} (${why}); the gateway runs without it. ` +
        "Set canvasHost.port to a free port, or canvasHost.enabled=false to turn the canvas off",
    );
    return undefined;
  }
  const shown = listener.hostname.includes(":") ? `[${listener.hostname}]` : listener.hostname;
  deps.log.info(`canvas host on http://${shown}:${listener.port}/__openclaw__/canvas/`);
  return listener;
}
