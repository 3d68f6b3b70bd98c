/**
 * Tools (`src/agent/tools/`): results, approvals and the context a tool runs in.
 *
 * @module
 */

import type { AgentMessage, ImagePart, TextPart } from "./messages.ts";
import type { SessionRow } from "./sessions.ts";

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
