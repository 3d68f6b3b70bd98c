/**
 * `logs.tail`: reads the gateway's file log from a byte cursor, so
 * `openclaw logs` works remotely and never tails the file itself.
 *
 * Cursor rules: a cursor always sits at the start of a line. Without one,
 * the last `limit` complete lines are returned. With one, complete lines
 * from there on, at most `limit` lines and about `maxBytes` bytes;
 * `truncated` then says more is waiting. A cursor past the end of the file,
 * or one that does not follow a newline (the file rotated, shrank, or the
 * day rolled over to a new file) restarts at the top with `reset: true`.
 * A line still being written (no newline yet) is left for the next call.
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

/** Reads `file` per the cursor rules above; a missing file reads as empty. */
export async function tailLogFile(file: string, params: LogsTailParams): Promise<LogsTailResult> {
  const limit = params.limit ?? DEFAULT_TAIL_LIMIT;
  const maxBytes = params.maxBytes ?? DEFAULT_TAIL_MAX_BYTES;
  let handle: Deno.FsFile;
  try {
    handle = await Deno.open(file, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      return { file, cursor: 0, size: 0, lines: [], ...(params.cursor ? { reset: true } : {}) };
    }
    throw err;
  }
  try {
    const size = (await handle.stat()).size;
    if (params.cursor === undefined) return await tail(handle, file, size, limit, maxBytes);
    let cursor = params.cursor;
    let reset = false;
    if (cursor > size || (cursor > 0 && (await readAt(handle, cursor - 1, 1))[0] !== NL)) {
      cursor = 0;
      reset = true;
    }
    const result = await forward(handle, file, size, cursor, limit, maxBytes);
    return reset ? { ...result, reset: true } : result;
  } finally {
    handle.close();
  }
}

/** The last `limit` complete lines. `truncated`: earlier lines were left out. */
async function tail(
  handle: Deno.FsFile,
  file: string,
  size: number,
  limit: number,
  maxBytes: number,
): Promise<LogsTailResult> {
  const start = Math.max(0, size - maxBytes);
  const bytes = await readAt(handle, start, size - start);
  const lastNl = bytes.lastIndexOf(NL);
  if (lastNl < 0) {
    // No complete line in reach: either nothing yet, or one line longer than maxBytes.
    return { file, cursor: start === 0 ? 0 : size, size, lines: [], truncated: start > 0 };
  }
  // Drop the part of a line cut by the window start.
  const firstNl = start > 0 ? bytes.indexOf(NL) : -1;
  const body = bytes.subarray(firstNl + 1, lastNl);
  let lines = body.length || lastNl > firstNl ? splitLines(body) : [];
  const truncated = start > 0 || lines.length > limit;
  if (lines.length > limit) lines = lines.slice(lines.length - limit);
  const result: LogsTailResult = { file, cursor: start + lastNl + 1, size, lines };
  return truncated ? { ...result, truncated: true } : result;
}

/** Complete lines from `cursor` on. `truncated`: more complete lines are waiting. */
async function forward(
  handle: Deno.FsFile,
  file: string,
  size: number,
  cursor: number,
  limit: number,
  maxBytes: number,
): Promise<LogsTailResult> {
  const end = Math.min(size, cursor + maxBytes);
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
  for (let pos = from; pos < size; pos += 65_536) {
    const chunk = await readAt(handle, pos, Math.min(65_536, size - pos));
    const i = chunk.indexOf(NL);
    if (i >= 0) return pos + i + 1;
  }
  return undefined;
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
