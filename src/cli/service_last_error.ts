/**
 * The last error line the gateway logged, for `gateway status` when the
 * service looks up but its port is closed. Reads the newest daily JSON-lines
 * file directly: status must work when the gateway (and so `logs.tail`) is down.
 *
 * @module
 */

import { dailyLogPattern, DEFAULT_TAIL_MAX_BYTES, tailLogFile } from "../methods/logs.ts";

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
    const lines = await lastLines(daily);
    for (let i = lines.length - 1; i >= 0; i--) {
      const found = errorRecord(lines[i]);
      if (found) return found;
    }
  }
  for (const file of src.extraFiles ?? []) {
    const lines = await lastLines(file).catch(() => []);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i].trim();
      if (line && /error|fatal|failed/i.test(line)) return line;
    }
  }
  return undefined;
}

/** The newest `<prefix>-YYYY-MM-DD.log` in `dir` (by date in the name). */
async function newestDailyLog(dir: string, prefix: string): Promise<string | undefined> {
  const re = dailyLogPattern(prefix);
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

/**
 * The complete lines in the last 256 KiB of `path`, read the way `logs.tail`
 * reads them (5000 lines, its most, is more than that window holds).
 */
async function lastLines(path: string): Promise<string[]> {
  return (await tailLogFile(path, { limit: 5000, maxBytes: DEFAULT_TAIL_MAX_BYTES })).lines;
}
