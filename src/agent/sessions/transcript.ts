/**
 * One session's transcript: `<sessionId>.jsonl` beside the index, a header
 * line then append-only rows chained by `id`/`parentId` (spec `agent.md`
 * section 7.3).
 *
 * Crash safety: every row is one `write` of one complete line to a file
 * opened for append, so a SIGKILL leaves at most a torn last line. Readers
 * skip a line that does not parse; the next append first ends a torn line
 * so it never glues onto it.
 *
 * @module
 */

import type { TranscriptLine } from "../types.ts";

/** Header `version` we write: the legacy JSONL layout (2026.9.6 writes 4 into SQLite rows). */
export const TRANSCRIPT_VERSION = 3;
/** Bytes read at most when loading a transcript; older rows beyond this are not read. */
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;
/** Longest single row accepted for append (a tool result with an image is large, but bounded). */
export const MAX_ROW_BYTES = 16 * 1024 * 1024;

/** A row to append: everything except the chain fields, which the transcript assigns. */
export type NewRow = DistributiveOmit<
  Exclude<TranscriptLine, { type: "session" }>,
  "id" | "parentId" | "timestamp"
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Rows that carry the chain fields. */
export type ChainRow = Exclude<TranscriptLine, { type: "session" }>;

/** The result of reading a transcript. */
export interface TranscriptRead {
  header?: Extract<TranscriptLine, { type: "session" }>;
  /** Rows after the header, in file order. */
  rows: ChainRow[];
  /** Lines that did not parse (a torn last line after a crash, or damage). */
  skipped: number;
  /** Whether only the tail of an over-long file was read. */
  partial: boolean;
}

/** Options of {@link openTranscript}. */
export interface TranscriptOptions {
  /** Session id for the header line. */
  sessionId: string;
  /** Workspace dir for the header line. */
  cwd: string;
  /** Clock (tests). */
  now?: () => number;
  maxReadBytes?: number;
}

/** An open transcript. Appends are serialised; reads see every finished append. */
export interface Transcript {
  readonly path: string;
  /** Appends one row, assigning `id`, `parentId` (the previous row) and `timestamp`. */
  append(row: NewRow): Promise<ChainRow>;
  /** Reads the whole file (tolerating a torn last line). */
  read(): Promise<TranscriptRead>;
  /** Deletes the file (after pending appends). */
  remove(): Promise<void>;
  /** Whether an append, read or remove is queued or running. */
  busy(): boolean;
}

/**
 * Opens (lazily creates) the transcript at `path`. Nothing touches the disk
 * before the first append or read.
 */
