/**
 * The contracts between the parts of the agent engine: providers (talk to a
 * model), tools (do things), sessions (remember), prompt (say who we are) and
 * the engine that runs a turn through them. Channels, the HTTP APIs and the
 * WebSocket methods only see {@link AgentEngine}.
 *
 * Message and transcript shapes follow the spec's transcript rows
 * (`shared/spec/agent.md` section 7.3) so a transcript line is exactly what
 * the real gateway writes.
 *
 * @module
 */

// ---------------------------------------------------------------------------
// Messages (the model context, and the `message` of transcript rows)
// ---------------------------------------------------------------------------

/** Plain text. */
export interface TextPart {
  type: "text";
  text: string;
}

/** An image, base64 without the `data:` prefix. */
export interface ImagePart {
  type: "image";
  data: string;
  mimeType: string;
}

/** Model reasoning text (kept in the transcript, not replayed to other providers). */
export interface ThinkingPart {
  type: "thinking";
  thinking: string;
}

/** A tool call the model made. */
export interface ToolCallPart {
  type: "toolCall";
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** Token counts of one model call (or the sum of a run). */
export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  totalTokens: number;
  cost: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
}

/** Why a model call ended. */
export type StopReason = "stop" | "length" | "toolUse" | "error" | "aborted";

/** A user turn. `content` is a string for plain text. */
export interface UserMessage {
  role: "user";
  content: string | Array<TextPart | ImagePart>;
  timestamp: number;
  idempotencyKey?: string;
  // deno-lint-ignore no-explicit-any
  __openclaw?: Record<string, any>;
}

/** A model turn. */
export interface AssistantMessage {
  role: "assistant";
  content: Array<TextPart | ThinkingPart | ToolCallPart>;
  api?: ModelApi;
  provider?: string;
  model?: string;
  usage?: Usage;
  stopReason?: StopReason;
  errorMessage?: string;
  responseId?: string;
  timestamp: number;
  // deno-lint-ignore no-explicit-any
  __openclaw?: Record<string, any>;
}

/** The result of one tool call, sent back to the model. */
export interface ToolResultMessage {
  role: "toolResult";
  toolCallId: string;
  toolName: string;
  content: Array<TextPart | ImagePart>;
  details?: Record<string, unknown>;
  isError: boolean;
  timestamp: number;
}

/** A message of the model context. */
export type AgentMessage = UserMessage | AssistantMessage | ToolResultMessage;

// ---------------------------------------------------------------------------
// Providers (src/agent/providers/)
// ---------------------------------------------------------------------------

/** Wire protocols we speak. */
export type ModelApi = "openai-completions" | "anthropic-messages" | "ollama";

/** Thinking levels (spec section 10). */
export type ThinkingLevel =
  | "off"
  | "minimal"
  | "low"
  | "medium"
  | "high"
  | "xhigh"
  | "adaptive"
  | "max"
  | "ultra";

/** `provider/model`, parsed. */
export interface ModelRef {
  provider: string;
  model: string;
}

/** Where a credential came from; never the credential itself. */
export interface CredentialSource {
  /** `config` (models.providers.<id>.apiKey), `env` (<PROVIDER>_API_KEY ...), `none`. */
  kind: "config" | "env" | "none";
  /** The env var or config key that held it, e.g. `OPENAI_API_KEY`. */
  name?: string;
}

/** Everything needed to call one model. */
export interface ResolvedModel {
  ref: ModelRef;
  /** Display name from config. */
  name: string;
  api: ModelApi;
  baseUrl: string;
  /** Undefined when no credential resolves (Ollama on loopback may need none). */
  apiKey?: string;
  credential: CredentialSource;
  contextWindow: number;
  maxTokens?: number;
  reasoning: boolean;
  /** Thinking levels this model accepts (`["off"]` for a non-reasoning model). */
  thinkingLevels: ThinkingLevel[];
  headers?: Record<string, string>;
  /** Idle watchdog for the stream: no byte for this long fails the attempt. */
  idleTimeoutMs: number;
  /** Per 1M tokens. */
  cost: { input: number; output: number; cacheRead: number; cacheWrite: number };
}

