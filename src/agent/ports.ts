/**
 * What the engine needs of its parts, each as narrow as a run uses it. The
 * composition (`createAgentEngine` callers) adapts the sessions, prompt,
 * tools and approvals parts to these; tests can hand in small fakes.
 *
 * @module
 */

import type {
  AgentMessage,
  ApprovalDecision,
  ExecApprovalRequest,
  ModelCatalog,
  ResolvedModel,
  SessionEntry,
  SessionsView,
  Tool,
  ToolSchema,
  TranscriptLine,
  Usage,
} from "./types.ts";

/** A transcript row to append (the store assigns `id`, `parentId`, `timestamp`). */
export type EngineRow = DistributiveOmit<
  Exclude<TranscriptLine, { type: "session" }>,
  "id" | "parentId" | "timestamp"
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The session store as a run uses it. */
export interface EngineSessions {
  /** The entry of `key`, created (with `sessionId` when given) when missing. */
  open(
    agentId: string,
    key: string,
    opts: { sessionId?: string; createdVia: string; cwd: string },
  ): Promise<{ entry: SessionEntry; created: boolean }>;
  /** The model context: messages since the latest reset or compaction. */
  context(agentId: string, key: string): Promise<AgentMessage[]>;
  /** Appends one transcript row. */
  append(agentId: string, key: string, row: EngineRow): Promise<void>;
  /** Merges `patch` into the index entry (atomic write); returns the new entry. */
  update(agentId: string, key: string, patch: Partial<SessionEntry>): Promise<SessionEntry>;
  /** Adds one run's usage to the entry's counters. */
  recordUsage(agentId: string, key: string, usage: Usage, contextTokens?: number): Promise<void>;
  /** Read-only view for the session tools. */
  view: SessionsView;
}

/** Inputs of a system prompt. */
export interface PromptInput {
  agentId: string;
  sessionKey: string;
  sessionId: string;
  workspace: string;
  model: ResolvedModel;
  tools: ToolSchema[];
  channel: string;
  extraSystemPrompt?: string;
  /** No assistant message yet in this session (BOOTSTRAP.md, runtime line). */
  firstTurn: boolean;
  /** What {@link EnginePrompt.prefetch} started for this turn, if it was called. */
  prefetched?: PromptPrefetch;
}

/** Workspace reads started ahead of {@link EnginePrompt.build} (opaque to the engine). */
export interface PromptPrefetch {
  readonly workspace: string;
  readonly sessionKey: string;
  readonly files: Promise<unknown>;
}

/** A built prompt: the system text and the first user message's projection. */
export interface BuiltPrompt {
  system: string;
  /** The user text as the model sees it (date prefix, runtime line); default: as sent. */
  userText?: (text: string) => string;
  /** `systemPromptReport` for the `agent` final (injected file sizes, truncation). */
  report?: Record<string, unknown>;
}

/** Builds system prompts. */
export interface EnginePrompt {
  build(input: PromptInput): Promise<BuiltPrompt>;
  /**
   * Starts reading the workspace files `build` will inject, so the reads
   * overlap the session reads before it (optional; `build` reads them itself
   * without it). Never rejects: a failed read is rethrown by `build`.
   */
  prefetch?(workspace: string, sessionKey: string): PromptPrefetch;
}

/** A slash command's outcome. */
export interface CommandReply {
  /** The reply shown as `chat final`. */
  text: string;
}

/** What a slash command may read or do. */
export interface CommandContext {
  agentId: string;
  sessionKey: string;
  entry: SessionEntry;
  runId: string;
}

/** Slash commands handled before the model (`/new`, `/status`, ...). */
export interface EngineCommands {
  /** The reply, or `undefined` when `message` is not a command this gateway handles. */
  handle(message: string, ctx: CommandContext): Promise<CommandReply | undefined>;
}

/** Tools as a run gets them: the policy already applied. */
export interface EngineTools {
  forRun(agentId: string): Tool[];
}

/** Exec approvals: a request waits for an operator (or the expiry, which denies). */
export interface EngineApprovals {
  request(req: ExecApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
}

/** The parts a run needs. */
export interface RunParts {
  catalog: ModelCatalog;
  sessions: EngineSessions;
  prompt: EnginePrompt;
  tools: EngineTools;
  commands?: EngineCommands;
  approvals: EngineApprovals;
  /** The agent's workspace dir, created (and seeded) when missing. */
  workspace(agentId: string): Promise<string>;
}
