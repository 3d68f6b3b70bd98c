/**
 * Secrets in config answers: values at secret-named keys (`token`,
 * `password`, `apiKey`, `botToken`, ...) go out as {@link REDACTED}, in the
 * parsed config and in the file text; writes put the stored value back where
 * a client returns the placeholder, so editing the file in a browser never
 * overwrites a secret with its mask. `${VAR}` references are shown as written
 * (they are not secrets), as upstream does.
 *
 * @module
 */

import JSON5 from "json5";
import type { ConfigIssue } from "../../protocol/schemas/config.ts";
import { listIssues } from "./_locate.ts";
import { nestedTooDeep } from "./depth.ts";
import { deepEqual } from "./diff.ts";

/** What a masked secret reads as (upstream's sentinel, so its clients recognise it). */
export const REDACTED = "__OPENCLAW_REDACTED__";

// `authorization` and `cookie`: the usual names of secret request headers
// (`models.providers.<id>.headers`), which carry a provider's bearer key.
const SENSITIVE_NAMES =
  "token|password|passwd|secret|api[-_]?key|private[-_]?key|credentials?|authorization|cookie";
const SENSITIVE_KEY = new RegExp(`(${SENSITIVE_NAMES})$`, "i");
const ENV_ONLY = /^\$\{[A-Z_][A-Z0-9_]*\}$/;
const MARKER = /^__OPENCLAW_REDACTED_(\d+)__$/;

/** Whether a key's values are secret (`maxTokens` is not: only the name's end counts). */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function maskable(v: unknown): v is string {
  return typeof v === "string" && v !== "" && !ENV_ONLY.test(v.trim());
}

function walk(value: unknown, secret: boolean, found: string[]): unknown {
  if (secret && maskable(value)) {
    found.push(value);
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, secret, found));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a "__proto__" key stays a plain key.
    Object.defineProperty(out, k, {
      value: walk(v, secret || isSensitiveKey(k), found),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Most secret values masked in place in the file text (see {@link redactConfigText}). */
export const MAX_TEXT_SECRETS = 256;

/** A copy of a parsed config with every secret replaced by {@link REDACTED}. */
export function redactConfig<T>(value: T): T {
  return walk(value, false, []) as T;
}

const KEY_VALUE = new RegExp(
  `((?:["']?)[A-Za-z0-9_$-]*(?:${SENSITIVE_NAMES})` +
    `["']?\\s*:\\s*)(["'])((?:\\\\.|(?!\\2)[^\\\\])*)\\2`,
  "gi",
);

/**
 * The file text with secrets masked. Each secret value is replaced where it
 * appears (comments and formatting survive); if the result does not parse to
 * exactly the masked config (a secret written with escapes, or also used as a
 * plain value), the masked config is shown as JSON instead. A file that does
 * not parse is masked key by key (`token: "..."`).
 */
export function redactConfigText(raw: string, parsed: unknown): string {
  if (parsed === undefined) {
    return raw.replace(
      KEY_VALUE,
      (m, head: string, q: string, body: string) =>
        body === "" || ENV_ONLY.test(body) ? m : `${head}${q}${REDACTED}${q}`,
    );
  }
  const found: string[] = [];
  const masked = walk(parsed, false, found);
  if (found.length === 0) return raw;
  // Each secret is one pass over the text: past a few hundred (no real
  // config has them) the JSON form is shown, so config.get stays fast.
  if (found.length > MAX_TEXT_SECRETS) return JSON.stringify(masked, null, 2) + "\n";
  let text = raw;
  for (const s of [...new Set(found)].sort((a, b) => b.length - a.length)) {
    text = text.replaceAll(s, REDACTED);
  }
  try {
    if (deepEqual(JSON5.parse(text), masked)) return text;
  } catch { /* falls through to the JSON form */ }
  return JSON.stringify(masked, null, 2) + "\n";
}

function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v)) v = v[Number(seg)];
    else if (isPlainObject(v) && Object.hasOwn(v, seg)) v = v[seg];
    else return undefined;
  }
  return v;
}

