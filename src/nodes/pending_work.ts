/**
 * Work the gateway asks of a node whenever it next connects
 * (`node.pending.enqueue` by an operator, `node.pending.drain` by the node):
 * a status or location report. One outstanding item per type and node
 * (a repeat collapses into the queued one), each with an expiry; a drain
 * also carries a baseline `status.request` so a node that reconnects always
 * reports in. In memory and bounded.
 *
 * @module
 */

import type { NodePendingWorkItem } from "../../protocol/schemas/node_pending.ts";

/** Expiry of an item enqueued without `expiresInMs`. */
export const DEFAULT_WORK_TTL_MS = 24 * 60 * 60_000;
/** Items per drain when the node does not say. */
export const DEFAULT_DRAIN_ITEMS = 4;
/** Nodes with queued work at most; beyond it the longest-held queue is dropped. */
export const MAX_WORK_NODES = 1024;
/** Id of the baseline status item a drain adds. */
export const BASELINE_STATUS_ID = "baseline-status";

type WorkType = NodePendingWorkItem["type"];
type Priority = NodePendingWorkItem["priority"];

const RANK: Record<Priority, number> = { high: 3, normal: 2, default: 1 };

interface NodeWork {
  revision: number;
  items: Map<string, NodePendingWorkItem>;
}

/** The per-node work queues. */
export class PendingWork {
  #byNode = new Map<string, NodeWork>();
  #now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? Date.now;
  }

  #prune(work: NodeWork): void {
    const now = this.#now();
    let changed = false;
    for (const [id, item] of work.items) {
      if (item.expiresAtMs != null && item.expiresAtMs <= now) {
        work.items.delete(id);
        changed = true;
      }
    }
    // A changed revision tells a polling node its queue moved.
    if (changed) work.revision++;
  }

  /** Queues `type` for `nodeId`, or returns the item of that type already queued. */
  enqueue(
    nodeId: string,
    req: { type: WorkType; priority?: "normal" | "high"; expiresInMs?: number },
  ): { revision: number; item: NodePendingWorkItem; deduped: boolean } {
    let work = this.#byNode.get(nodeId);
    if (!work) {
      if (this.#byNode.size >= MAX_WORK_NODES) {
        const first = this.#byNode.keys().next().value;
        if (first !== undefined) this.#byNode.delete(first);
      }
      work = { revision: 0, items: new Map() };
      this.#byNode.set(nodeId, work);
    }
    this.#prune(work);
    const existing = [...work.items.values()].find((i) => i.type === req.type);
    if (existing) return { revision: work.revision, item: existing, deduped: true };
    const now = this.#now();
    const item: NodePendingWorkItem = {
      id: crypto.randomUUID(),
      type: req.type,
      priority: req.priority ?? "normal",
      createdAtMs: now,
      expiresAtMs: now + Math.max(1_000, req.expiresInMs ?? DEFAULT_WORK_TTL_MS),
    };
    work.items.set(item.id, item);
    work.revision++;
    return { revision: work.revision, item, deduped: false };
  }

  /**
   * Hands up to `maxItems` items to the node (highest priority, then oldest)
   * and removes them; adds the baseline status request when no explicit one
   * is queued and there is room.
   */
  drain(
    nodeId: string,
    maxItems = DEFAULT_DRAIN_ITEMS,
  ): { revision: number; items: NodePendingWorkItem[]; hasMore: boolean } {
    const max = Math.min(10, Math.max(1, Math.trunc(maxItems)));
    const work = this.#byNode.get(nodeId);
    if (work) this.#prune(work);
    const queued = work
      ? [...work.items.values()].sort((a, b) =>
        RANK[b.priority] - RANK[a.priority] || a.createdAtMs - b.createdAtMs ||
        a.id.localeCompare(b.id)
      )
      : [];
    const items = queued.slice(0, max);
    const baseline = !queued.some((i) => i.type === "status.request");
    if (baseline && items.length < max) {
      items.push({
        id: BASELINE_STATUS_ID,
        type: "status.request",
        priority: "default",
        createdAtMs: this.#now(),
        expiresAtMs: null,
      });
    }
    const taken = items.filter((i) => i.id !== BASELINE_STATUS_ID);
    if (work && taken.length) {
      for (const i of taken) work.items.delete(i.id);
      work.revision++;
    }
    const revision = work?.revision ?? 0;
    if (work && work.items.size === 0) this.#byNode.delete(nodeId);
    const baselineLeft = baseline && !items.some((i) => i.id === BASELINE_STATUS_ID);
    return { revision, items, hasMore: queued.length > taken.length || baselineLeft };
  }

  /** Forgets a node's work (its pairing was removed). */
  clear(nodeId: string): void {
    this.#byNode.delete(nodeId);
  }
}
