/**
 * Exec approvals (spec 3.5): a request gets an id, is broadcast as
 * `exec.approval.requested`, and waits for an operator's
 * `exec.approval.resolve` (broadcast as `exec.approval.resolved`) or its
 * expiry, which denies. `allow-always` adds the command's resolved binary to
 * a per-agent allowlist persisted under the state dir (0600, atomic write).
 *
 * @module
 */

import type { ApprovalDecision, ExecApprovalRequest } from "./types.ts";
import { GatewayError } from "../errors.ts";
import { ErrorCodes } from "../../protocol/errors.ts";
import { writeFileAtomic } from "../config/write.ts";

/** Decisions an operator may send. */
export const APPROVAL_DECISIONS: readonly ApprovalDecision[] = [
  "allow-once",
  "allow-always",
  "deny",
];

/** An unknown, expired or already resolved approval id, or a decision not offered: INVALID_REQUEST. */
export class ApprovalError extends GatewayError {
  constructor(message: string, details?: unknown) {
    super(ErrorCodes.INVALID_REQUEST, message, { details });
    this.name = "ApprovalError";
  }
}

/** A pending approval as listed and broadcast. */
export interface PendingApproval {
  approvalKind: "exec";
  id: string;
  request: Record<string, unknown> & ExecApprovalRequest;
  createdAtMs: number;
  expiresAtMs: number;
}

/** Where `allow-always` binaries live. */
export interface AllowlistStore {
  load(): Promise<Record<string, string[]>>;
  save(byAgent: Record<string, string[]>): Promise<void>;
}

/** Timers and time, replaceable in tests. */
export interface ApprovalClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link createApprovals}. */
export interface ApprovalsOptions {
  broadcast(
    event: "exec.approval.requested" | "exec.approval.resolved",
    payload: Record<string, unknown>,
  ): void;
  /**
   * How long a request waits (spec capture: 30 min). A function is read per
   * request, so `tools.exec.approvalTimeoutSeconds` follows a hot reload.
   */
  timeoutMs?: number | (() => number);
  clock?: ApprovalClock;
  /** Persisted allow-always list; default in memory only. */
  store?: AllowlistStore;
  /** Most pending requests at once (default 100); more are denied at once. */
  maxPending?: number;
}

/** The approvals part. */
export interface Approvals {
  /** Waits for a decision; `deny` on expiry, on abort, or when too many are pending. */
  request(req: ExecApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision>;
  /** Applies an operator's decision; throws {@link ApprovalError} for an unknown id. */
  resolve(id: string, decision: ApprovalDecision, resolvedBy?: string): Promise<PendingApproval>;
  /** One pending request. */
  get(id: string): PendingApproval | undefined;
  /** Pending requests, oldest first. */
  list(): PendingApproval[];
  /** Binaries allowed for good for `agentId`. */
  allowlist(agentId: string): Promise<readonly string[]>;
  /** Denies everything pending (shutdown). */
  stop(): void;
}

const systemClock: ApprovalClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as number),
};

/** Most binaries kept per agent. */
const MAX_ALLOWLIST = 1000;

/** A JSON file store: `{version:1, agents:{<id>:{allowlist:[{pattern, addedAt}]}}}`. */
export function createAllowlistFileStore(path: string): AllowlistStore {
  return {
    async load() {
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) return {};
        throw err;
      }
      try {
        const doc = JSON.parse(text);
        const out: Record<string, string[]> = {};
        for (const [agent, v] of Object.entries(doc?.agents ?? {})) {
          const list = (v as { allowlist?: Array<{ pattern?: unknown }> })?.allowlist ?? [];
          out[agent] = list.map((e) => e?.pattern).filter((p): p is string =>
            typeof p === "string"
          );
        }
        return out;
      } catch {
        // A damaged file must not unlock anything: start empty, keep the file for inspection.
        return {};
      }
    },
    async save(byAgent) {
      const agents: Record<string, unknown> = {};
      const addedAt = Date.now();
      for (const [agent, list] of Object.entries(byAgent)) {
        agents[agent] = { allowlist: list.map((pattern) => ({ pattern, addedAt })) };
      }
      await writeFileAtomic(path, JSON.stringify({ version: 1, agents }, null, 2) + "\n", {
        backup: false,
        mode: 0o600,
      });
    },
  };
}

