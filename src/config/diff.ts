/**
 * A pure deep diff of two configs as dotted key paths, the input of the
 * reload planner. Objects are compared key by key; arrays and scalars are
 * compared as whole values (a changed list is one path).
 *
 * @module
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON-like values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
  return true;
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (deepEqual(a, b)) return;
  // A missing section counts as an empty one, so adding `logging: {level}`
  // reports `logging.level` (what the planner needs), not just `logging`.
  const objA = isPlainObject(a) || a === undefined;
  const objB = isPlainObject(b) || b === undefined;
  if (objA && objB) {
    const before = out.length;
    const left = (a ?? {}) as Record<string, unknown>;
    const right = (b ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const k of keys) walk(left[k], right[k], path ? `${path}.${k}` : k, out);
    // `{}` versus missing: no leaf changed, but the section did appear or vanish.
    if (out.length === before && path) out.push(path);
    return;
  }
  out.push(path);
}

/**
 * The dotted paths where `before` and `after` differ, sorted.
 *
 * @example
 * ```ts
 * diffConfigPaths({ gateway: { port: 1 } }, { gateway: { port: 2 }, hooks: {} });
 * // => ["gateway.port", "hooks"]
 * ```
 */
export function diffConfigPaths(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  walk(before, after, "", out);
  return out;
}
