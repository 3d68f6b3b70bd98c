/**
 * `logs.tail`: reads the gateway's file log from a byte cursor, so
 * `openclaw logs` works remotely and never tails the file itself.
 *
 * Cursor rules: a cursor always sits at the start of a line, in every answer.
 * Without one, the last `limit` complete lines are returned (none when the
 * end of the file is one unfinished line longer than `maxBytes`; the cursor
 * then points at that line's start). With one, complete lines from there on,
 * at most `limit` lines and about `maxBytes` bytes; `truncated` then says
 * more is waiting. A line still being written (no newline yet) is left for
 * the next call.
 *
 * Day roll-over: a cursor belongs to `file`, the file the previous answer
 * named. When that is an earlier day's file of this log, its remaining lines
 * come first (with `truncated: true`, since today's file is waiting), then
 * today's file from the top, so lines written just before midnight are not
 * lost. Only a daily file name (`<prefix>-YYYY-MM-DD.log`) inside the log
 * folder is ever opened, whatever path the caller sends. Reading restarts at
 * the top of today's file with `reset: true` when the cursor's file is
 * unknown or gone, or the cursor is past its end or not at a line start (the
 * file shrank or was rewritten).
 *
 * @module
 */

import type { LogsTailParams, LogsTailResult } from "../../protocol/schemas/logs.ts";
import { unavailable } from "../errors.ts";
import type { HandlerTable } from "../server/router.ts";

/** What `logs.tail` reads. */
export interface LogsDeps {
  /** Today's log file, if the file log is on. */
  logFile(): string | undefined;
}

/** Lines returned when the caller gives no `limit`. */
export const DEFAULT_TAIL_LIMIT = 200;
/** Bytes read per call when the caller gives no `maxBytes`. */
export const DEFAULT_TAIL_MAX_BYTES = 256 * 1024;
/** Appended to a line longer than `maxBytes`. */
export const LINE_TRUNCATED_MARK = " …[line truncated]";

const NL = 0x0a;
const CHUNK = 65_536;
const DATED_NAME_RE = /-\d{4}-\d{2}-\d{2}\.log$/;

/** Builds the `logs.tail` handler. */
export function logsHandlers(deps: LogsDeps): HandlerTable {
  return {
    "logs.tail": async (params: LogsTailParams) => {
      const file = deps.logFile();
      if (!file) {
        throw unavailable("The file log is off on this gateway: there is nothing to tail");
      }
      return await tailLogFile(file, params);
    },
  };
}