/** Creates the approvals part. */
export function createApprovals(opts: ApprovalsOptions): Approvals {
  const clock = opts.clock ?? systemClock;
  const timeoutOf = () =>
    typeof opts.timeoutMs === "function" ? opts.timeoutMs() : opts.timeoutMs ?? 30 * 60_000;
  const maxPending = opts.maxPending ?? 100;
  const pending = new Map<
    string,
    { record: PendingApproval; timer: unknown; settle(d: ApprovalDecision): void }
  >();
  let allow: Record<string, string[]> | undefined;
  let loading: Promise<Record<string, string[]>> | undefined;

  const loadAllow = async () => {
    if (allow) return allow;
    loading ??= (opts.store?.load() ?? Promise.resolve({})).then((a) => (allow = a));
    return await loading;
  };

  const finish = (id: string, decision: ApprovalDecision, resolvedBy: string) => {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    clock.clearTimeout(p.timer);
    opts.broadcast("exec.approval.resolved", {
      id,
      decision,
      resolvedBy,
      ts: clock.now(),
      request: p.record.request,
    });
    p.settle(decision);
    return p.record;
  };

  return {
    request(req, signal) {
      if (signal?.aborted) return Promise.resolve("deny");
      if (pending.size >= maxPending) return Promise.resolve("deny");
      const id = crypto.randomUUID();
      const createdAtMs = clock.now();
      const timeoutMs = timeoutOf();
      const allowAlways = req.resolvedPath !== undefined;
      const record: PendingApproval = {
        approvalKind: "exec",
        id,
        request: {
          command: req.command,
          cwd: req.cwd,
          nodeId: req.nodeId ?? null,
          host: req.host ?? "gateway",
          security: "allowlist",
          ask: "on-miss",
          unavailableDecisions: allowAlways ? [] : ["allow-always"],
          allowedDecisions: allowAlways
            ? ["allow-once", "allow-always", "deny"]
            : ["allow-once", "deny"],
          agentId: req.agentId,
          resolvedPath: req.resolvedPath ?? null,
          sessionKey: req.sessionKey,
          runId: req.runId,
          toolCallId: req.toolCallId,
        } as PendingApproval["request"],
        createdAtMs,
        expiresAtMs: createdAtMs + timeoutMs,
      };
      return new Promise<ApprovalDecision>((resolve) => {
        const onAbort = () => finish(id, "deny", "abort");
        const settle = (d: ApprovalDecision) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(d);
        };
        const timer = clock.setTimeout(() => finish(id, "deny", "timeout"), timeoutMs);
        pending.set(id, { record, timer, settle });
        signal?.addEventListener("abort", onAbort, { once: true });
        opts.broadcast("exec.approval.requested", { ...record });
      });
    },

    async resolve(id, decision, resolvedBy = "operator") {
      const p = pending.get(id);
      if (!p) {
        throw new ApprovalError(
          `Unknown or expired approval id "${id}": list pending approvals with exec.approval.list`,
          { id },
        );
      }
      const allowed = p.record.request.allowedDecisions as string[];
      if (!APPROVAL_DECISIONS.includes(decision) || !allowed.includes(decision)) {
        throw new ApprovalError(
          `Decision "${decision}" is not offered for approval "${id}": use one of ${
            allowed.join(", ")
          }`,
          { id, allowedDecisions: allowed },
        );
      }
      if (decision === "allow-always") {
        const bin = p.record.request.resolvedPath as string;
        const agent = p.record.request.agentId;
        const all = await loadAllow();
        const list = all[agent] ?? [];
        if (!list.includes(bin)) {
          const next = { ...all, [agent]: [...list, bin].slice(-MAX_ALLOWLIST) };
          await opts.store?.save(next);
          allow = next;
        }
      }
      // The request may have expired while the allowlist was written.
      const record = finish(id, decision, resolvedBy);
      if (!record) {
        throw new ApprovalError(`Approval "${id}" expired before it was resolved`, { id });
      }
      return record;
    },

    get: (id) => pending.get(id)?.record,
    list: () =>
      [...pending.values()].map((p) => p.record).sort((a, b) => a.createdAtMs - b.createdAtMs),
    async allowlist(agentId) {
      return (await loadAllow())[agentId] ?? [];
    },
    stop() {
      for (const id of [...pending.keys()]) finish(id, "deny", "shutdown");
    },
  };
}