const NOT_STORED = "is the masked placeholder " + REDACTED +
  " but no secret is stored at this key; type the real value";
const INSIDE = "holds the masked placeholder " + REDACTED +
  " inside other text; type the whole real value";
const ESCAPED = "holds the masked placeholder " + REDACTED +
  " written with escapes, which would be saved as is; type the real value";

/** Calls `fn(path, value)` for every string in `value`. */
function eachString(
  value: unknown,
  path: string[],
  fn: (path: string[], s: string) => void,
): void {
  if (typeof value === "string") fn(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, [...path, String(i)], fn));
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) eachString(v, [...path, k], fn);
  }
}

/** What a restore gives: the text to write, or what is wrong with the placeholders. */
export interface Restored<T> {
  value: T;
  issues: ConfigIssue[];
}

/**
 * Config text from a client with each {@link REDACTED} string value put back
 * to the value stored at the same key of `current` (the parsed file on disk).
 * Text that does not parse comes back unchanged (validation reports it).
 */
export function restoreConfigText(raw: string, current: unknown): Restored<string> {
  // Escapes (`"\u005f_OPENCLAW..."`) spell the placeholder without its
  // text: such a value is found by parsing, so even then it is never written.
  if (!raw.includes(REDACTED) && !raw.includes("\\")) return { value: raw, issues: [] };
  let n = 0;
  const marked = raw.replaceAll(REDACTED, () => `__OPENCLAW_REDACTED_${n++}__`);
  let parsed: unknown;
  try {
    parsed = JSON5.parse(marked);
  } catch {
    return { value: raw, issues: [] };
  }
  // Too deep for the walk below: parsing it again reports the problem.
  if (nestedTooDeep(parsed)) return { value: raw, issues: [] };
  const issues: ConfigIssue[] = [];
  const put = new Map<string, string>();
  eachString(parsed, [], (path, s) => {
    const key = path.join(".");
    const whole = MARKER.exec(s);
    if (whole) {
      const stored = valueAt(current, path);
      if (typeof stored === "string") put.set(whole[1], JSON.stringify(stored));
      else issues.push({ path: key, message: NOT_STORED });
    } else if (/__OPENCLAW_REDACTED_\d+__/.test(s)) {
      issues.push({ path: key, message: INSIDE });
    } else if (s.includes(REDACTED)) {
      issues.push({ path: key, message: ESCAPED });
    }
  });
  if (n === 0 && issues.length === 0) return { value: raw, issues: [] };
  if (issues.length) return { value: raw, issues: listIssues(raw, issues) };
  // A marker with a value to restore is a whole string literal; any other
  // (in a comment) goes back to the placeholder text it was.
  const text = marked.replace(
    /(["'])__OPENCLAW_REDACTED_(\d+)__\1|__OPENCLAW_REDACTED_\d+__/g,
    (m, _q: string | undefined, i: string | undefined) =>
      i !== undefined && put.has(i) ? put.get(i)! : m.replace(/_\d+__/, "__"),
  );
  return { value: text, issues: [] };
}

/**
 * A merge patch from a client with each {@link REDACTED} string put back to
 * the value stored at the same key of `current`.
 */
export function restoreConfigPatch(patch: unknown, current: unknown): Restored<unknown> {
  const issues: ConfigIssue[] = [];
  const fix = (value: unknown, path: string[]): unknown => {
    if (typeof value === "string") {
      if (value === REDACTED) {
        const stored = valueAt(current, path);
        if (typeof stored === "string") return stored;
        issues.push({ path: path.join("."), message: NOT_STORED });
      } else if (value.includes(REDACTED)) {
        issues.push({ path: path.join("."), message: INSIDE });
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => fix(v, [...path, String(i)]));
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: fix(v, [...path, k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const value = fix(patch, []);
  return { value, issues };
}
