/**
 * One turn: session -> slash command or (workspace, prompt, model stream,
 * tool loop) -> transcript rows -> terminal events (spec section 3). The
 * caller (the engine) owns admission (lanes), the abort controller and the
 * idempotency record; this file owns what happens inside the lane.
 *
 * @module
 */

import type { PromptPrefetch, RunParts } from "./ports.ts";
import { assistantMessage, type RunEmitter } from "./run_events.ts";
import { finishError, finishOk, type TurnState } from "./run_end.ts";
import { runToolCall } from "./run_tools.ts";
import { answerCommand } from "./run_command.ts";
import { addUsage, emptyUsage } from "./_usage.ts";

export { emptyUsage };
import type {
  AgentMessage,
  AssistantMessage,
  ModelRef,
  RunResult,
  SessionEntry,
  StopReason,
  ThinkingLevel,
  ToolCallPart,
  ToolSchema,
  UserMessage,
} from "./types.ts";

/** Model calls one run may make (each tool round is one). */
export const MAX_MODEL_CALLS = 24;

/** A run, resolved and admitted. */
export interface TurnInput {
  runId: string;
  agentId: string;
  sessionKey: string;
  sessionId?: string;
  message: string;
  images?: UserMessage["content"];
  thinking?: ThinkingLevel;
  model?: string;
  extraSystemPrompt?: string;
  channel: string;
  history?: AgentMessage[];
  /** Caller-defined tools (OpenResponses): a call to one ends the run. */
  clientTools?: ToolSchema[];
  client?: { id: string; mode: string };
  interpretCommands: boolean;
  createdVia: string;
  startedAt: number;
  /** A rerun of a run id a restart cut off (`RunRequest.retryInterrupted`). */
  resumed?: boolean;
}

/** Runs one admitted turn; never throws (failures end as an error result). */
export async function runTurn(
  input: TurnInput,
  parts: RunParts,
  emitter: RunEmitter,
  signal: AbortSignal,
): Promise<RunResult> {
  const state: TurnState = {
    input,
    emitter,
    parts,
    signal,
    usage: emptyUsage(),
    providerStarted: false,
    sessionId: input.sessionId ?? input.runId,
    replyText: "",
  };
  try {
    return await turn(state);
  } catch (err) {
    return await finishError(state, err);
  }
}

async function turn(state: TurnState): Promise<RunResult> {
  const { input, emitter, parts } = state;
  emitter.status("preparing_workspace");
  const workspace = await parts.workspace(input.agentId);
  // The prompt's file reads overlap the session open and context read.
  const prefetched = parts.prompt.prefetch?.(workspace, input.sessionKey);
  const { entry } = await parts.sessions.open(input.agentId, input.sessionKey, {
    sessionId: input.sessionId,
    createdVia: input.createdVia,
    cwd: workspace,
  });
  state.sessionId = entry.sessionId;
  emitter.sessionId = entry.sessionId;
  state.opened = true;
  state.abortedBefore = entry.abortedLastRun === true;

  const user: UserMessage = {
    role: "user",
    content: input.images && Array.isArray(input.images) && input.images.length
      ? [{ type: "text", text: input.message }, ...input.images]
      : input.message,
    timestamp: Date.now(),
    idempotencyKey: `${input.runId}:user`,
    __openclaw: {
      senderIsOwner: true,
      ...(input.client ? { transport: { clients: [input.client] } } : {}),
    },
  };

  if (input.interpretCommands && input.message.trimStart().startsWith("/")) {
    const answered = await answerCommand(state, user, entry);
    if (answered) return answered;
  }

  emitter.status("preparing_context");
  const stored = await parts.sessions.context(input.agentId, input.sessionKey);
  // A rerun of a turn cut off before any reply: its user row is already the
  // last one in the context, so it is neither written nor sent twice.
  const last = stored.at(-1);
  const resumed = input.resumed === true && last?.role === "user" &&
    last.idempotencyKey === user.idempotencyKey && typeof user.content === "string" &&
    last.content === user.content;
  const context = resumed ? stored.slice(0, -1) : stored;
  // The user row is written while the prompt is built (both are file work);
  // it is awaited before the model is called, so it is on disk before any
  // assistant row and a crash after the call started cannot lose it.
  const userRow = resumed ? undefined : parts.sessions.append(input.agentId, input.sessionKey, {
    type: "message",
    message: user,
  });
  try {
    return await modelTurn(state, { user, entry, workspace, context, userRow, prefetched });
  } finally {
    // A prompt failure still leaves the user row written before the error row.
    await userRow?.catch(() => {});
  }
}

/** What {@link turn} hands the model loop. */
interface Prepared {
  user: UserMessage;
  entry: SessionEntry;
  workspace: string;
  context: AgentMessage[];
  /** The user row's append, still in flight. */
  userRow?: Promise<void>;
  prefetched?: PromptPrefetch;
}

