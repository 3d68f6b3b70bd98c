/**
 * Adapts the prompt, tools, commands and approvals parts to the engine's
 * ports (`ports.ts`). Private to `mod.ts`.
 *
 * @module
 */

import type { Env } from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import type { EngineApprovals, EnginePrompt, EngineTools, RunParts } from "./ports.ts";
import type { SessionStore } from "./sessions/mod.ts";
import type { ApprovalDecision, ModelCatalog, RunEvent } from "./types.ts";
import { loadWorkspaceFiles } from "./workspace.ts";

/** Exec approvals wait this long for an operator, then deny (spec obs.: 30 min). */
export const APPROVAL_TIMEOUT_MS = 30 * 60_000;
/** At most this many approvals wait at once; more are denied at once. */
export const MAX_PENDING_APPROVALS = 100;

/** Inputs of {@link buildParts}. */
export interface PartsDeps {
  config: () => GatewayConfig;
  env: Env;
  stateDir: string;
  log: Logger;
  catalog: ModelCatalog;
  store: SessionStore;
  publish: (ev: RunEvent) => void;
}

interface Pending {
  request: Record<string, unknown>;
  settle(decision: ApprovalDecision, by: string): void;
}

/** The approvals registry: `exec.approval.requested` out, `exec.approval.resolve` in. */
function approvalsRegistry(deps: PartsDeps, timeoutMs = APPROVAL_TIMEOUT_MS) {
  const pending = new Map<string, Pending>();
  const approvals: EngineApprovals = {
    request(req, signal) {
      if (pending.size >= MAX_PENDING_APPROVALS || signal.aborted) {
        return Promise.resolve("deny");
      }
      const id = crypto.randomUUID();
      const createdAtMs = Date.now();
      const request = {
        ...req,
        host: "gateway",
        allowedDecisions: ["allow-once", "allow-always", "deny"],
        turnSourceChannel: "webchat",
        turnSourceTo: req.sessionKey,
      };
      return new Promise<ApprovalDecision>((resolve) => {
        const settle = (decision: ApprovalDecision, by: string) => {
          if (!pending.delete(id)) return;
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          deps.publish({
            event: "exec.approval.resolved",
            payload: { id, decision, resolvedBy: by, ts: Date.now(), request },
          });
          resolve(decision);
        };
        const onAbort = () => settle("deny", "run-ended");
        const timer = setTimeout(() => settle("deny", "timeout"), timeoutMs);
        signal.addEventListener("abort", onAbort, { once: true });
        pending.set(id, { request, settle });
        deps.publish({
          event: "exec.approval.requested",
          payload: {
            approvalKind: "exec",
            id,
            request,
            createdAtMs,
            expiresAtMs: createdAtMs + timeoutMs,
          },
        });
      });
    },
  };
  const resolve = (id: string, decision: ApprovalDecision, by: string) => {
    const p = pending.get(id);
    if (!p) return false;
    p.settle(decision, by);
    return true;
  };
  return { approvals, resolve };
}

/** A small prompt until the prompt part lands: identity, tools, workspace, injected files. */
function basicPrompt(): EnginePrompt {
  return {
    async build(input) {
      const files = await loadWorkspaceFiles(input.workspace);
      const lines = [
        "You are a personal assistant running inside OpenClaw.",
        "## Tooling",
        ...input.tools.map((t) => `- ${t.name}: ${t.description.split("\n")[0]}`),
        "## Workspace",
        `Working directory: ${input.workspace}`,
        "# Project Context",
        ...files.filter((f) => f.content !== undefined).map((f) =>
          `## ${f.path}\n${f.content!.slice(0, 20_000)}`
        ),
        "## Runtime",
        `Current model identity: ${input.model.ref.provider}/${input.model.ref.model}`,
      ];
      return { system: lines.join("\n\n") };
    },
  };
}

/** The parts other than catalog, sessions and workspace. */
export function buildParts(deps: PartsDeps) {
  const registry = approvalsRegistry(deps);
  const prompt = basicPrompt();
  const tools: EngineTools = { forRun: () => [] };
  return {
    parts(): Pick<RunParts, "prompt" | "tools" | "approvals" | "commands"> {
      return { prompt, tools, approvals: registry.approvals };
    },
    resolveApproval: registry.resolve,
  };
}
