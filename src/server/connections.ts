/**
 * What happens when an admitted WebSocket session opens or closes: every
 * part that tracks connections (admission, hub, nodes, the agent event
 * bridge, presence) hears about it, in one place and one order.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { Nodes } from "../nodes/mod.ts";
import type { AgentBridge } from "./agent_bridge.ts";
import { clientPresence } from "./client_presence.ts";
import type { Hub } from "./hub.ts";
import type { PresenceStore } from "./presence.ts";
import type { PresenceBroadcaster } from "./presence_broadcast.ts";
import type { SocketAdmission } from "./upgrade.ts";
import type { WsSession } from "./ws_session.ts";

/** The parts that track connections. */
export interface ConnectionParts {
  admission: Pick<SocketAdmission, "opened">;
  hub: Pick<Hub, "add" | "remove">;
  nodes: Pick<Nodes, "opened" | "closed">;
  bridge?: AgentBridge;
  presence: PresenceStore;
  presenceOut: Pick<PresenceBroadcaster, "schedule">;
  log: Logger;
  /** While stopping, a closing client leaves its presence row (no broadcast goes out). */
  stopping(): boolean;
}

/** The session's `opened` and `closed` hooks over the given parts. */
export function connectionHooks(
  parts: ConnectionParts,
): { opened(session: WsSession): void; closed(session: WsSession): void } {
  return {
    opened(session) {
      parts.admission.opened(session);
      parts.hub.add(session);
      parts.nodes.opened(session);
      parts.bridge?.opened(session.connId, session.params?.caps);
      const row = clientPresence(session);
      if (!row) return;
      parts.presence.connect(row.key, row.entry);
      parts.presenceOut.schedule();
    },
    closed(session) {
      parts.hub.remove(session.connId);
      parts.nodes.closed(session.connId);
      parts.bridge?.closed(session.connId);
      parts.log.debug("disconnected", { connId: session.connId });
      const row = clientPresence(session);
      if (!row || parts.stopping()) return;
      if (parts.presence.disconnect(row.key)) parts.presenceOut.schedule();
    },
  };
}
