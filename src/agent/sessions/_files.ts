/**
 * Which transcript file a session row names, kept apart from the store so
 * the rule that ids never become paths lives in one place. Private to
 * sessions/.
 *
 * @module
 */

import type { SessionEntry } from "../types.ts";
import { isSafeSessionId, SessionKeyError } from "./keys.ts";

/**
 * The transcript file name of a row: its `sessionFile` when that is a plain
 * `.jsonl` name, else `<sessionId>.jsonl` when the id is file-name safe,
 * else none (a hand-edited id like `../../x` must never name a path).
 */
export function transcriptName(entry: SessionEntry): string | undefined {
  if (
    typeof entry.sessionFile === "string" &&
    /^[A-Za-z0-9][A-Za-z0-9._-]*\.jsonl$/.test(entry.sessionFile)
  ) {
    return entry.sessionFile;
  }
  return typeof entry.sessionId === "string" && isSafeSessionId(entry.sessionId)
    ? `${entry.sessionId}.jsonl`
    : undefined;
}

/**
 * A transcript file name for a new row with `sessionId` that no other row
 * of the index uses: two session keys given the same sessionId must not
 * read, extend or delete each other's transcript.
 */
export function freshFileName(sessionId: string, rows: Record<string, SessionEntry>): string {
  const taken = new Set(Object.values(rows).map(transcriptName));
  const base = isSafeSessionId(sessionId) ? sessionId : crypto.randomUUID();
  let name = `${base}.jsonl`;
  while (taken.has(name)) name = `${base.slice(0, 200)}-${crypto.randomUUID().slice(0, 8)}.jsonl`;
  return name;
}

/**
 * Checks a caller-given sessionId: any printable id is accepted (it is
 * data); only file-name-safe ids also name the file.
 */
export function checkSessionId(id: string): void {
  // deno-lint-ignore no-control-regex
  if (id.length === 0 || id.length > 256 || /[\x00-\x1f\x7f]/.test(id)) {
    throw new SessionKeyError(
      `Invalid sessionId ${JSON.stringify(id.slice(0, 80))}: use 1 to 256 printable characters`,
      id,
    );
  }
}
