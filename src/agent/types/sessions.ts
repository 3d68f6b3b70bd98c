/**
 * Sessions (`src/agent/sessions/`): index entries and transcript lines.
 *
 * @module
 */

import type { ThinkingLevel } from "./providers.ts";

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
