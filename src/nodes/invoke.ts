/**
 * `node.invoke`: sends `node.invoke.request` to the node and waits for its
 * `node.invoke.result`, at most `timeoutMs` (then `node.invoke.cancel` goes
 * to the node). A node that disconnects fails its pending invokes at once.
 * Successful results are replayed for a repeated idempotency key; failures
 * are not, so a retry dispatches again.
 *
 * @module
 */

import type { NodeInvokeParams, NodeInvokeResultParams } from "../../protocol/schemas/node.ts";
import { GatewayError, invalidRequest, unavailable } from "../errors.ts";
import { type CommandPolicySettings, commandRefusal } from "./policy.ts";
import type { NodeRegistry } from "./registry.ts";

/** Wait for a node's answer when the caller gives no `timeoutMs`. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;
/** Pending invokes per node: a flood of invokes to a stuck node is refused, not queued. */
export const MAX_PENDING_PER_NODE = 256;
/** How long a successful result answers a repeated idempotency key. */
export const DEDUPE_TTL_MS = 5 * 60_000;
/** Idempotency keys remembered at most. */
export const DEDUPE_MAX = 1000;

/** What `node.invoke` answers. */
export interface InvokeOutcome {
  ok: true;
  nodeId: string;
  command: string;
  payload: unknown;
  payloadJSON: string | null;
}

/** What the invoker needs. */
export interface InvokerDeps {
  nodes: NodeRegistry;
  /** `gateway.nodes`, read per invoke. */
  policy: () => CommandPolicySettings;
  /** Commands an operator approved for the node (`undefined`: none yet). */
  approved?: (nodeId: string) => readonly string[] | undefined;
  /** Sends a targeted event to one connection; false when it is gone. */
  send(
    connId: string,
    event: "node.invoke.request" | "node.invoke.cancel",
    payload: unknown,
  ): boolean;
  now?: () => number;
}

interface Pending {
  nodeId: string;
  connId: string;
  resolve(result: NodeInvokeResultParams): void;
  reject(err: GatewayError): void;
}

function nodeError(code: string, message: string, dispatched: boolean, extra = {}) {
  return { ...extra, nodeError: { code, message }, nodeCommandDispatched: dispatched };
}

/** Runs invokes and matches their results. */
export class NodeInvoker {
  #deps: InvokerDeps;
  #pending = new Map<string, Pending>();
  #done = new Map<string, { at: number; outcome: Promise<InvokeOutcome> }>();
  #now: () => number;

  constructor(deps: InvokerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Number of invokes waiting for a node. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** `node.invoke`, deduplicated by `idempotencyKey` (in-flight and successful). */
  invoke(params: NodeInvokeParams): Promise<InvokeOutcome> {
    const key = `${params.nodeId}\u0000${params.idempotencyKey}`;
    const now = this.#now();
    const hit = this.#done.get(key);
    if (hit && now - hit.at <= DEDUPE_TTL_MS) return hit.outcome;
    const outcome = this.#run(params);
    this.#done.set(key, { at: now, outcome });
    outcome.catch(() => this.#done.get(key)?.outcome === outcome && this.#done.delete(key));
    if (this.#done.size > DEDUPE_MAX) {
      for (const [k, v] of this.#done) {
        if (this.#done.size <= DEDUPE_MAX && now - v.at <= DEDUPE_TTL_MS) break;
        this.#done.delete(k);
      }
    }
    return outcome;
  }

  async #run(params: NodeInvokeParams): Promise<InvokeOutcome> {
    const node = this.#deps.nodes.get(params.nodeId);
    if (!node) {
      throw unavailable("node not connected", {
        details: nodeError("NOT_CONNECTED", "node not connected", false, { code: "NOT_CONNECTED" }),
      });
    }
    const refusal = commandRefusal(params.command, node, this.#deps.policy());
    if (refusal) throw invalidRequest(refusal.message, refusal.details);
    const approved = this.#deps.approved?.(node.nodeId) ?? (this.#deps.approved ? [] : undefined);
    if (approved && !approved.includes(params.command)) {
      throw unavailable(
        `node "${node.nodeId}" is awaiting approval of "${params.command}" ` +
          '(run "openclaw nodes pending", then "openclaw nodes approve <requestId>")',
        {
          retryable: true,
          details: { code: "PAIRING_CHANGED", reason: "pending-approval", command: params.command },
        },
      );
    }
    let mine = 0;
    for (const p of this.#pending.values()) if (p.nodeId === node.nodeId) mine++;
    if (mine >= MAX_PENDING_PER_NODE) {
      throw unavailable(
        `node busy: ${mine} invokes already pending on "${node.nodeId}" (retry later)`,
        { retryable: true, details: { code: "NODE_BUSY" } },
      );
    }
    const id = crypto.randomUUID();
    const timeoutMs = params.timeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
    const result = new Promise<NodeInvokeResultParams>((resolve, reject) => {
      this.#pending.set(id, { nodeId: node.nodeId, connId: node.connId, resolve, reject });
    });
    const sent = this.#deps.send(node.connId, "node.invoke.request", {
      id,
      nodeId: node.nodeId,
      command: params.command,
      paramsJSON: params.params === undefined ? null : JSON.stringify(params.params),
      timeoutMs,
      idempotencyKey: params.idempotencyKey,
    });
    if (!sent) {
      this.#pending.delete(id);
      throw unavailable("node not connected", {
        details: nodeError("NOT_CONNECTED", "node not connected", false, { code: "NOT_CONNECTED" }),
      });
    }
    const timer = setTimeout(() => {
      const p = this.#pending.get(id);
      if (!p) return;
      this.#pending.delete(id);
      this.#deps.send(p.connId, "node.invoke.cancel", { invokeId: id, nodeId: p.nodeId });
      p.reject(unavailable("TIMEOUT: node invoke timed out", {
        details: nodeError("TIMEOUT", "node invoke timed out", true),
      }));
    }, timeoutMs);
    let reply: NodeInvokeResultParams;
    try {
      reply = await result;
    } finally {
      clearTimeout(timer);
    }
    if (!reply.ok) {
      const code = reply.error?.code ?? "NODE_ERROR";
      const message = reply.error?.message ?? "node command failed";
      throw invalidRequest(message, nodeError(code, message, true, { code }));
    }
    let payload = reply.payload ?? null;
    const payloadJSON = typeof reply.payloadJSON === "string" ? reply.payloadJSON : null;
    if (payloadJSON !== null) {
      try {
        payload = JSON.parse(payloadJSON);
      } catch {
        payload = null;
      }
    }
    return { ok: true, nodeId: node.nodeId, command: params.command, payload, payloadJSON };
  }

  /**
   * `node.invoke.result` from the connection `connId`. Only the node the
   * invoke went to can answer it; late, unknown or foreign ids are ignored.
   */
  result(params: NodeInvokeResultParams, connId: string): { ok: true } {
    const p = this.#pending.get(params.id);
    if (p && p.connId === connId && p.nodeId === params.nodeId) {
      this.#pending.delete(params.id);
      p.resolve(params);
    }
    return { ok: true };
  }

  /** The connection `connId` closed: its pending invokes fail now, not at their timeout. */
  disconnected(connId: string): void {
    for (const [id, p] of this.#pending) {
      if (p.connId !== connId) continue;
      this.#pending.delete(id);
      p.reject(unavailable("node disconnected while the invoke was pending", {
        details: nodeError("NOT_CONNECTED", "node disconnected", true, { code: "NOT_CONNECTED" }),
      }));
    }
  }
}
