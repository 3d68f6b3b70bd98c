/**
 * `agent`, `agent.wait` and `exec.approval.resolve`: the operator side of a
 * run. `agent` answers twice with the same request id (spec 3.1): the ack,
 * then the final result; a repeat of a finished key gets only the final.
 *
 * @module
 */

import { ErrorCodes, errorShape } from "../../protocol/errors.ts";
import type { AgentParams, AgentResult, AgentWaitParams } from "../../protocol/schemas/agent.ts";
import type { Attachment } from "../../protocol/schemas/agent.ts";
import type { ExecApprovalResolveParams } from "../../protocol/schemas/sessions.ts";
import type { AgentEngineRuntime } from "../agent/engine.ts";
import { TIMEOUT_TEXT } from "../agent/run_end.ts";
import type { ApprovalDecision, ImagePart, RunRequest, RunResult } from "../agent/types.ts";
import { invalidRequest } from "../errors.ts";
import { FramedReply, type Reply } from "../server/router.ts";
import type { CallContext } from "../server/router.ts";

/** What these handlers use. */
export interface AgentMethodDeps {
  engine: AgentEngineRuntime;
  /** Resolves a pending exec approval; throws INVALID_REQUEST when the id is unknown or expired. */
  resolveApproval(id: string, decision: ApprovalDecision, resolvedBy: string): Promise<void>;
}

/** Images of a request; other attachment kinds are refused, naming the file. */
export function imagesOf(attachments: Attachment[] | undefined): ImagePart[] | undefined {
  if (!attachments?.length) return undefined;
  return attachments.map((a, i) => {
    const name = a.fileName ?? `#${i + 1}`;
    if (!a.mimeType?.startsWith("image/") || !a.content) {
      throw invalidRequest(
        `Attachment "${name}" is not a base64 image (mimeType "${a.mimeType ?? ""}"): ` +
          "only images reach the model",
      );
    }
    return { type: "image", mimeType: a.mimeType, data: a.content };
  });
}

/**
 * The canonical session key for `raw`, a malformed key answered as an
 * invalid request (shared by the chat and sessions methods).
 */
export function sessionKeyOf(engine: AgentEngineRuntime, raw: string): string {
  try {
    return engine.canonicalKey(raw);
  } catch (err) {
    throw invalidRequest((err as Error).message);
  }
}

/** Starts a run, turning a bad session key into INVALID_REQUEST. */
export async function startRun(engine: AgentEngineRuntime, req: RunRequest) {
  try {
    return await engine.run(req);
  } catch (err) {
    if ((err as Error).name === "SessionKeyError") throw invalidRequest((err as Error).message);
    throw err;
  }
}

/** The final `agent` answer for a finished run (spec 3.1 success, timeout and error shapes). */
export function finalReply(result: RunResult): Reply {
  const durationMs = Math.max(0, result.endedAt - result.startedAt);
  const agentMeta = {
    sessionId: result.sessionId,
    sessionFile: result.sessionKey,
    ...(result.provider ? { provider: result.provider, model: result.model } : {}),
    usage: { ...result.usage, total: result.usage.totalTokens },
  };
  if (result.status === "error") {
    const message = result.error ?? "Run failed";
    return {
      ok: false,
      payload: { runId: result.runId, status: "error", summary: message },
      error: errorShape(ErrorCodes.UNAVAILABLE, message),
    };
  }
  if (result.status === "timeout") {
    const payload: AgentResult = {
      runId: result.runId,
      status: "timeout",
      summary: "aborted",
      timeoutPhase: "provider",
      result: {
        payloads: [{ text: TIMEOUT_TEXT, isError: true }],
        meta: {
          durationMs,
          aborted: true,
          modelFallbackStopReason: "agent_run_terminal_timeout",
          agentMeta,
        },
      },
    };
    return { ok: true, payload };
  }
  const aborted = result.status === "aborted";
  const payload: AgentResult = {
    runId: result.runId,
    status: "ok",
    summary: aborted ? "aborted" : "completed",
    result: {
      payloads: result.text ? [{ text: result.text, mediaUrl: null }] : [],
      meta: {
        durationMs,
        aborted,
        agentMeta,
        ...(result.promptReport ? { systemPromptReport: result.promptReport } : {}),
      },
    },
  };
  return { ok: true, payload };
}

/** Builds the handlers. */
export function agentHandlers(deps: AgentMethodDeps) {
  const { engine } = deps;
  return {
    agent: async (params: AgentParams, ctx: CallContext) => {
      const model = params.model
        ? (params.provider && !params.model.includes("/")
          ? `${params.provider}/${params.model}`
          : params.model)
        : undefined;
      const handle = await startRun(engine, {
        idempotencyKey: params.idempotencyKey,
        message: params.message,
        images: imagesOf(params.attachments),
        agentId: params.agentId,
        sessionKey: params.sessionKey,
        sessionId: params.sessionId,
        thinking: params.thinking,
        model,
        timeoutMs: params.timeout === undefined ? undefined : params.timeout * 1000,
        extraSystemPrompt: params.extraSystemPrompt,
        channel: params.channel,
        client: { id: ctx.clientId, mode: "operator" },
      });
      if (handle.duplicate) return new FramedReply(finalReply(await handle.done));
      const ack: AgentResult = {
        runId: handle.runId,
        ...(params.sessionKey ? { sessionKey: handle.sessionKey } : {}),
        agentId: handle.agentId,
        status: "accepted",
        acceptedAt: handle.acceptedAt,
      };
      return new FramedReply({ ok: true, payload: ack }, handle.done.then(finalReply));
    },

    "agent.wait": async (params: AgentWaitParams) => {
      const result = await engine.wait(params.runId, params.timeoutMs ?? 30_000);
      if (!result) return { runId: params.runId, status: "timeout" as const };
      return {
        runId: result.runId,
        status: result.status,
        startedAt: result.startedAt,
        endedAt: result.endedAt,
        ...(result.error ? { error: result.error } : {}),
        ...(result.stopReason ? { stopReason: result.stopReason } : {}),
        ...(result.status === "timeout" ? { timeoutPhase: "provider" } : {}),
        ...(result.status === "ok"
          ? { terminalReply: { disposition: "visible", text: result.text } }
          : {}),
      };
    },

    "exec.approval.resolve": async (params: ExecApprovalResolveParams, ctx: CallContext) => {
      await deps.resolveApproval(params.id, params.decision, ctx.clientId);
      return { ok: true as const };
    },
  };
}
