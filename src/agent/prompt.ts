/**
 * The system prompt (spec `agent.md` section 4): a much smaller prompt
 * than 2026.9.6's 50 KB, keeping what the spec says to keep: the identity
 * line, the tool list, the workspace dir, the injected workspace files with
 * the 20000/60000 limits and the exact truncation markers and notice, the
 * date and time zone, and the runtime facts. Also the user-message
 * projection (`[Mon 2026-11-30 01:51 UTC] hello`).
 *
 * Pure: the caller reads the files ({@link loadWorkspaceFiles}) and the clock.
 *
 * @module
 */

import { stamp } from "./user_text.ts";
import type { WorkspaceFile } from "./workspace.ts";
import { REQUIRED_FILES } from "./workspace.ts";

export { projectUserText, type RuntimeFacts, runtimeLine, stamp } from "./user_text.ts";

/** Per-file cap (`agents.defaults.bootstrapMaxChars`). */
export const DEFAULT_BOOTSTRAP_MAX_CHARS = 20000;
/** Cap over all injected files (`agents.defaults.bootstrapTotalMaxChars`). */
export const DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS = 60000;
/** USER.md's own cap. */
export const USER_MD_MAX_CHARS = 4000;
/** The first line of every prompt. */
export const IDENTITY_LINE = "You are a personal assistant running inside OpenClaw.";
/** Below this many characters of budget left, further files are left out. */
const MIN_FILE_BUDGET = 64;

/** Inputs of {@link buildSystemPrompt}. */
export interface SystemPromptInput {
  workspace: string;
  /** Tools as the model gets them (name + description). */
  tools: Array<{ name: string; description: string; parameters?: unknown }>;
  /** From `loadWorkspaceFiles`. */
  files: WorkspaceFile[];
  /** `provider/model` of this run. */
  modelRef: string;
  /** Thinking level of the run (`off` when none). */
  thinking?: string;
  now: Date;
  /** IANA zone, e.g. `UTC` or `Europe/Amsterdam`. */
  timeZone: string;
  /** Where the message came from (`webchat`, `telegram`, ...). */
  channel?: string;
  extraSystemPrompt?: string;
  bootstrapMaxChars?: number;
  bootstrapTotalMaxChars?: number;
  /** `none`: the identity line only (spec `promptMode`). */
  mode?: "full" | "none";
}

/** One injected file in the report. */
export interface InjectedFileReport {
  name: string;
  path: string;
  missing: boolean;
  rawChars: number;
  injectedChars: number;
  truncated: boolean;
}

/** `systemPromptReport` (the `agent` final's `result.meta`). */
export interface SystemPromptReport {
  bootstrapMaxChars: number;
  bootstrapTotalMaxChars: number;
  workspaceDir: string;
  systemPrompt: { chars: number; projectContextChars: number; nonProjectContextChars: number };
  injectedWorkspaceFiles: InjectedFileReport[];
  tools: {
    listChars: number;
    schemaChars: number;
    entries: Array<{ name: string; summaryChars: number }>;
  };
}

/**
 * Keeps a file under `maxChars`: 75% head, 25% tail, joined by the two
 * marker lines the real gateway writes. For the 36027-character SOUL.md of
 * the capture this keeps exactly 14920+4973 characters.
 */
export function truncateForPrompt(
  content: string,
  name: string,
  maxChars: number,
): { text: string; truncated: boolean } {
  const trimmed = content.trimEnd();
  if (trimmed.length <= maxChars) return { text: trimmed, truncated: false };
  const marker = (head: number, tail: number) =>
    `\n\n[...truncated, read ${name} for full content...]\n` +
    `…(truncated ${name}: kept ${head}+${tail} chars of ${trimmed.length})…\n\n`;
  // Budget the marker with the widest counts it can show, then split the rest.
  const room = maxChars - marker(maxChars, maxChars).length;
  if (room < 16) return { text: trimmed.slice(0, Math.max(0, maxChars)), truncated: true };
  const head = Math.round(room * 0.75);
  const tail = room - head;
  return {
    text: trimmed.slice(0, head) + marker(head, tail) + trimmed.slice(trimmed.length - tail),
    truncated: true,
  };
}

const ROLE_NOTES: Record<string, string> = {
  "SOUL.md": "SOUL.md: persona/tone. Follow it unless higher-priority instructions override.",
  "TOOLS.md": "TOOLS.md: local tool notes (hosts, conventions); guidance only, it grants no tools.",
  "MEMORY.md":
    "MEMORY.md: durable non-profile facts and decisions; use when relevant unless higher-priority instructions override.",
  "USER.md":
    "USER.md: durable user preferences and profile directives; follow unless higher-priority instructions override.",
};
const NOTE_ORDER = ["SOUL.md", "TOOLS.md", "MEMORY.md", "USER.md"];

