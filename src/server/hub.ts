/**
 * The set of authenticated sessions and the broadcast path: one global `seq`
 * for protocol-3 clients, a per-socket `seq` for protocol-4 clients, audience
 * gating, and slow-consumer protection.
 *
 * @module
 */

import type { StateVersion } from "../../protocol/frames.ts";
import { type EventAudience, type EventName, EVENTS } from "../../protocol/events.ts";
import { hasScope, type Role } from "./scopes.ts";
import { toJson } from "./_json_memo.ts";

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
  /** The payload sessions without `operator.read` get instead (e.g. without host paths). */
  limitedPayload?: unknown;
  /** Narrows the audience further (e.g. `tool` events: only sessions with the `tool-events` cap). */
  only?: (connId: string) => boolean;
}

function admits(session: HubSession, audience: EventAudience): boolean {
  if (audience === "all") return true;
  if (audience === "targeted") return false;
  return session.role === "operator" && hasScope(session.scopes, audience);
}

/** Parts of an event frame that are already serialized (broadcasts serialize once). */
export interface EventFrameParts {
  payloadJson?: string;
  seq?: number;
  stateVersionJson?: string;
}

/** Serializes an event frame around an already-serialized payload. */
export function eventFrame(event: string, parts: EventFrameParts): string {
  return `{"type":"event","event":${JSON.stringify(event)}` +
    (parts.payloadJson === undefined ? "" : `,"payload":${parts.payloadJson}`) +
    (parts.seq === undefined ? "" : `,"seq":${parts.seq}`) +
    (parts.stateVersionJson === undefined ? "" : `,"stateVersion":${parts.stateVersionJson}`) +
    "}";
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

  /** The session with `connId`, if it is still connected. */
  get(connId: string): HubSession | undefined {
    return this.#sessions.get(connId);
  }

  /** Number of authenticated sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Sends `event` to every admitted session; serializes the payload once. */
  broadcast(event: EventName, payload: unknown, opts: BroadcastOptions = {}): void {
    // Who may see an event is part of its definition, not the caller's choice.
    const audience: EventAudience = EVENTS[event].audience;
    const dropIfSlow = opts.dropIfSlow ?? true;
    const fullJson = payload === undefined ? undefined : toJson(payload);
    let limitedJson: string | undefined;
    const svJson = opts.stateVersion ? JSON.stringify(opts.stateVersion) : undefined;
    const globalSeq = ++this.#seq;
    let v3Frame: string | undefined;
    let v3Limited: string | undefined;
    for (const session of [...this.#sessions.values()]) {
      if (!admits(session, audience)) continue;
      if (opts.only && !opts.only(session.connId)) continue;
      let payloadJson = fullJson;
      if (opts.limitedPayload !== undefined && !hasScope(session.scopes, "operator.read")) {
        payloadJson = limitedJson ??= toJson(opts.limitedPayload);
      }
      let frame: string;
      if (session.protocol >= 4) {
        frame = eventFrame(event, {
          payloadJson,
          seq: session.nextSeq(),
          stateVersionJson: svJson,
        });
      } else {
        const make = () =>
          eventFrame(event, { payloadJson, seq: globalSeq, stateVersionJson: svJson });
        frame = payloadJson === fullJson ? (v3Frame ??= make()) : (v3Limited ??= make());
      }
      session.sendRaw(frame, { dropIfSlow });
    }
  }

  /** Sends `event` to one session only (dropped if it is slow); false when it is gone or slow. */
  sendEvent(connId: string, event: EventName, payload: unknown): boolean {
    return this.#sessions.get(connId)?.sendRaw(
      eventFrame(event, { payloadJson: JSON.stringify(payload) }),
      { dropIfSlow: true },
    ) ?? false;
  }

  /** Closes every session. */
  closeAll(code: number, reason: string): void {
    for (const session of [...this.#sessions.values()]) session.close(code, reason);
    this.#sessions.clear();
  }
}
