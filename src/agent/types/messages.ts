/**
 * Messages: the model context and the `message` of transcript rows (spec `agent.md` 7.3).
 *
 * @module
 */

import type { ModelApi } from "./providers.ts";

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