export function openTranscript(path: string, opts: TranscriptOptions): Transcript {
  const now = opts.now ?? Date.now;
  const maxRead = opts.maxReadBytes ?? DEFAULT_MAX_READ_BYTES;
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;
  let state: { lastId: string | null; endsClean: boolean; ids: Set<string> } | undefined;

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    pending++;
    const next = queue.then(fn, fn).finally(() => pending--);
    queue = next.catch(() => {});
    return next;
  }

  async function load(): Promise<NonNullable<typeof state>> {
    if (state) return state;
    // Find the last complete row from the end; widen the window past one huge row.
    for (let span = 256 * 1024;; span *= 4) {
      const tail = await readTail(path, span);
      if (tail === undefined || tail.text === "") {
        const header = {
          type: "session",
          version: TRANSCRIPT_VERSION,
          id: opts.sessionId,
          timestamp: new Date(now()).toISOString(),
          cwd: opts.cwd,
        };
        await appendText(path, JSON.stringify(header) + "\n");
        state = { lastId: null, endsClean: true, ids: new Set() };
        return state;
      }
      const lines = tail.text.split("\n");
      if (!tail.whole) lines.shift(); // probably cut in the middle
      let lastId: string | null = null;
      const ids = new Set<string>();
      for (const line of lines) {
        const row = parseLine(line);
        if (row && row.type !== "session" && typeof row.id === "string") {
          lastId = row.id;
          ids.add(row.id);
        }
      }
      if (lastId !== null || tail.whole || span > MAX_ROW_BYTES * 2) {
        state = { lastId, endsClean: tail.text.endsWith("\n"), ids };
        return state;
      }
    }
  }

  return {
    path,
    append(row: NewRow): Promise<ChainRow> {
      return serial(async () => {
        const st = await load();
        const id = newRowId(row.type === "message", st.ids);
        const full = {
          ...row,
          id,
          parentId: st.lastId,
          timestamp: new Date(now()).toISOString(),
        } as ChainRow;
        // Chain fields first, like the spec's lines, for readers that eyeball files.
        const ordered = reorder(full);
        const text = JSON.stringify(ordered);
        if (text.length > MAX_ROW_BYTES) {
          throw new RangeError(
            `Transcript row of ${text.length} characters is over the ${MAX_ROW_BYTES} limit ` +
              `(shorten the ${row.type} before storing it)`,
          );
        }
        await appendText(path, (st.endsClean ? "" : "\n") + text + "\n");
        st.endsClean = true;
        st.lastId = id;
        st.ids.add(id);
        return full;
      });
    },
    read(): Promise<TranscriptRead> {
      return serial(() => readTranscript(path, maxRead));
    },
    remove(): Promise<void> {
      return serial(async () => {
        await Deno.remove(path).catch((err) => {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
        });
        state = undefined;
      });
    },
    busy: () => pending > 0,
  };
}

/**
 * Reads a transcript file: a missing file reads as empty; unparsable lines
 * are counted and skipped; a file over `maxBytes` is read from its tail.
 */
export async function readTranscript(
  path: string,
  maxBytes = DEFAULT_MAX_READ_BYTES,
): Promise<TranscriptRead> {
  let text: string;
  let partial = false;
  try {
    const size = (await Deno.stat(path)).size;
    if (size > maxBytes) {
      partial = true;
      const tail = (await readTail(path, maxBytes))?.text ?? "";
      // Drop the first, probably cut, line.
      text = tail.slice(tail.indexOf("\n") + 1);
    } else {
      text = await Deno.readTextFile(path);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { rows: [], skipped: 0, partial: false };
    throw err;
  }
  const out: TranscriptRead = { rows: [], skipped: 0, partial };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const row = parseLine(line);
    if (!row) {
      out.skipped++;
    } else if (row.type === "session") {
      out.header ??= row as TranscriptRead["header"];
    } else if (typeof row.id === "string") {
      out.rows.push(row as ChainRow);
    } else {
      out.skipped++;
    }
  }
  return out;
}

function parseLine(line: string): (Record<string, unknown> & { type: string }) | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(line);
    return v && typeof v === "object" && typeof v.type === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

// Message rows get a UUID (as the captured transcripts); other rows the short 8-hex form.
function newRowId(message: boolean, taken: Set<string>): string {
  for (;;) {
    const id = message ? crypto.randomUUID() : crypto.randomUUID().slice(0, 8);
    if (!taken.has(id)) return id;
  }
}

function reorder(row: ChainRow): Record<string, unknown> {
  const { type, id, parentId, timestamp, ...rest } = row as ChainRow & Record<string, unknown>;
  return { type, id, parentId, timestamp, ...rest };
}

async function appendText(path: string, text: string): Promise<void> {
  const file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
  } finally {
    file.close();
  }
}

/** The last `bytes` of a file as text (`whole` when that is all of it), or undefined when missing. */
async function readTail(
  path: string,
  bytes: number,
): Promise<{ text: string; whole: boolean } | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - bytes);
    await file.seek(start, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - start);
    let read = 0;
    while (read < buf.length) {
      const n = await file.read(buf.subarray(read));
      if (n === null) break;
      read += n;
    }
    return { text: new TextDecoder().decode(buf.subarray(0, read)), whole: start === 0 };
  } finally {
    file.close();
  }
}
