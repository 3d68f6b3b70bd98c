/**
 * The engine (`src/agent/mod.ts`): what methods, channels and HTTP call.
 *
 * @module
 */

import type { AgentMessage, ImagePart, StopReason, Usage } from "./messages.ts";
import type { ThinkingLevel, ToolSchema } from "./providers.ts";

/** One request for a turn. */
export interface RunRequest {
  /** Becomes the runId; also the dedupe key. */
  idempotencyKey: string;
  message: string;
  images?: ImagePart[];
  agentId?: string;
  /** Canonicalised by the engine (`main` -> `agent:main:main`). */
  sessionKey?: string;
  sessionId?: string;
  thinking?: ThinkingLevel;
  /** Overrides the session/default model for this run. */
  model?: string;
  timeoutMs?: number;
  extraSystemPrompt?: string;
  /** Where the message came from, for the prompt and the transcript. */
  channel?: string;
  /** History to prepend (HTTP APIs); not persisted. */
  history?: AgentMessage[];
  /** Extra tools defined by the caller (OpenResponses function tools): a call ends the run. */
  clientTools?: ToolSchema[];
  /** Who asked (transcript `__openclaw.transport`). */
  client?: { id: string; mode: string };
  /** `true` for chat.send: slash commands are interpreted. */
  interpretCommands?: boolean;
  /**
   * The caller knows a run of this key cut off by a restart was never
   * answered and asks for it to run again (a channel replaying a journaled
   * message). Without it such a key answers "interrupted" and does not run.
   */
  retryInterrupted?: boolean;
}

/** A run's terminal result. */
export interface RunResult {
  runId: string;
  sessionKey: string;
  sessionId: string;
  agentId: string;
  status: "ok" | "error" | "timeout" | "aborted";
  text: string;
  stopReason?: StopReason | "rpc";
  error?: string;
  /** Client tool calls the model made (OpenResponses). */
  clientToolCalls?: Array<{ id: string; name: string; arguments: string }>;
  usage: Usage;
  provider?: string;
  model?: string;
  startedAt: number;
  endedAt: number;
  /**
   * The system prompt's report (injected workspace files, sizes, truncation),
   * for the `agent` final's `systemPromptReport`. Added by the engine.
   */
  promptReport?: Record<string, unknown>;
}

/** Events a run emits, as the `agent` / `chat` event payloads of the spec (sections 6.1, 6.2). */
export type RunEvent =
  | { event: "agent"; payload: Record<string, unknown>; toolEvent?: boolean }
  | { event: "chat"; payload: Record<string, unknown> }
  | {
    event: "exec.approval.requested" | "exec.approval.resolved";
    payload: Record<string, unknown>;
  }
  | { event: "sessions.changed"; payload: Record<string, unknown> };

/** A started run. */
export interface RunHandle {
  runId: string;
  sessionKey: string;
  agentId: string;
  acceptedAt: number;
  /** `true` when this key already finished or is running (duplicate). */
  duplicate: boolean;
  /** Resolves when the run ends; never rejects. */
  done: Promise<RunResult>;
}

/** The engine every caller shares. */
export interface AgentEngine {
  /** Starts (or joins, for a duplicate key) a run; resolves once admitted. */
  run(req: RunRequest): Promise<RunHandle>;
  /** Aborts running runs of a session (or one run). Returns the aborted run ids. */
  abort(sessionKey: string, runId?: string): string[];
  /** Subscribes to every run event; returns the unsubscribe function. */
  subscribe(listener: (ev: RunEvent) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