/** Builds the system prompt and its report. */
export function buildSystemPrompt(input: SystemPromptInput): {
  text: string;
  report: SystemPromptReport;
} {
  const perFile = input.bootstrapMaxChars ?? DEFAULT_BOOTSTRAP_MAX_CHARS;
  const total = input.bootstrapTotalMaxChars ?? DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS;
  const toolLines = input.tools.map((t) => {
    const s = summary(t.description);
    return s ? `- ${t.name}: ${s}` : `- ${t.name}`;
  });
  const report: SystemPromptReport = {
    bootstrapMaxChars: perFile,
    bootstrapTotalMaxChars: total,
    workspaceDir: input.workspace,
    systemPrompt: { chars: 0, projectContextChars: 0, nonProjectContextChars: 0 },
    injectedWorkspaceFiles: [],
    tools: {
      listChars: toolLines.join("\n").length,
      schemaChars: input.tools.reduce((n, t) => n + JSON.stringify(t.parameters ?? {}).length, 0),
      entries: input.tools.map((t) => ({
        name: t.name,
        summaryChars: summary(t.description).length,
      })),
    },
  };
  if (input.mode === "none") {
    report.systemPrompt = {
      chars: IDENTITY_LINE.length,
      projectContextChars: 0,
      nonProjectContextChars: IDENTITY_LINE.length,
    };
    return { text: IDENTITY_LINE, report };
  }

  // Project Context: each file under its cap and the shared budget.
  let remaining = total;
  let anyTruncated = false;
  const blocks: string[] = [];
  const present = new Set<string>();
  let bootstrapPending = false;
  for (const f of input.files) {
    const entry: InjectedFileReport = {
      name: f.name,
      path: f.path,
      missing: f.content === undefined,
      rawChars: f.rawChars,
      injectedChars: 0,
      truncated: false,
    };
    if (f.content === undefined || f.content.trim() === "") {
      if (REQUIRED_FILES.has(f.name)) {
        blocks.push(`## ${f.path}\n[MISSING] Expected at: ${f.path}`);
        report.injectedWorkspaceFiles.push(entry);
      }
      continue;
    }
    if (f.name === "BOOTSTRAP.md") bootstrapPending = true;
    const cap = Math.min(f.name === "USER.md" ? USER_MD_MAX_CHARS : perFile, remaining);
    if (cap < MIN_FILE_BUDGET) {
      entry.truncated = true;
      anyTruncated = true;
      report.injectedWorkspaceFiles.push(entry);
      continue;
    }
    const { text, truncated } = truncateForPrompt(f.content, f.name, cap);
    // A file over its cap marks the whole context partial.
    if (truncated || f.rawChars > f.content.length) anyTruncated = true;
    entry.injectedChars = text.length;
    entry.truncated = truncated;
    remaining -= text.length;
    present.add(f.name);
    blocks.push(`## ${f.path}\n${text}`);
    report.injectedWorkspaceFiles.push(entry);
  }
  const notes = NOTE_ORDER.filter((n) => present.has(n)).map((n) => ROLE_NOTES[n]);
  const project = blocks.length === 0 ? [] : [
    "## Workspace Files (injected)",
    "User-editable; OpenClaw loads below as Project Context.",
    "# Project Context",
    ...(notes.length ? ["Loaded project context:", ...notes] : []),
    ...blocks,
  ];
  const projectText = project.join("\n");

  const stable = [
    "<!-- openclaw:attempt:STABLE -->",
    IDENTITY_LINE,
    "## Tooling",
    "Tools policy-filtered. Names case-sensitive; call exact.",
    ...(toolLines.length ? toolLines : ["(no tools this turn)"]),
    "## Tool Call Style",
    "Routine low-risk: call silently. Narrate only complex, sensitive or destructive steps.",
    "## Safety",
    "No independent goals beyond the user's request. Safety and oversight come before completion;",
    "when they conflict, pause and ask. Never bypass safeguards or persuade anyone to expand access.",
    "## Workspace",
    `Working directory: ${input.workspace}`,
    "File tools resolve relative paths here.",
    ...(anyTruncated
      ? [
        "## Bootstrap Context Notice",
        "[Bootstrap truncation warning]",
        "Some workspace bootstrap files were truncated before Project Context injection.",
        "Treat Project Context as partial and read the relevant files directly if details seem missing.",
      ]
      : []),
    ...(bootstrapPending
      ? [
        "## Bootstrap Pending",
        "BOOTSTRAP.md below; follow it before a normal reply, after any real work the user asked for.",
        "Never claim it is complete early; delete BOOTSTRAP.md when it is.",
      ]
      : []),
  ].join("\n");
  const dynamic = [
    "<!-- /openclaw:attempt:STABLE -->",
    "<!-- openclaw:attempt:DYNAMIC -->",
    "## Temporal Context",
    `Current date: ${ymd(input.now, input.timeZone)}`,
    `Time zone: ${input.timeZone}`,
    ...(input.channel
      ? ["## Conversation Context", `You are in a ${channelTitle(input.channel)} conversation.`]
      : []),
    ...(input.extraSystemPrompt?.trim()
      ? ["## Extra Context", input.extraSystemPrompt.trim()]
      : []),
    "## Runtime",
    `Current model identity: ${input.modelRef}. If asked what model you are, answer with this value for the current run.`,
    `Reasoning=${input.thinking ?? "off"}.`,
    "<!-- /openclaw:attempt:DYNAMIC -->",
  ].join("\n");
  const text = [stable, ...(projectText ? [projectText] : []), dynamic].join("\n");
  report.systemPrompt = {
    chars: text.length,
    projectContextChars: projectText.length,
    nonProjectContextChars: text.length - projectText.length,
  };
  return { text, report };
}

function ymd(at: Date, timeZone: string): string {
  return stamp(at, timeZone).split(" ")[1];
}

function summary(description: string): string {
  const line = description.trim().split("\n")[0];
  const sentence = line.match(/^.*?[.!?](\s|$)/)?.[0].trim() ?? line;
  const s = sentence.replace(/[.]$/, "");
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function channelTitle(channel: string): string {
  const known: Record<string, string> = {
    webchat: "WebChat direct",
    telegram: "Telegram",
    whatsapp: "WhatsApp",
    cli: "CLI",
    http: "HTTP API",
  };
  return known[channel] ?? channel;
}
