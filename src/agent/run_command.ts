/**
 * A slash command as a turn: the command answers instead of the model, and
 * both rows are written outside the model context (`excludeFromContext`), so
 * `/think high` never becomes something the model reads later.
 *
 * @module
 */

import type { TurnState } from "./run_end.ts";
import { emptyUsage } from "./_usage.ts";
import type { AssistantMessage, RunResult, SessionEntry, UserMessage } from "./types.ts";

/** The result of a turn a command answered, or undefined when no command took the message. */
export async function answerCommand(
  state: TurnState,
  user: UserMessage,
  entry: SessionEntry,
): Promise<RunResult | undefined> {
  const { input, parts, emitter } = state;
  const reply = await parts.commands?.handle(input.message.trim(), {
    agentId: input.agentId,
    sessionKey: input.sessionKey,
    entry,
    runId: input.runId,
  });
  if (!reply) return undefined;
  const message: AssistantMessage = {
    role: "assistant",
    content: [{ type: "text", text: reply.text }],
    api: "openai-completions",
    provider: "openclaw",
    model: "gateway-injected",
    usage: emptyUsage(),
    stopReason: "stop",
    timestamp: Date.now(),
    __openclaw: { runId: input.runId, contextFreeCommand: true },
  };
  for (const row of [user, message]) {
    await parts.sessions.append(input.agentId, input.sessionKey, {
      type: "message",
      message: { ...row, excludeFromContext: true },
    });
  }
  emitter.chat("final", { stopReason: "stop", message: { ...message } });
  return {
    runId: input.runId,
    sessionKey: input.sessionKey,
    sessionId: state.sessionId,
    agentId: input.agentId,
    status: "ok",
    text: reply.text,
    stopReason: "stop",
    usage: emptyUsage(),
    startedAt: input.startedAt,
    endedAt: Date.now(),
  };
}
