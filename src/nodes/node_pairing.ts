/**
 * Node pairing (`node.pair.request|list|approve|reject|verify`): which
 * commands of a node are live (the spec's layer 2, "node capability
 * approval"). A paired device connecting as a node asks here for its
 * policy-filtered command surface; until an operator approves, its commands
 * are not invokable. It does NOT gate the handshake (device pairing does).
 * Approval also issues the runbook's node token, returned once and stored as
 * SHA-256; `verify` checks it. Runbook `node.pair.request`s expire after
 * 5 minutes; a connected node's request waits until an operator decides.
 *
 * @module
 */

import { writeFileAtomic } from "../config/write.ts";
import { readRecord } from "./device_store.ts";
import { hashToken, MAX_PENDING, PENDING_TTL_MS } from "./devices.ts";
import { base64Url } from "./identity.ts";
import { approveScopes } from "./policy.ts";

/** What a node says about itself in `node.pair.request`. */
export interface NodePairFields {
  displayName?: string;
  platform?: string;
  version?: string;
  coreVersion?: string;
  uiVersion?: string;
  deviceFamily?: string;
  modelIdentifier?: string;
  caps?: string[];
  commands?: string[];
  remoteIp?: string;
}

/** A waiting request. */
export interface NodePairRequest extends NodePairFields {
  requestId: string;
  nodeId: string;
  /** What the connected node said it is (absent for `node.pair.request`). */
  clientId?: string;
  clientMode?: string;
  permissions?: Record<string, boolean>;
  /** The operator scopes approving this request takes (see `approveScopes`). */
  requiredApproveScopes: string[];
  silent?: boolean;
  ts: number;
}

/** A paired node (the token hash stays in the store). */
export interface NodePairedRecord extends NodePairFields {
  nodeId: string;
  createdAtMs: number;
  approvedAtMs: number;
  /** Connection times (kept in memory; written with the next pairing change). */
  lastConnectedAtMs?: number;
  lastDisconnectedAtMs?: number;
  tokenHash: string;
}

/** A `node.pair.resolved` event. */
export interface NodePairResolved {
  requestId: string;
  nodeId: string;
  decision: "approved" | "rejected" | "expired" | "removed";
  ts: number;
}

/** Dependencies of {@link NodePairing}. */
export interface NodePairingDeps {
  /** `$STATE/nodes`. */
  dir: string;
  requested(request: NodePairRequest): void;
  resolved(event: NodePairResolved): void;
  now?: () => number;
}

/** Strips the stored hash: what operators see of a paired node. */
export function nodePairedView(n: NodePairedRecord): Omit<NodePairedRecord, "tokenHash"> {
  const { tokenHash: _t, ...rest } = n;
  return rest;
}

