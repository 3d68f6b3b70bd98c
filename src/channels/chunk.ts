/**
 * Reply text shaping: `messages.responsePrefix`, the `NO_REPLY` silence
 * token, and chunking to the channel's `textChunkLimit` (spec channels.md
 * section 1, step 9). Pure.
 *
 * @module
 */

/** Replies equal to one of these (after trimming) are not sent. */
export const SILENT_REPLIES = ["NO_REPLY", "HEARTBEAT_OK"] as const;

/** Whether `text` is a silent reply (nothing is sent). */
export function isSilentReply(text: string): boolean {
  const t = text.trim();
  return t === "" || (SILENT_REPLIES as readonly string[]).includes(t);
}

/** Whether `partial` could still become a silent reply (hold back the streaming preview). */
export function mayBecomeSilent(partial: string): boolean {
  const t = partial.trim();
  return SILENT_REPLIES.some((s) => s.startsWith(t));
}

/** `text` with the configured prefix in front (`"[bot] hello"`); no prefix: unchanged. */
export function applyPrefix(text: string, prefix: string | undefined): string {
  return prefix ? `${prefix} ${text}` : text;
}

/**
 * Splits `text` into chunks of at most `limit` characters. `length` cuts at
 * the last newline or space within the limit when there is one; `newline`
 * keeps paragraphs (blank-line separated) together, packing them up to the
 * limit and cutting only a paragraph that alone is too long. A cut never
 * splits a surrogate pair (with a limit of 1 a pair is one chunk of 2).
 */
export function chunkText(text: string, limit: number, mode: "length" | "newline"): string[] {
  if (limit < 1) throw new RangeError(`Chunk limit ${limit} is below 1: use a positive number`);
  if (text.length <= limit) return text.length ? [text] : [];
  if (mode === "newline") {
    const out: string[] = [];
    let cur = "";
    for (const para of text.split(/\n{2,}/)) {
      const joined = cur ? `${cur}\n\n${para}` : para;
      if (joined.length <= limit) {
        cur = joined;
        continue;
      }
      if (cur) out.push(cur);
      if (para.length <= limit) cur = para;
      else {
        const parts = chunkText(para, limit, "length");
        cur = parts.pop() ?? "";
        out.push(...parts);
      }
    }
    if (cur) out.push(cur);
    return out;
  }
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf("\n");
    if (cut < limit * 0.5) cut = window.lastIndexOf(" ");
    if (cut < limit * 0.5) cut = limit;
    // Never between the two halves of a surrogate pair (an emoji would become two "?").
    if (isLowSurrogate(rest.charCodeAt(cut)) && isHighSurrogate(rest.charCodeAt(cut - 1))) {
      cut = cut > 1 ? cut - 1 : 2;
    }
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]/, "");
  }
  if (rest.length) out.push(rest);
  return out.filter((c) => c.length > 0);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
