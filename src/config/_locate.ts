/**
 * Finds the line of a dotted key path in JSON5 text, so config errors can say
 * "file:line". A forward scan, key by key: good enough for the hand-written
 * files people keep, and it never throws.
 *
 * @module
 */

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** 1-based line of the last segment of `path` (e.g. `gateway.auth.mode`), or undefined. */
export function locateKey(text: string, path: string): number | undefined {
  if (!path || path === "(root)") return undefined;
  let from = 0;
  let found = -1;
  for (const segment of path.split(".")) {
    if (/^\d+$/.test(segment)) continue; // array index: stay inside the parent
    const re = new RegExp(`(["']?)${escapeRe(segment)}\\1\\s*:`, "g");
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) break;
    found = m.index;
    from = m.index + m[0].length;
  }
  if (found < 0) return undefined;
  return text.slice(0, found).split("\n").length;
}