/** Names of the daily files `<prefix>-YYYY-MM-DD.log` of one log. */
export function dailyLogPattern(prefix: string): RegExp {
  return new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{4}-\\d{2}-\\d{2}\\.log$`,
  );
}

/** How much one read may return. */
interface Budget {
  limit: number;
  maxBytes: number;
}

/**
 * Reads the log per the rules above. `today` is the file records go to now;
 * `params.file` names the file `params.cursor` belongs to (default `today`).
 * A missing file reads as empty.
 */
export async function tailLogFile(today: string, params: LogsTailParams): Promise<LogsTailResult> {
  const budget = {
    limit: params.limit ?? DEFAULT_TAIL_LIMIT,
    maxBytes: params.maxBytes ?? DEFAULT_TAIL_MAX_BYTES,
  };
  const { cursor } = params;
  if (cursor === undefined) return orEmpty(await readLog(today, { budget }), today);
  const from = params.file === undefined ? today : cursorFilePath(today, params.file);
  if (from === undefined) return await fromTop(today, { budget, reset: true });
  if (from !== today) {
    const rest = await readLog(from, { budget, cursor });
    if (typeof rest === "string") return await fromTop(today, { budget, reset: true });
    if (rest.lines.length > 0) return { ...rest, truncated: true };
    return await fromTop(today, { budget, reset: false }); // that day is done
  }
  const res = await readLog(today, { budget, cursor });
  if (res === "missing") return emptyResult(today, cursor > 0);
  if (res === "bad-cursor") return await fromTop(today, { budget, reset: true });
  return res;
}

/**
 * Where the daily file `claimed` (a name or path from the caller) is in
 * today's log folder: `today` itself, or an earlier day's file of the same
 * log. `undefined` for anything else, so no other path is ever opened.
 */
function cursorFilePath(today: string, claimed: string): string | undefined {
  const slash = today.lastIndexOf("/");
  const todayName = today.slice(slash + 1);
  const name = claimed.slice(Math.max(claimed.lastIndexOf("/"), claimed.lastIndexOf("\\")) + 1);
  if (name === todayName) return today;
  if (!DATED_NAME_RE.test(todayName)) return undefined;
  const ours = dailyLogPattern(todayName.replace(DATED_NAME_RE, ""));
  return ours.test(name) && name < todayName ? `${today.slice(0, slash)}/${name}` : undefined;
}

/** `file` from its first line; `reset` says an earlier position was given up. */
async function fromTop(
  file: string,
  opts: { budget: Budget; reset: boolean },
): Promise<LogsTailResult> {
  const res = orEmpty(await readLog(file, { budget: opts.budget, cursor: 0 }), file);
  return opts.reset ? { ...res, reset: true } : res;
}

function orEmpty(res: LogsTailResult | "missing" | "bad-cursor", file: string): LogsTailResult {
  return typeof res === "string" ? emptyResult(file, false) : res;
}

function emptyResult(file: string, reset: boolean): LogsTailResult {
  return { file, cursor: 0, size: 0, lines: [], ...(reset ? { reset: true } : {}) };
}

/**
 * Reads `file` from `cursor` (or its tail without one). `"missing"`: no
 * such file; `"bad-cursor"`: the cursor is past the end or not at a line start.
 */
async function readLog(
  file: string,
  opts: { budget: Budget; cursor?: number },
): Promise<LogsTailResult | "missing" | "bad-cursor"> {
  let handle: Deno.FsFile;
  try {
    handle = await Deno.open(file, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "missing";
    throw err;
  }
  try {
    const win: Window = { handle, file, size: (await handle.stat()).size, ...opts.budget };
    const { cursor } = opts;
    if (cursor === undefined) return await tail(win);
    if (cursor > win.size || (cursor > 0 && (await readAt(handle, cursor - 1, 1))[0] !== NL)) {
      return "bad-cursor";
    }
    return await forward(win, cursor);
  } finally {
    handle.close();
  }
}

/** One open log file, its size when the call started, and the call's budget. */
interface Window extends Budget {
  handle: Deno.FsFile;
  file: string;
  size: number;
}

/** The last `limit` complete lines. `truncated`: earlier lines were left out. */
async function tail(win: Window): Promise<LogsTailResult> {
  const { handle, file, size } = win;
  const start = Math.max(0, size - win.maxBytes);
  const bytes = await readAt(handle, start, size - start);
  const lastNl = bytes.lastIndexOf(NL);
  if (lastNl < 0) {
    // Nothing yet, or one unfinished line longer than maxBytes: point at its
    // start, never into it (a mid-line cursor would make the next call reset).
    if (start === 0) return { file, cursor: 0, size, lines: [] };
    return { file, cursor: await lineStartBefore(handle, start), size, lines: [], truncated: true };
  }
  // Drop the part of a line cut by the window start.
  const firstNl = start > 0 ? bytes.indexOf(NL) : -1;
  const body = bytes.subarray(firstNl + 1, lastNl);
  let lines = body.length || lastNl > firstNl ? splitLines(body) : [];
  const truncated = start > 0 || lines.length > win.limit;
  if (lines.length > win.limit) lines = lines.slice(lines.length - win.limit);
  const result: LogsTailResult = { file, cursor: start + lastNl + 1, size, lines };
  return truncated ? { ...result, truncated: true } : result;
}

/** Complete lines from `cursor` on. `truncated`: more complete lines are waiting. */
async function forward(win: Window, cursor: number): Promise<LogsTailResult> {
  const { handle, file, size, limit } = win;
  const end = Math.min(size, cursor + win.maxBytes);
  const bytes = await readAt(handle, cursor, end - cursor);
  const lastNl = bytes.lastIndexOf(NL);
  if (lastNl < 0) {
    if (end === size) return { file, cursor, size, lines: [] }; // a line still being written
    // One line longer than maxBytes: return its start and skip the rest of it.
    const next = await nextLineStart(handle, end, size);
    if (next === undefined) return { file, cursor, size, lines: [] };
    const line = decode(bytes) + LINE_TRUNCATED_MARK;
    return { file, cursor: next, size, lines: [line], ...(next < size ? { truncated: true } : {}) };
  }
  const lines = splitLines(bytes.subarray(0, lastNl));
  let consumed = lastNl + 1;
  let truncated = end < size && size > cursor + consumed;
  if (lines.length > limit) {
    // Advance the cursor past exactly `limit` lines.
    let offset = 0;
    for (let i = 0; i < limit; i++) offset = bytes.indexOf(NL, offset) + 1;
    consumed = offset;
    lines.length = limit;
    truncated = true;
  }
  const result: LogsTailResult = { file, cursor: cursor + consumed, size, lines };
  return truncated ? { ...result, truncated: true } : result;
}

/** The offset after the next newline at or after `from`, if the file has one. */
async function nextLineStart(
  handle: Deno.FsFile,
  from: number,
  size: number,
): Promise<number | undefined> {
  for (let pos = from; pos < size; pos += CHUNK) {
    const chunk = await readAt(handle, pos, Math.min(CHUNK, size - pos));
    const i = chunk.indexOf(NL);
    if (i >= 0) return pos + i + 1;
  }
  return undefined;
}

/** The start of the line holding offset `pos`: after the last newline before it, else 0. */
async function lineStartBefore(handle: Deno.FsFile, pos: number): Promise<number> {
  for (let end = pos; end > 0; end -= CHUNK) {
    const start = Math.max(0, end - CHUNK);
    const i = (await readAt(handle, start, end - start)).lastIndexOf(NL);
    if (i >= 0) return start + i + 1;
  }
  return 0;
}

function splitLines(bytes: Uint8Array): string[] {
  return decode(bytes).split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

async function readAt(handle: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  await handle.seek(offset, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = await handle.read(buf.subarray(read));
    if (n === null) break;
    read += n;
  }
  return buf.subarray(0, read);
}
