/**
 * The last steps of stopping an instance's WebSocket side: tell every client
 * why, close their sockets with the right code, and give the close frames a
 * moment to leave before the listener goes.
 *
 * @module
 */

import { CloseCodes } from "./handshake.ts";
import type { Hub } from "./hub.ts";
import type { SocketAdmission } from "./upgrade.ts";

/** Why the instance stops; `restartExpectedMs` set = a restart follows. */
export interface ShutdownReason {
  reason: string;
  restartExpectedMs?: number;
}

/** How long close frames get to reach clients before the listener closes. */
export const CLOSE_DRAIN_MS = 1000;

/**
 * Broadcasts `shutdown`, closes admitted and pending sockets (1012 on a
 * restart, 1001 otherwise) and waits for them to drain.
 */
export async function closeSessions(
  parts: { hub: Hub; admission: SocketAdmission },
  why: ShutdownReason,
): Promise<void> {
  const { reason, restartExpectedMs } = why;
  const restart = restartExpectedMs !== undefined;
  const payload = restart ? { reason, restartExpectedMs } : { reason };
  parts.hub.broadcast("shutdown", payload, { dropIfSlow: false });
  const code = restart ? CloseCodes.SERVICE_RESTART : CloseCodes.GOING_AWAY;
  parts.hub.closeAll(code, restart ? "gateway restarting" : "gateway stopping");
  parts.admission.closePending(code, "gateway stopping");
  // Let the close frames (1012 on a restart) reach clients before the
  // listener drops what is left.
  await parts.admission.drained(CLOSE_DRAIN_MS);
}
