/**
 * The set of authenticated sessions and the broadcast path: one global `seq`
 * for protocol-3 clients, a per-socket `seq` for protocol-4 clients, audience
 * gating, and slow-consumer protection.
 *
 * @module
 */

import type { StateVersion } from "../../protocol/frames.ts";
import type { EventAudience } from "../../protocol/events.ts";
import { hasScope, type Role } from "./scopes.ts";

/** What the hub needs of a session. */
export interface HubSession {
  readonly connId: string;
  readonly protocol: number;
  readonly role: Role;
  readonly scopes: readonly string[];
  /** Next per-socket sequence number (protocol 4). */
  nextSeq(): number;
  /** Sends a serialized frame; returns false when the socket was closed as a slow consumer. */
  sendRaw(frame: string, opts: { dropIfSlow: boolean }): boolean;
  close(code: number, reason: string): void;
}

/** Options of one broadcast. */
export interface BroadcastOptions {
  stateVersion?: StateVersion;
  /** Close a socket whose send buffer is over the limit instead of queueing more (default true). */
  dropIfSlow?: boolean;
  audience?: EventAudience;
}

function admits(session: HubSession, audience: EventAudience): boolean {
  if (audience === "all") return true;
  if (audience === "targeted") return false;
  return session.role === "operator" && hasScope(session.scopes, audience);
}

/** Serializes an event frame around an already-serialized payload. */
export function eventFrame(
  event: string,
  payloadJson: string | undefined,
  seq: number | undefined,
  stateVersionJson: string | undefined,
): string {
  return `{"type":"event","event":${JSON.stringify(event)}` +
    (payloadJson === undefined ? "" : `,"payload":${payloadJson}`) +
    (seq === undefined ? "" : `,"seq":${seq}`) +
    (stateVersionJson === undefined ? "" : `,"stateVersion":${stateVersionJson}`) + "}";
}

/** Authenticated sessions and the ways to reach them. */
export class Hub {
  #sessions = new Map<string, HubSession>();
  #seq = 0;

  /** Adds a session after its handshake succeeded. */
  add(session: HubSession): void {
    this.#sessions.set(session.connId, session);
  }

  /** Removes a session (closed). */
  remove(connId: string): void {
    this.#sessions.delete(connId);
  }

  /** The session with `connId`. */
  get(connId: string): HubSession | undefined {
    return this.#sessions.get(connId);
  }

  /** All sessions. */
  all(): IterableIterator<HubSession> {
    return this.#sessions.values();
  }

  /** Number of authenticated sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** The last global sequence number handed out. */
  get seq(): number {
    return this.#seq;
  }

  /** Sends `event` to every admitted session; serializes the payload once. */
  broadcast(event: string, payload: unknown, opts: BroadcastOptions = {}): void {
    const audience = opts.audience ?? "all";
    const dropIfSlow = opts.dropIfSlow ?? true;
    const payloadJson = payload === undefined ? undefined : JSON.stringify(payload);
    const svJson = opts.stateVersion ? JSON.stringify(opts.stateVersion) : undefined;
    const globalSeq = ++this.#seq;
    let v3Frame: string | undefined;
    for (const session of [...this.#sessions.values()]) {
      if (!admits(session, audience)) continue;
      let frame: string;
      if (session.protocol >= 4) {
        frame = eventFrame(event, payloadJson, session.nextSeq(), svJson);
      } else {
        frame = v3Frame ??= eventFrame(event, payloadJson, globalSeq, svJson);
      }
      session.sendRaw(frame, { dropIfSlow });
    }
  }

  /** Sends a targeted event (no `seq`) to one session; false if it is not connected. */
  sendTo(connId: string, event: string, payload: unknown): boolean {
    const session = this.#sessions.get(connId);
    if (!session) return false;
    return session.sendRaw(eventFrame(event, JSON.stringify(payload), undefined, undefined), {
      dropIfSlow: false,
    });
  }

  /** Closes every session. */
  closeAll(code: number, reason: string): void {
    for (const session of [...this.#sessions.values()]) session.close(code, reason);
    this.#sessions.clear();
  }
}