async function modelTurn(state: TurnState, prep: Prepared): Promise<RunResult> {
  const { input, emitter, parts, signal } = state;
  const { user, entry, workspace, context } = prep;
  // The catalog owns the one ref parser (aliases and bare ids included).
  const chain: ModelRef[] = input.model
    ? [parts.catalog.resolve(input.model).ref]
    : entry.providerOverride && entry.modelOverride
    ? [{ provider: entry.providerOverride, model: entry.modelOverride }]
    : parts.catalog.defaultRefs(input.agentId);
  const tools = parts.tools.forRun(input.agentId);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const toolSchemas: ToolSchema[] = tools.map((t) => ({
    name: t.name,
    description: t.description,
    parameters: t.parameters,
  }));
  // Caller tools never shadow the gateway's own.
  const clientTools = (input.clientTools ?? []).filter((t) => !byName.has(t.name));
  const clientNames = new Set(clientTools.map((t) => t.name));
  toolSchemas.push(...clientTools);
  // The prompt names the model: resolve the primary first (a missing key fails here, fast).
  const primary = parts.catalog.resolve(chain[0]);
  const firstTurn = !context.some((m) => m.role === "assistant");
  const building = parts.prompt.build({
    agentId: input.agentId,
    sessionKey: input.sessionKey,
    sessionId: state.sessionId,
    workspace,
    model: primary,
    tools: toolSchemas,
    channel: input.channel,
    extraSystemPrompt: input.extraSystemPrompt,
    firstTurn,
    prefetched: prep.prefetched,
  });
  // Both settle before either failure counts, so the order of rows holds.
  const [built, appended] = await Promise.allSettled([building, prep.userRow]);
  if (appended.status === "rejected") throw appended.reason;
  if (built.status === "rejected") throw built.reason;
  const prompt = built.value;
  state.promptReport = prompt.report;
  const projected: UserMessage = {
    ...user,
    content: typeof user.content === "string" && prompt.userText
      ? prompt.userText(user.content)
      : user.content,
  };
  const messages: AgentMessage[] = [...(input.history ?? []), ...context, projected];

  emitter.agent("lifecycle", { phase: "start", startedAt: input.startedAt });
  emitter.status("starting_model");
  let stopReason: StopReason = "stop";
  for (let call = 0; call < MAX_MODEL_CALLS; call++) {
    emitter.nextItem();
    const textAtStart = emitter.text;
    const calls: ToolCallPart[] = [];
    let callUsage = emptyUsage();
    let responseId: string | undefined;
    let thinking = "";
    let model = primary;
    for await (
      const ev of parts.catalog.stream(chain, {
        system: prompt.system,
        messages,
        tools: toolSchemas,
        thinking: input.thinking ?? entry.thinkingLevel,
        signal,
      }, {
        onAttempt: (m) => {
          state.providerStarted = true;
          emitter.agent("lifecycle", {
            phase: "model",
            provider: m.ref.provider,
            model: m.ref.model,
          });
        },
        onFallback: (from, err, position, outcome) =>
          emitter.agent("lifecycle", {
            phase: "fallback_step",
            fallbackStepType: "fallback_step",
            fallbackStepFromModel: `${from.ref.provider}/${from.ref.model}`,
            fallbackStepFromFailureReason: err.reason,
            fallbackStepFromFailureDetail: err.message,
            fallbackStepChainPosition: position,
            fallbackStepFinalOutcome: outcome,
          }),
      })
    ) {
      model = ev.model;
      state.model = ev.model;
      if (ev.type === "text-delta") emitter.delta(ev.delta);
      else if (ev.type === "thinking-delta") thinking += ev.delta;
      else if (ev.type === "tool-call") {
        calls.push({ type: "toolCall", id: ev.id, name: ev.name, arguments: ev.arguments });
      } else if (ev.type === "finish") {
        stopReason = ev.stopReason;
        callUsage = ev.usage;
        responseId = ev.responseId;
      }
    }
    emitter.flush();
    state.usage = addUsage(state.usage, callUsage);
    state.lastCallUsage = callUsage;
    emitter.agent("usage", { outputTokens: callUsage.output });
    const text = emitter.text.slice(textAtStart.length);
    const assistant: AssistantMessage = {
      role: "assistant",
      content: [
        ...(thinking ? [{ type: "thinking" as const, thinking }] : []),
        ...(text ? [{ type: "text" as const, text }] : []),
        ...calls,
      ],
      api: model.api,
      provider: model.ref.provider,
      model: model.ref.model,
      usage: callUsage,
      stopReason: calls.length ? "toolUse" : stopReason,
      timestamp: Date.now(),
      ...(responseId ? { responseId } : {}),
      __openclaw: { runId: input.runId },
    };
    await parts.sessions.append(input.agentId, input.sessionKey, {
      type: "message",
      message: assistant,
    });
    messages.push(assistant);
    state.replyText = emitter.text;
    if (!calls.length) break;
    const forCaller = calls.filter((c) => clientNames.has(c.name));
    if (forCaller.length) {
      // The caller runs its own tools: the run ends here and hands the calls back.
      state.clientToolCalls = forCaller.map((c) => ({
        id: c.id,
        name: c.name,
        arguments: JSON.stringify(c.arguments),
      }));
      stopReason = "toolUse";
      break;
    }
    stopReason = "toolUse";
    for (const c of calls) {
      signal.throwIfAborted();
      const result = await runToolCall(c, byName.get(c.name), {
        agentId: input.agentId,
        sessionKey: input.sessionKey,
        runId: input.runId,
        workspace,
        signal,
        emitter,
        approvals: parts.approvals,
        sessions: parts.sessions,
      });
      await parts.sessions.append(input.agentId, input.sessionKey, {
        type: "message",
        message: result,
      });
      messages.push(result);
    }
    signal.throwIfAborted();
  }
  return await finishOk(state, stopReason);
}

/** The cumulative assistant snapshot, re-exported for the terminal events. */
export { assistantMessage };
