/**
 * How exec and process describe a command and its output to the model
 * (shapes follow the captured `exec` results). Private to tools/.
 *
 * @module
 */

import type { ToolResult } from "../types.ts";
import type { ProcessSession } from "./process_session.ts";
import { clip } from "./_util.ts";

/** Characters of output in a partial update and in `details.tail`. */
const TAIL_CHARS = 4000;

const SUMMARIES: Record<string, string> = {
  echo: "print text",
  printf: "print text",
  ls: "list files",
  cat: "show file",
  grep: "search text",
  rg: "search text",
  find: "find files",
  git: "run git",
  sleep: "wait",
  curl: "fetch URL",
  mkdir: "create folder",
  rm: "remove files",
};

/** A short purpose for titles: the model's `title`, else a guess from the program. */
export function describeCommand(args: Record<string, unknown>): string {
  if (typeof args.title === "string" && args.title.trim()) return clip(args.title, 80);
  const command = typeof args.command === "string" ? args.command.trim() : "";
  const program = command.split(/\s+/)[0]?.split("/").pop() ?? "";
  return SUMMARIES[program] ?? (program ? `run ${clip(program, 40)}` : "command");
}

function tail(text: string, n = TAIL_CHARS): string {
  return text.length <= n ? text : text.slice(text.length - n);
}

/** A still-running command (partial update, or the answer after backgrounding). */
export function runningResult(s: ProcessSession, backgrounded: boolean): ToolResult {
  const out = tail(s.output());
  const details = {
    status: "running",
    sessionId: s.id,
    pid: s.pid,
    startedAt: s.startedAt,
    cwd: s.cwd,
    tail: out,
  };
  if (!backgrounded) return { content: [{ type: "text", text: out }], details };
  const text = `Command still running (session ${s.id}, pid ${s.pid}). ` +
    `Use process (list/poll/log/write/kill) with sessionId "${s.id}" for follow-up.` +
    (out ? `\n\nOutput so far:\n${out}` : "");
  return { content: [{ type: "text", text }], details: { ...details, backgrounded: true } };
}

/** The output the model sees, with a note when the front was dropped. */
function shownOutput(s: ProcessSession): string {
  const out = s.output();
  const note = s.droppedChars > 0 || s.totalChars > out.length
    ? `[output truncated: showing the last ${out.length} of ${s.totalChars} characters]\n`
    : "";
  return note + out.replace(/\s+$/, "");
}

/** A finished command. */
export function finishedResult(s: ProcessSession, aborted: boolean): ToolResult {
  const out = shownOutput(s);
  const durationMs = (s.endedAt ?? Date.now()) - s.startedAt;
  const exitReason = s.status === "timeout"
    ? "timeout"
    : s.status === "killed"
    ? (aborted ? "aborted" : "killed")
    : s.exitSignal
    ? "signal"
    : "exit";
  const details = {
    status: s.status === "completed" ? "completed" : "failed",
    exitCode: s.exitCode,
    exitSignal: s.exitSignal,
    exitReason,
    durationMs,
    aggregated: tail(out),
    noOutputTimedOut: false,
    cwd: s.cwd,
    sessionId: s.id,
  };
  if (s.status === "completed") {
    return { content: [{ type: "text", text: out || "(no output)" }], details };
  }
  const why = exitReason === "timeout"
    ? "Command timed out and was killed"
    : exitReason === "aborted"
    ? "Command aborted"
    : exitReason === "killed"
    ? "Command killed"
    : s.exitSignal
    ? `Command terminated by ${s.exitSignal}`
    : `Command exited with code ${s.exitCode}`;
  return {
    content: [{ type: "text", text: out ? `${out}\n\n(${why})` : `(${why})` }],
    details,
    isError: true,
  };
}
