/**
 * Presence broadcasting: changes to the presence list go out as one
 * coalesced `presence` event, and `system-event` posts become presence rows.
 *
 * @module
 */

import type { SystemEventParams } from "../../protocol/schemas/system.ts";
import type { Hub } from "./hub.ts";
import type { PresenceStore } from "./presence.ts";

/** Presence changes within this window go out as one `presence` event. */
export const PRESENCE_COALESCE_MS = 100;

/** What the broadcaster reads and writes. */
export interface PresenceBroadcastDeps {
  hub: Pick<Hub, "broadcast">;
  presence: PresenceStore;
  /** The `stateVersion` sent with each event, so clients know what is newest. */
  stateVersion(): { presence: number; health: number };
}

/**
 * Coalesced: a burst of connects costs one broadcast, not one per client
 * to every client (quadratic).
 */
export class PresenceBroadcaster {
  #deps: PresenceBroadcastDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: PresenceBroadcastDeps) {
    this.#deps = deps;
  }

  /** Sends the presence list once the coalescing window ends. */
  schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const { hub, presence, stateVersion } = this.#deps;
      hub.broadcast("presence", { presence: presence.list() }, { stateVersion: stateVersion() });
    }, PRESENCE_COALESCE_MS);
  }

  /** Records a `system-event` post as a presence row and announces it. */
  postSystemEvent(p: SystemEventParams): void {
    const key = (p.deviceId ?? p.instanceId ?? p.host ?? p.ip ?? p.text.slice(0, 64)).toLowerCase();
    const { sessionKey: _s, wake: _w, ...fields } = p;
    this.#deps.presence.upsert(key, fields);
    this.schedule();
  }

  /** Drops a pending broadcast (the instance is stopping). */
  stop(): void {
    // A cleared handle stays set: changes after this schedule nothing more.
    clearTimeout(this.#timer);
  }
}
