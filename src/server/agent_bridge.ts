/**
 * Puts the agent runtime on the wire: its events go out through the hub
 * (audience from the event registry; `tool` stream events only to sockets
 * that declared the `tool-events` cap).
 *
 * @module
 */

import type { AgentEngine, RunEvent } from "../agent/types.ts";
import type { Hub } from "./hub.ts";

/** The cap a client declares in `connect.params.caps` to receive `tool` stream events. */
export const TOOL_EVENTS_CAP = "tool-events";

/** The socket side of the bridge. */
export interface AgentBridge {
  /** A socket finished its handshake with these caps. */
  opened(connId: string, caps: readonly string[] | undefined): void;
  /** A socket closed. */
  closed(connId: string): void;
  /** Stops forwarding. */
  stop(): void;
}

/** Forwards `agent`'s events to `hub` until `stop()`. */
export function bridgeAgentEvents(
  agent: { engine: Pick<AgentEngine, "subscribe"> },
  hub: Hub,
): AgentBridge {
  const toolConns = new Set<string>();
  const toolOnly = (connId: string) => toolConns.has(connId);
  const unsubscribe = agent.engine.subscribe((ev: RunEvent) =>
    hub.broadcast(ev.event, ev.payload, {
      only: ev.event === "agent" && ev.toolEvent ? toolOnly : undefined,
    })
  );
  return {
    opened(connId, caps) {
      if (caps?.includes(TOOL_EVENTS_CAP)) toolConns.add(connId);
    },
    closed: (connId) => toolConns.delete(connId),
    stop: unsubscribe,
  };
}
