/**
 * A nesting limit for config values. Every walk over a config (schema
 * check, `${VAR}` substitution, secret masking and restoring, diff, merge
 * patch) recurses, and the restore walk copies its path per level, so a
 * deeply nested text sent to `config.validate` or `config.set` could blow the
 * stack or, worse, the heap. JSON5 parses deep nesting fine; this check runs
 * right after, without recursion.
 *
 * @module
 */

/** Deepest nesting a config may have (real ones are under 10 levels). */
export const MAX_CONFIG_DEPTH = 64;

/** The problem text for a value nested past {@link MAX_CONFIG_DEPTH}. */
export const TOO_DEEP = `nested more than ${MAX_CONFIG_DEPTH} levels deep ` +
  "(a config is a few levels of objects; flatten it)";

/** Whether `value` has objects or arrays nested deeper than `max` levels. */
export function nestedTooDeep(value: unknown, max = MAX_CONFIG_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
