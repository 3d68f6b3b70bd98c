/**
 * The presence row a WebSocket client contributes: its key and fields, taken
 * from its `connect` params. CLI clients are short-lived and contribute none;
 * neither do clients without scopes (a scope-less `node` or anything that
 * could only connect) unless a paired device identity stands behind them
 * (a paired node): what they say must not grow what every operator gets.
 *
 * @module
 */

import type { PresenceEntry } from "../../protocol/schemas/presence.ts";
import { presenceKey } from "./presence.ts";
import type { WsSession } from "./ws_session.ts";

/** A client's presence key and row, or `undefined` for CLI and scope-less clients. */
export function clientPresence(
  session: WsSession,
): { key: string; entry: Omit<PresenceEntry, "ts"> } | undefined {
  const p = session.params;
  if (!p || p.client.mode === "cli") return undefined;
  if (session.scopes.length === 0 && !session.deviceId) return undefined;
  const key = presenceKey({
    deviceId: session.deviceId,
    instanceId: p.client.instanceId,
    connId: session.connId,
  });
  return {
    key,
    entry: {
      host: p.client.displayName ?? p.client.id,
      // Loopback addresses tell nothing; remote ones help find a device.
      ...(session.peer.isLoopback ? {} : { ip: session.peer.remoteIp }),
      version: p.client.version,
      platform: p.client.platform,
      deviceFamily: p.client.deviceFamily,
      modelIdentifier: p.client.modelIdentifier,
      mode: p.client.mode,
      reason: "connect",
      roles: [session.role],
      scopes: [...session.scopes],
      // A node's presence instance is its device (as 2026.9.6 shows it).
      instanceId: session.role === "node" && session.deviceId
        ? session.deviceId
        : p.client.instanceId,
      deviceId: session.deviceId,
      ...(session.role === "node"
        ? { text: `Node: ${p.client.displayName ?? p.client.id} · mode ${p.client.mode}` }
        : {}),
    },
  };
}
