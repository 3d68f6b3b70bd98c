/**
 * The last error line the gateway logged, for `gateway status` when the
 * service looks up but its port is closed. Reads the newest daily JSON-lines
 * file directly: status must work when the gateway (and so `logs.tail`) is down.
 *
 * @module
 */

/** How much of the end of a log file is searched. */
const TAIL_BYTES = 256 * 1024;

/** Where to look: the daily files `<logDir>/<prefix>-YYYY-MM-DD.log`, then extra files. */
export interface LastErrorSources {
  logDir: string;
  /** `openclaw` or `openclaw-<profile>`. */
  prefix: string;
  /** Plain-text files searched after the JSON log (launchd's stderr file). */
  extraFiles?: string[];
}

/**
 * The last `error` (or `fatal`) record of the newest daily log, formatted as
 * `<time> [<subsystem>] <msg>`; else the last line of an extra file that
 * mentions an error. `undefined` when there is none.
 */
export async function lastErrorLine(src: LastErrorSources): Promise<string | undefined> {
  const daily = await newestDailyLog(src.logDir, src.prefix);
  if (daily) {
    const lines = (await readTail(daily)).split("\n");
    for (let i = lines.length - 1; i >= 0; i--) {
      const found = errorRecord(lines[i]);
      if (found) return found;
    }
  }
  for (const file of src.extraFiles ?? []) {
    const lines = (await readTail(file).catch(() => "")).split("\n");
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i].trim();
      if (line && /error|fatal|failed/i.test(line)) return line;
    }
  }
  return undefined;
}

/** The newest `<prefix>-YYYY-MM-DD.log` in `dir` (by date in the name). */
export async function newestDailyLog(dir: string, prefix: string): Promise<string | undefined> {
  const re = new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{4}-\\d{2}-\\d{2}\\.log$`,
  );
  let newest: string | undefined;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && re.test(entry.name) && (!newest || entry.name > newest)) {
        newest = entry.name;
      }
    }
  } catch {
    return undefined;
  }
  return newest ? `${dir}/${newest}` : undefined;
}

function errorRecord(line: string): string | undefined {
  const text = line.trim();
  if (!text) return undefined;
  if (text.startsWith("{")) {
    try {
      const rec = JSON.parse(text) as Record<string, unknown>;
      if (rec.level !== "error" && rec.level !== "fatal") return undefined;
      const sub = typeof rec.subsystem === "string" ? ` [${rec.subsystem}]` : "";
      return `${rec.time ?? ""}${sub} ${String(rec.msg ?? "")}`.trim();
    } catch {
      // Not JSON after all: judge it as text below.
    }
  }
  return /\b(error|fatal)\b/i.test(text) ? text : undefined;
}

async function readTail(path: string): Promise<string> {
  const file = await Deno.open(path, { read: true });
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - TAIL_BYTES);
    await file.seek(start, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - start);
    let read = 0;
    while (read < buf.length) {
      const n = await file.read(buf.subarray(read));
      if (n === null) break;
      read += n;
    }
    return new TextDecoder().decode(buf.subarray(0, read));
  } finally {
    file.close();
  }
}
