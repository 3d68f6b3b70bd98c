/**
 * One tool call inside a run: `item` events for every operator, `tool`
 * events for `tool-events` clients, the approval hook, and a result that is
 * always a {@link ToolResultMessage} (a throwing tool becomes `isError`).
 *
 * @module
 */

import type { EngineApprovals, EngineSessions } from "./ports.ts";
import type { RunEmitter } from "./run_events.ts";
import type { Tool, ToolResult, ToolResultMessage } from "./types.ts";

/** Largest tool result text sent back to the model (characters). */
export const MAX_TOOL_RESULT_CHARS = 200_000;

/** What a tool call needs from its run. */
export interface ToolCallScope {
  agentId: string;
  sessionKey: string;
  runId: string;
  workspace: string;
  signal: AbortSignal;
  emitter: RunEmitter;
  approvals: EngineApprovals;
  sessions: EngineSessions;
}

function clipResult(result: ToolResult): ToolResult {
  let budget = MAX_TOOL_RESULT_CHARS;
  const content = result.content.map((part) => {
    if (part.type !== "text") return part;
    const text = part.text.length > budget
      ? `${
        part.text.slice(0, budget)
      }\n[...tool output truncated at ${MAX_TOOL_RESULT_CHARS} characters]`
      : part.text;
    budget = Math.max(0, budget - part.text.length);
    return { type: "text" as const, text };
  });
  return { ...result, content };
}

/** Runs one call of `tool` (or reports an unknown tool) and emits its events. */
export async function runToolCall(
  call: { id: string; name: string; arguments: Record<string, unknown> },
  tool: Tool | undefined,
  scope: ToolCallScope,
): Promise<ToolResultMessage> {
  const { emitter } = scope;
  const startedAt = Date.now();
  const title = tool?.title?.(call.arguments) ?? call.name;
  const item = {
    itemId: `tool:${call.id}`,
    toolCallId: call.id,
    name: call.name,
    kind: "tool",
    title,
    commandBearing: tool?.commandBearing ?? false,
  };
  emitter.agent("item", { ...item, phase: "start", status: "running", startedAt });
  emitter.agent("tool", {
    phase: "start",
    name: call.name,
    toolCallId: call.id,
    args: call.arguments,
  }, {
    toolEvent: true,
  });
  let result: ToolResult;
  if (!tool) {
    result = {
      content: [{
        type: "text",
        text:
          `Tool "${call.name}" is not available in this session (not offered, or denied by tools policy)`,
      }],
      isError: true,
    };
  } else {
    try {
      result = await tool.execute(call.arguments, {
        agentId: scope.agentId,
        sessionKey: scope.sessionKey,
        runId: scope.runId,
        toolCallId: call.id,
        workspace: scope.workspace,
        signal: scope.signal,
        onUpdate: (partial) => {
          emitter.agent("tool", {
            phase: "update",
            name: call.name,
            toolCallId: call.id,
            partialResult: partial,
          }, { toolEvent: true });
          emitter.agent("item", { ...item, phase: "update", status: "running" });
        },
        requestApproval: (req) => scope.approvals.request(req, scope.signal),
        sessions: scope.sessions.view,
      });
    } catch (err) {
      if (scope.signal.aborted) throw err;
      result = {
        content: [{ type: "text", text: `Tool "${call.name}" failed: ${(err as Error).message}` }],
        isError: true,
      };
    }
  }
  result = clipResult(result);
  const isError = result.isError === true;
  emitter.agent("tool", {
    phase: "result",
    name: call.name,
    toolCallId: call.id,
    isError,
    commandBearing: item.commandBearing,
    result: { content: result.content, details: result.details ?? {} },
  }, { toolEvent: true });
  emitter.agent("item", {
    ...item,
    phase: "end",
    status: isError ? "failed" : "completed",
    startedAt,
    endedAt: Date.now(),
  });
  return {
    role: "toolResult",
    toolCallId: call.id,
    toolName: call.name,
    content: result.content,
    ...(result.details ? { details: result.details } : {}),
    isError,
    timestamp: Date.now(),
  };
}
