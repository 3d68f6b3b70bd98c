/**
 * `node.invoke`: sends `node.invoke.request` to the node and waits for its
 * `node.invoke.result`, at most `timeoutMs` (then `node.invoke.cancel` goes
 * to the node). A node that disconnects fails its pending invokes at once.
 * Successful results are replayed for a repeated idempotency key; failures
 * are not, so a retry dispatches again. A key reused for another command or
 * other params is refused (INVALID_REQUEST), as the hooks endpoint refuses an
 * `Idempotency-Key` reused with another body: replaying the first result
 * would answer a request that never ran.
 *
 * While it runs, the node may stream output with `node.invoke.progress`
 * (`seq` from 0, reordered here, at most {@link MAX_BUFFERED_PROGRESS}
 * held out of order). Chunks go to the in-process caller that asked for
 * them (`onProgress`: the agent's tools); an operator's `node.invoke` gets
 * only the final result, as 2026.9.6 advertises no progress event. Each
 * delivered chunk restarts the caller's `idleTimeoutMs`; the overall
 * `timeoutMs` is never extended, so a chatty node cannot run forever.
 *
 * @module
 */

import type { NodeInvokeParams, NodeInvokeResultParams } from "../../protocol/schemas/node.ts";
import type { NodeInvokeProgressParams } from "../../protocol/schemas/node_pending.ts";
import { GatewayError, invalidRequest, unavailable } from "../errors.ts";
import type { PendingActions } from "./pending_actions.ts";
import type { CommandPolicySettings } from "./policy.ts";
import { admit, nodeError } from "./_invoke_admit.ts";
import { invokeFingerprint } from "./_invoke_fingerprint.ts";
import { replyOutcome } from "./_invoke_reply.ts";
import type { NodeRegistry } from "./registry.ts";

/** Wait for a node's answer when the caller gives no `timeoutMs`. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;
export { MAX_PENDING_PER_NODE } from "./_invoke_admit.ts";
/** How long a successful result answers a repeated idempotency key. */
export const DEDUPE_TTL_MS = 5 * 60_000;
/** Idempotency keys remembered at most. */
export const DEDUPE_MAX = 1000;
/** Progress chunks held while an earlier `seq` is missing. */
export const MAX_BUFFERED_PROGRESS = 128;

/** What an in-process caller (the agent's tools) may add to an invoke. */
export interface InvokeOptions {
  /** Receives the node's progress chunks, in `seq` order. */
  onProgress?: (chunk: string) => void;
  /**
   * Fails the invoke with `IDLE_TIMEOUT` when no progress arrives for this
   * long (counted from the first chunk); each chunk restarts it.
   */
  idleTimeoutMs?: number;
  /** Aborts the invoke (the node gets `node.invoke.cancel`). */
  signal?: AbortSignal;
}

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
  /** Where foreground-only commands wait for a backgrounded iOS node. */
  actions?: PendingActions;
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
  onProgress?: (chunk: string) => void;
  nextSeq: number;
  held: Map<number, string>;
  idleMs: number;
  idleTimer?: ReturnType<typeof setTimeout>;
  hardTimer?: ReturnType<typeof setTimeout>;
  unlisten?: () => void;
}

/** Runs invokes and matches their results. */
export class NodeInvoker {
  #deps: InvokerDeps;
  #pending = new Map<string, Pending>();
  #done = new Map<string, { at: number; fingerprint: string; outcome: Promise<InvokeOutcome> }>();
  #now: () => number;