/** A function tool as the model sees it. */
export interface ToolSchema {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** One model call. */
export interface ModelRequest {
  /** The system prompt. */
  system: string;
  messages: AgentMessage[];
  tools: ToolSchema[];
  thinking?: ThinkingLevel;
  /** Aborts the HTTP request and the stream. */
  signal: AbortSignal;
}

/** What a model stream yields, in order; exactly one `finish` ends it. */
export type ModelStreamEvent =
  | { type: "text-delta"; delta: string }
  | { type: "thinking-delta"; delta: string }
  | { type: "tool-call"; id: string; name: string; arguments: Record<string, unknown> }
  | { type: "finish"; stopReason: StopReason; usage: Usage; responseId?: string };

/** Failure classes (spec: failoverReason). */
export type ProviderFailure =
  | "auth" // no credential, or 401/403
  | "unreachable" // connection refused, DNS, TLS
  | "rate_limit" // 429
  | "server_error" // 5xx
  | "bad_request" // other 4xx
  | "timeout" // idle watchdog or request deadline
  | "aborted" // the caller's signal
  | "unknown";

/**
 * A provider call failed. The message names provider, model and cause and
 * never contains a key.
 */
export class ProviderError extends Error {
  readonly provider: string;
  readonly model: string;
  readonly reason: ProviderFailure;
  readonly status?: number;
  /** From `Retry-After` / `retry-after-ms`. */
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(
    message: string,
    opts: {
      provider: string;
      model: string;
      reason: ProviderFailure;
      status?: number;
      retryAfterMs?: number;
      retryable?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, { cause: opts.cause });
    this.name = "ProviderError";
    this.provider = opts.provider;
    this.model = opts.model;
    this.reason = opts.reason;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.retryable = opts.retryable ??
      (opts.reason === "rate_limit" || opts.reason === "server_error" ||
        opts.reason === "unreachable" || opts.reason === "timeout");
  }
}

/** Hooks the failover loop calls so the engine can emit lifecycle events. */
export interface FailoverHooks {
  /** A model attempt starts (`lifecycle {phase:"model"}`). */
  onAttempt?(model: ResolvedModel, attempt: number): void;
  /** An attempt failed and will be retried after `delayMs`. */
  onRetry?(model: ResolvedModel, err: ProviderError, attempt: number, delayMs: number): void;
  /** The chain moves on from `from` (`lifecycle {phase:"fallback_step"}`). */
  onFallback?(
    from: ResolvedModel,
    err: ProviderError,
    position: number,
    outcome: "next" | "chain_exhausted",
  ): void;
}

/** The models a config knows about, and how to call them. */
export interface ModelCatalog {
  /** The default chain: primary first, then fallbacks (may be unresolvable). */
  defaultRefs(agentId?: string): ModelRef[];
  /** Resolves a ref or `"provider/model"`; throws ProviderError(reason "auth"|"bad_request"). */
  resolve(ref: ModelRef | string): ResolvedModel;
  /** For `models.list`: every configured model, without keys. */
  list(): Array<{
    id: string;
    name: string;
    provider: string;
    contextWindow: number;
    reasoning: boolean;
    input: string[];
    credential: CredentialSource;
    /** Thinking levels the model accepts (`models.list` `thinkingLevels`). Added by providers. */
    thinkingLevels?: ThinkingLevel[];
    /** A credential resolves (or none is needed), so a call can be tried. Added by providers. */
    available?: boolean;
  }>;
  /**
   * Streams one turn through the chain with retries (backoff + jitter,
   * honouring Retry-After) before any output has been yielded, then fallbacks.
   * Throws the last ProviderError when the chain is exhausted.
   */
  stream(chain: ModelRef[], req: ModelRequest, hooks?: FailoverHooks): AsyncIterable<
    ModelStreamEvent & { model: ResolvedModel }
  >;
  /** One non-streaming call without tools (compaction). */
  complete(ref: ModelRef, req: Omit<ModelRequest, "tools">): Promise<string>;
}

// ---------------------------------------------------------------------------
// Tools (src/agent/tools/)
// ---------------------------------------------------------------------------

/** What a tool returns (and sends as partial updates). */
export interface ToolResult {
  content: Array<TextPart | ImagePart>;
  details?: Record<string, unknown>;
  isError?: boolean;
}

/** An exec approval request (spec 3.5), as broadcast in `exec.approval.requested`. */
export interface ExecApprovalRequest {
  command: string;
  cwd: string;
  agentId: string;
  sessionKey: string;
  runId: string;
  toolCallId: string;
  resolvedPath?: string;
  /** Where the command runs (default the gateway host). */
  host?: "gateway" | "node";
  /** The node, for `host:"node"`. */
  nodeId?: string;
}

/** Operator answers to an exec approval. */
export type ApprovalDecision = "allow-once" | "allow-always" | "deny";

/** Read-only view of sessions for the session tools. */
export interface SessionsView {
  list(opts?: { agentId?: string; limit?: number }): Promise<SessionRow[]>;
  history(sessionKey: string, opts?: { limit?: number; includeTools?: boolean }): Promise<
    AgentMessage[]
  >;
  status(sessionKey: string): Promise<SessionRow | undefined>;
}

/** What a tool call may use. */
export interface ToolContext {
  agentId: string;
  sessionKey: string;
  runId: string;
  toolCallId: string;
  /** Absolute workspace dir; file tools resolve relative paths here. */
  workspace: string;
  /** Aborted by `chat.abort` or the run timeout: stop and return. */
  signal: AbortSignal;
  /** Streams a partial result (`tool {phase:"update"}`). */
  onUpdate(partial: ToolResult): void;
  /** Asks an operator (exec `ask` mode); resolves `deny` on timeout. */
  requestApproval(req: ExecApprovalRequest): Promise<ApprovalDecision>;
  sessions: SessionsView;
}

/** One tool. */
export interface Tool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Short human title for `item` events, e.g. "Read first 5 lines of SOUL.md". */
  title?(args: Record<string, unknown>): string;
  /** Whether it runs commands (`item.commandBearing`). */
  commandBearing?: boolean;
  execute(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

// ---------------------------------------------------------------------------
// Sessions (src/agent/sessions/)
// ---------------------------------------------------------------------------

/** A `sessions.json` entry (spec 7.2); unknown fields are kept. */
export interface SessionEntry {
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  sessionStartedAt: number;
  lastInteractionAt?: number;
  createdVia?: string;
  chatType?: "direct" | "group" | "room";
  label?: string;
  displayName?: string;
  thinkingLevel?: ThinkingLevel;
  providerOverride?: string;
  modelOverride?: string;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  contextTokens?: number;
  compactionCount?: number;
  abortedLastRun?: boolean;
  lastChannel?: string;
  lastTo?: string;
  lastAccountId?: string;
  [extra: string]: unknown;
}

/** A `sessions.list` row: the entry plus computed fields. */
export interface SessionRow extends SessionEntry {
  key: string;
  agentId: string;
  kind: string;
  isMain: boolean;
  hasActiveRun?: boolean;
  lastMessagePreview?: string;
}

/** One transcript JSONL line (spec 7.3). */
export type TranscriptLine =
  | { type: "session"; version: number; id: string; timestamp: string; cwd: string }
  | { type: "message"; id: string; parentId: string | null; timestamp: string; message: unknown }
  | { type: "reset"; id: string; parentId: string | null; timestamp: string; reason: string }
  | {
    type: "compaction";
    id: string;
    parentId: string | null;
    timestamp: string;
    summary: string;
    firstKeptEntryId: string;
    tokensBefore: number;
  }
  | {
    type: "custom";
    id: string;
    parentId: string | null;
    timestamp: string;
    customType: string;
    data?: unknown;
    content?: string;
    display?: boolean;
  }
  | {
    type: "thinking_level_change" | "model_change";
    id: string;
    parentId: string | null;
    timestamp: string;
    [k: string]: unknown;
  };

// ---------------------------------------------------------------------------
// The engine (src/agent/mod.ts): what methods, channels and HTTP call
// ---------------------------------------------------------------------------

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
