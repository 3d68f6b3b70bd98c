/**
 * Actions queued for a node that could not run them yet: an iOS node
 * answers a foreground-only command (`canvas.*`, `camera.*`, `screen.*`,
 * `talk.*`) with `NODE_BACKGROUND_UNAVAILABLE` while the app is in the
 * background; the gateway keeps the action, and the node fetches it with
 * `node.pending.pull` when it is in front again and confirms it with
 * `node.pending.ack`. In memory, per node, bounded in count and age.
 *
 * @module
 */

import { type GatewayError, unavailable } from "../errors.ts";

/** How long a queued action waits for its node. */
export const PENDING_ACTION_TTL_MS = 10 * 60_000;
/** Actions kept per node; the oldest go first. */
export const PENDING_ACTION_MAX_PER_NODE = 64;
/** Nodes with queued actions; a new node beyond this drops the stalest queue. */
export const PENDING_ACTION_MAX_NODES = 1024;

/** One queued action. */
export interface PendingAction {
  id: string;
  nodeId: string;
  command: string;
  paramsJSON: string | null;
  idempotencyKey: string;
  enqueuedAtMs: number;
}

/** Whether `command` only runs while an iOS app is in the foreground. */
export function isForegroundOnly(command: string): boolean {
  return ["canvas.", "camera.", "screen.", "talk."].some((p) => command.startsWith(p));
}

/**
 * Whether a failed invoke should be kept for later: an iOS/iPadOS node,
 * a foreground-only command, and the node saying it is in the background.
 */
export function shouldQueueForForeground(
  platform: string | undefined,
  command: string,
  error: { code?: string; message?: string } | undefined,
): boolean {
  const p = (platform ?? "").trim().toLowerCase();
  if (!p.startsWith("ios") && !p.startsWith("ipados")) return false;
  if (!isForegroundOnly(command)) return false;
  const code = (error?.code ?? "").trim().toUpperCase();
  const message = (error?.message ?? "").toUpperCase();
  return code === "NODE_BACKGROUND_UNAVAILABLE" || message.includes("BACKGROUND_UNAVAILABLE");
}

/**
 * The `node.invoke` answer for an action queued until the node is in front:
 * retryable `UNAVAILABLE` with `QUEUED_UNTIL_FOREGROUND` and the queued id.
 * `wake` says no push was sent: this gateway has no push transport, the node
 * finds the action with `node.pending.pull`.
 */
export function queuedUntilForeground(
  action: PendingAction,
  nodeError: { code: string; message: string },
): GatewayError {
  return unavailable("node command queued until iOS returns to foreground", {
    retryable: true,
    details: {
      code: "QUEUED_UNTIL_FOREGROUND",
      queuedActionId: action.id,
      nodeId: action.nodeId,
      command: action.command,
      wake: { path: "no-registration", available: false, throttled: false },
      nodeError,
    },
  });
}

/** The per-node queues. */
export class PendingActions {
  #byNode = new Map<string, PendingAction[]>();
  #now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? Date.now;
  }

  #live(nodeId: string): PendingAction[] {
    const min = this.#now() - PENDING_ACTION_TTL_MS;
    const live = (this.#byNode.get(nodeId) ?? []).filter((a) => a.enqueuedAtMs >= min);
    if (live.length) this.#byNode.set(nodeId, live);
    else this.#byNode.delete(nodeId);
    return live;
  }

  /** Queues an action; the same idempotency key returns the action already queued. */
  enqueue(
    a: { nodeId: string; command: string; paramsJSON: string | null; idempotencyKey: string },
  ): PendingAction {
    const queue = this.#live(a.nodeId);
    const existing = queue.find((e) => e.idempotencyKey === a.idempotencyKey);
    if (existing) return existing;
    if (!this.#byNode.has(a.nodeId) && this.#byNode.size >= PENDING_ACTION_MAX_NODES) {
      // Map order is insertion order: the first key is the longest-held queue.
      const first = this.#byNode.keys().next().value;
      if (first !== undefined) this.#byNode.delete(first);
    }
    const action: PendingAction = { id: crypto.randomUUID(), ...a, enqueuedAtMs: this.#now() };
    queue.push(action);
    if (queue.length > PENDING_ACTION_MAX_PER_NODE) {
      queue.splice(0, queue.length - PENDING_ACTION_MAX_PER_NODE);
    }
    this.#byNode.set(a.nodeId, queue);
    return action;
  }

  /** The live actions of `nodeId`, oldest first. */
  list(nodeId: string): PendingAction[] {
    return [...this.#live(nodeId)];
  }

  /** Keeps only the actions `keep` accepts (a policy change may forbid old ones). */
  retain(nodeId: string, keep: (a: PendingAction) => boolean): PendingAction[] {
    const kept = this.#live(nodeId).filter(keep);
    if (kept.length) this.#byNode.set(nodeId, kept);
    else this.#byNode.delete(nodeId);
    return [...kept];
  }

  /** Removes the acknowledged ids; returns what is left. */
  ack(nodeId: string, ids: readonly string[]): PendingAction[] {
    const done = new Set(ids);
    return this.retain(nodeId, (a) => !done.has(a.id));
  }

  /** Forgets every action of a node (its pairing was removed). */
  clear(nodeId: string): void {
    this.#byNode.delete(nodeId);
  }
}
