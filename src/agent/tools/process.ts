/**
 * `process {action, sessionId?, ...}`: follows commands `exec` moved to the
 * background: list, poll (new output, optionally waiting), log (lines of the
 * kept output), write (stdin), kill, remove. A session only sees the
 * processes its own session key started.
 *
 * @module
 */

import type { Tool, ToolResult } from "../types.ts";
import type { ProcessRegistry } from "./process_registry.ts";
import type { ProcessSession } from "./process_session.ts";
import { finishedResult } from "./_exec_result.ts";
import {
  clip,
  guarded,
  optBool,
  optNumber,
  optString,
  reqString,
  textResult,
  ToolFailure,
  withTimeout,
} from "./_util.ts";

/** The actions `process` supports. */
export const PROCESS_ACTIONS = ["list", "poll", "log", "write", "kill", "remove"] as const;

const MAX_POLL_MS = 30_000;
const DEFAULT_LOG_LINES = 200;

function row(s: ProcessSession, now: number) {
  return {
    sessionId: s.id,
    status: s.status,
    pid: s.pid,
    command: clip(s.command, 200),
    cwd: s.cwd,
    startedAt: s.startedAt,
    runtimeMs: (s.endedAt ?? now) - s.startedAt,
    ...(s.status !== "running" ? { exitCode: s.exitCode, exitSignal: s.exitSignal } : {}),
  };
}

function statusLine(s: ProcessSession): string {
  if (s.status === "running") return `Process ${s.id} is still running (pid ${s.pid}).`;
  const how = s.exitSignal ? `signal ${s.exitSignal}` : `code ${s.exitCode}`;
  return `Process ${s.id} ${s.status} (${how}).`;
}

/** Waits until `s` prints or exits, at most `ms`, or until `signal` aborts. */
function waitForActivity(s: ProcessSession, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || s.status !== "running") return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      off();
      signal.removeEventListener("abort", finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    const off = s.onOutput(finish);
    s.done.then(finish);
    signal.addEventListener("abort", finish, { once: true });
  });
}

/** The `process` tool over a shared registry. */
export function createProcessTool(processes: ProcessRegistry): Tool {
  return {
    name: "process",
    description:
      "Control existing exec: list, poll, log, write, kill, remove. poll/log: status and output. Others: input/intervention. No polling as timer/reminder.",
    parameters: {
      type: "object",
      required: ["action"],
      properties: {
        action: {
          type: "string",
          enum: [...PROCESS_ACTIONS],
          description: "Process action (list|poll|log|write|kill|remove)",
        },
        sessionId: { type: "string", description: "Required for every action except list." },
        data: { type: "string", description: "Data to write for write" },
        eof: { type: "boolean", description: "Close stdin after write" },
        offset: { type: "number", description: "Log offset (line)" },
        limit: { type: "number", description: "Log length (lines)" },
        timeout: {
          type: "number",
          minimum: 0,
          description: "For poll: wait up to this many milliseconds before returning; max 30000 ms",
        },
      },
    },
    title: (args) => `Process ${String(args.action ?? "")} ${String(args.sessionId ?? "")}`.trim(),
    execute: guarded(async (args, ctx): Promise<ToolResult> => {
      const action = reqString(args, "action", { max: 32 });
      if (!(PROCESS_ACTIONS as readonly string[]).includes(action)) {
        throw new ToolFailure(
          `Unknown process action "${action}": use one of ${PROCESS_ACTIONS.join(", ")}`,
        );
      }
      const now = Date.now();
      if (action === "list") {
        const rows = processes.list(ctx.sessionKey).map((s) => row(s, now));
        const text = rows.length
          ? rows.map((r) =>
            `${r.sessionId} ${r.status} pid=${r.pid} ${
              Math.round(r.runtimeMs / 1000)
            }s ${r.command}`
          ).join("\n")
          : "No background processes.";
        return textResult(text, { sessions: rows });
      }
      const id = reqString(args, "sessionId", { max: 128 });
      const s = processes.get(id, ctx.sessionKey);
      if (!s) {
        throw new ToolFailure(
          `No background process "${id}" in this session: use process list to see them`,
        );
      }
      switch (action) {
        case "poll": {
          const wait = Math.min(optNumber(args, "timeout", { min: 0 }) ?? 0, MAX_POLL_MS);
          await waitForActivity(s, wait, ctx.signal);
          const fresh = s.takeNew();
          if (s.status !== "running") {
            const final = finishedResult(s, false);
            const text = `${fresh ? `${fresh.replace(/\s+$/, "")}\n\n` : ""}${statusLine(s)}`;
            return {
              ...final,
              content: [{ type: "text", text }],
              details: { ...final.details, ...row(s, now) },
            };
          }
          return textResult(`${fresh || "(no new output)"}\n\n${statusLine(s)}`, row(s, now));
        }
        case "log": {
          const lines = s.output().split("\n");
          const limit = optNumber(args, "limit", { min: 1, max: 5000, integer: true }) ??
            DEFAULT_LOG_LINES;
          const offset = optNumber(args, "offset", { min: 0, integer: true }) ??
            Math.max(0, lines.length - limit);
          const slice = lines.slice(offset, offset + limit);
          return textResult(slice.join("\n") || "(no output)", {
            ...row(s, now),
            offset,
            lines: slice.length,
            totalLines: lines.length,
            droppedChars: s.droppedChars,
          });
        }
        case "write": {
          const data = optString(args, "data", { max: 65_536 }) ?? "";
          const eof = optBool(args, "eof") ?? false;
          let written: true | undefined;
          try {
            written = await withTimeout(s.write(data, eof).then(() => true as const), 5000);
          } catch (err) {
            throw new ToolFailure(`${(err as Error).message}: nothing written`);
          }
          if (!written) {
            throw new ToolFailure(
              `Process ${s.id} is not reading its stdin (write still pending after 5 s): poll it or kill it`,
            );
          }
          return textResult(
            `Wrote ${data.length} characters to ${s.id}${eof ? " and closed stdin" : ""}.`,
            row(s, now),
          );
        }
        case "kill": {
          s.kill("killed");
          await withTimeout(s.done, 2000);
          return textResult(statusLine(s), row(s, Date.now()));
        }
        default: { // remove
          if (s.status === "running") {
            s.kill("killed");
            await withTimeout(s.done, 2000);
          }
          processes.remove(id, ctx.sessionKey);
          return textResult(`Removed process ${id}.`, { sessionId: id, removed: true });
        }
      }
    }),
  };
}