  constructor(deps: InvokerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Number of invokes waiting for a node. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * `node.invoke`, deduplicated by `idempotencyKey` (in-flight and
   * successful). `opts` is for in-process callers only: progress, an idle
   * limit, an abort signal.
   */
  invoke(params: NodeInvokeParams, opts: InvokeOptions = {}): Promise<InvokeOutcome> {
    const key = `${params.nodeId}\u0000${params.idempotencyKey}`;
    const now = this.#now();
    const fingerprint = invokeFingerprint(params.command, params.params);
    const hit = this.#done.get(key);
    if (hit && now - hit.at <= DEDUPE_TTL_MS) {
      if (hit.fingerprint === fingerprint) return hit.outcome;
      return Promise.reject(invalidRequest(
        `idempotencyKey "${clip(params.idempotencyKey)}" was already used for another ` +
          `node.invoke command or params (use a new idempotencyKey)`,
        { code: "IDEMPOTENCY_KEY_REUSED" },
      ));
    }
    const outcome = this.#run(params, opts);
    this.#done.set(key, { at: now, fingerprint, outcome });
    outcome.catch(() => this.#done.get(key)?.outcome === outcome && this.#done.delete(key));
    if (this.#done.size > DEDUPE_MAX) {
      for (const [k, v] of this.#done) {
        if (this.#done.size <= DEDUPE_MAX && now - v.at <= DEDUPE_TTL_MS) break;
        this.#done.delete(k);
      }
    }
    return outcome;
  }

  async #run(params: NodeInvokeParams, opts: InvokeOptions): Promise<InvokeOutcome> {
    let mine = 0;
    for (const p of this.#pending.values()) if (p.nodeId === params.nodeId) mine++;
    const node = admit(params, this.#deps, mine);
    if (opts.signal?.aborted) {
      throw unavailable("node invoke cancelled", {
        details: nodeError("ABORTED", "node invoke cancelled", false),
      });
    }
    const id = crypto.randomUUID();
    const timeoutMs = params.timeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
    const paramsJSON = params.params === undefined ? null : JSON.stringify(params.params);
    let pending!: Pending;
    const result = new Promise<NodeInvokeResultParams>((resolve, reject) => {
      pending = {
        nodeId: node.nodeId,
        connId: node.connId,
        resolve,
        reject,
        nextSeq: 0,
        held: new Map(),
        idleMs: opts.onProgress && opts.idleTimeoutMs ? opts.idleTimeoutMs : 0,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      };
      this.#pending.set(id, pending);
    });
    const sent = this.#deps.send(node.connId, "node.invoke.request", {
      id,
      nodeId: node.nodeId,
      command: params.command,
      paramsJSON,
      timeoutMs,
      idempotencyKey: params.idempotencyKey,
    });
    if (!sent) {
      this.#pending.delete(id);
      throw unavailable("node not connected", {
        details: nodeError("NOT_CONNECTED", "node not connected", false, { code: "NOT_CONNECTED" }),
      });
    }
    pending.hardTimer = setTimeout(
      () => this.#fail(id, "TIMEOUT", "node invoke timed out", "TIMEOUT: node invoke timed out"),
      timeoutMs,
    );
    if (opts.signal) {
      const onAbort = () => this.#fail(id, "ABORTED", "node invoke cancelled");
      opts.signal.addEventListener("abort", onAbort, { once: true });
      pending.unlisten = () => opts.signal?.removeEventListener("abort", onAbort);
    }
    return replyOutcome(await result, { params, paramsJSON, node, actions: this.#deps.actions });
  }

  /** Removes a pending invoke and its timers; undefined when it already settled. */
  #take(id: string): Pending | undefined {
    const p = this.#pending.get(id);
    if (!p) return undefined;
    this.#pending.delete(id);
    clearTimeout(p.hardTimer);
    clearTimeout(p.idleTimer);
    p.unlisten?.();
    return p;
  }

  /** Fails a pending invoke the node did not finish, and tells the node to stop. */
  #fail(id: string, code: string, message: string, wireMessage = message): void {
    const p = this.#take(id);
    if (!p) return;
    this.#deps.send(p.connId, "node.invoke.cancel", { invokeId: id, nodeId: p.nodeId });
    p.reject(unavailable(wireMessage, { details: nodeError(code, message, true) }));
  }

  /**
   * `node.invoke.result` from the connection `connId`. Only the node the
   * invoke went to can answer it; late, unknown or foreign ids are ignored.
   */
  result(params: NodeInvokeResultParams, connId: string): { ok: true } {
    const p = this.#pending.get(params.id);
    if (p && p.connId === connId && p.nodeId === params.nodeId) {
      this.#take(params.id);
      p.resolve(params);
    }
    return { ok: true };
  }

  /**
   * `node.invoke.progress` from the connection `connId`: delivered in `seq`
   * order to the caller that asked for progress. Ignored (`true` returned
   * as `ignored`) for unknown ids, another node's or connection's invoke,
   * a caller that wants no progress, a repeated `seq`, or a full reorder
   * buffer.
   */
  progress(params: NodeInvokeProgressParams, connId: string): { ok: true; ignored: boolean } {
    const ignored = { ok: true as const, ignored: true };
    const p = this.#pending.get(params.invokeId);
    if (!p || p.connId !== connId || p.nodeId !== params.nodeId || !p.onProgress) return ignored;
    if (params.seq < p.nextSeq || p.held.has(params.seq)) return ignored;
    if (params.seq > p.nextSeq && p.held.size >= MAX_BUFFERED_PROGRESS) return ignored;
    p.held.set(params.seq, params.chunk);
    // The first frame proves the node is working, even out of order.
    if (!p.idleTimer) this.#restartIdle(params.invokeId, p);
    for (let chunk = p.held.get(p.nextSeq); chunk !== undefined; chunk = p.held.get(p.nextSeq)) {
      p.held.delete(p.nextSeq);
      p.nextSeq++;
      try {
        p.onProgress(chunk);
      } catch {
        this.#fail(params.invokeId, "PROGRESS_FAILED", "the caller could not take the output");
      }
      if (this.#pending.get(params.invokeId) !== p) break;
      this.#restartIdle(params.invokeId, p);
    }
    return { ok: true, ignored: false };
  }

  #restartIdle(id: string, p: Pending): void {
    if (!p.idleMs) return;
    clearTimeout(p.idleTimer);
    p.idleTimer = setTimeout(
      () => this.#fail(id, "IDLE_TIMEOUT", "node invoke produced no progress"),
      p.idleMs,
    );
  }

  /** The connection `connId` closed: its pending invokes fail now, not at their timeout. */
  disconnected(connId: string): void {
    for (const [id, p] of this.#pending) {
      if (p.connId !== connId) continue;
      this.#take(id);
      p.reject(unavailable("node disconnected while the invoke was pending", {
        details: nodeError("NOT_CONNECTED", "node disconnected", true, { code: "NOT_CONNECTED" }),
      }));
    }
  }
}

/** A caller's string cut for an error message (keys have no length limit). */
function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}