/** The legacy node pairing store. */
export class NodePairing {
  #deps: NodePairingDeps;
  #now: () => number;
  #state:
    | { pending: Record<string, NodePairRequest>; paired: Record<string, NodePairedRecord> }
    | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(deps: NodePairingDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Loaded state without expired requests. */
  async state() {
    this.#state ??= {
      pending: await readRecord<NodePairRequest>(`${this.#deps.dir}/pending.json`, "requests"),
      paired: await readRecord<NodePairedRecord>(`${this.#deps.dir}/paired.json`, "nodes"),
    };
    const now = this.#now();
    let changed = false;
    for (const [id, p] of Object.entries(this.#state.pending)) {
      // A connected node's capability request (it carries the node's clientId)
      // waits for an operator however long it takes, as on 2026.9.6: the real
      // node host never re-asks on its own. Runbook `node.pair.request`s expire.
      if (p.clientId !== undefined || now - p.ts <= PENDING_TTL_MS) continue;
      delete this.#state.pending[id];
      changed = true;
      this.#deps.resolved({ requestId: id, nodeId: p.nodeId, decision: "expired", ts: now });
    }
    if (changed) await this.#save();
    return this.#state;
  }

  #save(): Promise<void> {
    const s = this.#state!;
    const opts = { backup: false, mode: 0o600 };
    const pending = JSON.stringify({ version: 1, requests: s.pending }, null, 2) + "\n";
    const paired = JSON.stringify({ version: 1, nodes: s.paired }, null, 2) + "\n";
    const run = this.#writes.then(async () => {
      await writeFileAtomic(`${this.#deps.dir}/pending.json`, pending, opts);
      await writeFileAtomic(`${this.#deps.dir}/paired.json`, paired, opts);
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  /**
   * The commands approved for `nodeId`, from the loaded state (call
   * {@link state} once first); `undefined` when the node has no approval.
   */
  approvedCommands(nodeId: string): string[] | undefined {
    return this.#state?.paired[nodeId]?.commands ?? (this.#state?.paired[nodeId] ? [] : undefined);
  }

  /** The caps approved for `nodeId`, from the loaded state (call {@link state} once first). */
  approvedCaps(nodeId: string): string[] | undefined {
    return this.#state?.paired[nodeId]?.caps;
  }

  /**
   * Notes that the paired node `nodeId` connected or disconnected (in memory
   * only, as device pairing does: a reconnect costs no disk write).
   */
  seen(nodeId: string, event: "connect" | "disconnect", at = this.#now()): void {
    const node = this.#state?.paired[nodeId];
    if (!node) return;
    if (event === "connect") node.lastConnectedAtMs = at;
    else node.lastDisconnectedAtMs = at;
  }

  /** The waiting request of `nodeId`, from the loaded state. */
  pendingFor(nodeId: string): NodePairRequest | undefined {
    return Object.values(this.#state?.pending ?? {}).find((p) => p.nodeId === nodeId);
  }

  /**
   * `node.pair.request`: one request per node. A repeat within what the
   * request shows refreshes it (`created:false`); one declaring more
   * commands or caps replaces it with a new request id.
   */
  async request(
    nodeId: string,
    fields: NodePairFields & Omit<Partial<NodePairRequest>, "requestId" | "nodeId" | "ts">,
  ): Promise<{ status: "pending"; request: NodePairRequest; created: boolean }> {
    const state = await this.state();
    const existing = Object.values(state.pending).find((p) => p.nodeId === nodeId);
    const within = (asked: string[] | undefined, shown: string[] | undefined) =>
      (asked ?? []).every((c) => (shown ?? []).includes(c));
    if (
      existing && within(fields.commands, existing.commands) && within(fields.caps, existing.caps)
    ) {
      // Commands and caps stay as the operator saw them: approving this id
      // approves no more than was on screen.
      const { commands: _c, caps: _k, ...rest } = fields;
      Object.assign(existing, rest, { ts: this.#now() });
      await this.#save();
      return { status: "pending", request: existing, created: false };
    }
    // A wider ask is a new request and the old id dies (bait and switch).
    if (existing) {
      delete state.pending[existing.requestId];
      this.#deps.resolved({
        requestId: existing.requestId,
        nodeId,
        decision: "expired",
        ts: this.#now(),
      });
    }
    const request: NodePairRequest = {
      requestId: crypto.randomUUID(),
      nodeId,
      ...fields,
      requiredApproveScopes: approveScopes(fields.commands ?? []),
      ts: this.#now(),
    };
    const ids = Object.keys(state.pending);
    if (ids.length >= MAX_PENDING) delete state.pending[ids[0]];
    state.pending[request.requestId] = request;
    await this.#save();
    this.#deps.requested(request);
    return { status: "pending", request, created: true };
  }

  /** `node.pair.approve`: pairs the node with a fresh token (returned only here). */
  async approve(
    requestId: string,
  ): Promise<{ node: NodePairedRecord; token: string } | undefined> {
    const state = await this.state();
    const p = state.pending[requestId];
    if (!p) return undefined;
    delete state.pending[requestId];
    const now = this.#now();
    const token = base64Url(crypto.getRandomValues(new Uint8Array(32)));
    const { requestId: _r, silent: _s, ts: _t, requiredApproveScopes: _a, ...fields } = p;
    const before = state.paired[p.nodeId];
    const node: NodePairedRecord = {
      ...fields,
      ...(before?.lastConnectedAtMs ? { lastConnectedAtMs: before.lastConnectedAtMs } : {}),
      ...(before?.lastDisconnectedAtMs
        ? { lastDisconnectedAtMs: before.lastDisconnectedAtMs }
        : {}),
      createdAtMs: before?.createdAtMs ?? now,
      approvedAtMs: now,
      tokenHash: await hashToken(token),
    };
    state.paired[p.nodeId] = node;
    await this.#save();
    this.#deps.resolved({ requestId, nodeId: p.nodeId, decision: "approved", ts: now });
    return { node, token };
  }

  /** `node.pair.reject`. */
  async reject(requestId: string): Promise<NodePairRequest | undefined> {
    const state = await this.state();
    const p = state.pending[requestId];
    if (!p) return undefined;
    delete state.pending[requestId];
    await this.#save();
    this.#deps.resolved({ requestId, nodeId: p.nodeId, decision: "rejected", ts: this.#now() });
    return p;
  }

  /**
   * Forgets `nodeId` (its device was removed): its approval and any waiting
   * request go, so the same key paired again later is approved afresh.
   * True when there was something to forget.
   */
  async forget(nodeId: string): Promise<boolean> {
    const state = await this.state();
    const pending = Object.values(state.pending).filter((p) => p.nodeId === nodeId);
    const had = state.paired[nodeId] !== undefined || pending.length > 0;
    if (!had) return false;
    delete state.paired[nodeId];
    for (const p of pending) delete state.pending[p.requestId];
    await this.#save();
    const ts = this.#now();
    for (const p of pending) {
      this.#deps.resolved({ requestId: p.requestId, nodeId, decision: "removed", ts });
    }
    return true;
  }

  /** `node.pair.verify`: whether `token` is the paired node's token. */
  async verify(nodeId: string, token: string): Promise<NodePairedRecord | undefined> {
    const node = (await this.state()).paired[nodeId];
    if (!node || node.tokenHash !== await hashToken(token)) return undefined;
    return node;
  }
}
