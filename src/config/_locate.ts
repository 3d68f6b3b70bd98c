/**
 * Finds the line of a dotted key path in JSON5 text, so config errors can say
 * "file:line". A small scanner that follows nesting and skips strings and
 * comments; it never throws, and falls back to the closest parent it found.
 *
 * @module
 */

interface Frame {
  /** Path of this container. */
  path: string[];
  isArray: boolean;
  index: number;
  /** The key read at this level, waiting for its value. */
  key?: string;
}

const IDENT = /[A-Za-z0-9_$\u0080-\uFFFF]/;

/** 1-based line of `path` (e.g. `gateway.auth.mode`), or of its deepest present parent. */
export function locateKey(text: string, path: string): number | undefined {
  if (!path || path === "(root)") return undefined;
  const target = path.split(".");
  let best: { depth: number; line: number } | undefined;
  const stack: Frame[] = [];
  let line = 1;
  let i = 0;
  let pendingKey: { name: string; line: number } | undefined;

  const record = (segments: string[], at: number) => {
    let depth = 0;
    while (depth < segments.length && segments[depth] === target[depth]) depth++;
    if (depth === segments.length && (!best || depth > best.depth)) best = { depth, line: at };
  };
  const valuePath = (): string[] | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    if (top.isArray) return [...top.path, String(top.index)];
    return top.key === undefined ? undefined : [...top.path, top.key];
  };

  while (i < text.length) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      i += 2;
      while (i < text.length && !(text[i] === "*" && text[i + 1] === "/")) {
        if (text[i] === "\n") line++;
        i++;
      }
      i += 2;
    } else if (c === '"' || c === "'") {
      const start = line;
      let s = "";
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\") i++;
        if (text[i] === "\n") line++;
        s += text[i] ?? "";
        i++;
      }
      i++;
      pendingKey = { name: s, line: start };
    } else if (IDENT.test(c)) {
      const start = i;
      while (i < text.length && IDENT.test(text[i])) i++;
      pendingKey = { name: text.slice(start, i), line };
    } else if (c === ":") {
      const top = stack[stack.length - 1];
      if (top && !top.isArray && pendingKey) {
        top.key = pendingKey.name;
        record([...top.path, top.key], pendingKey.line);
      }
      pendingKey = undefined;
      i++;
    } else if (c === "{" || c === "[") {
      const p = valuePath() ?? [];
      stack.push({ path: p, isArray: c === "[", index: 0 });
      if (c === "[") record([...p, "0"], line);
      pendingKey = undefined;
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      pendingKey = undefined;
      i++;
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.isArray) {
        top.index++;
        record([...top.path, String(top.index)], line);
      } else if (top) top.key = undefined;
      pendingKey = undefined;
      i++;
    } else {
      i++;
    }
  }
  return best?.line;
}

/**
 * At most this many problems are listed. Each one is located by a scan of
 * the whole text, so listing all of a large bad text (thousands of unknown
 * keys) would hold the gateway's event loop for minutes.
 */
export const MAX_LISTED_ISSUES = 50;

/** A problem that stands for the ones not listed. */
interface Unlocated {
  path: string;
  message: string;
  line?: number;
}

/**
 * The first {@link MAX_LISTED_ISSUES} of `issues` with their lines in
 * `text`, plus one saying how many more of `total` there are.
 */
export function listIssues<T extends Unlocated>(
  text: string,
  issues: T[],
  total = issues.length,
): Unlocated[] {
  const listed: Unlocated[] = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const line = locateKey(text, issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
  const more = total - listed.length;
  if (more > 0) {
    listed.push({
      path: "",
      message: `${more} more problems not listed (fix the ones above first)`,
    });
  }
  return listed;
}
