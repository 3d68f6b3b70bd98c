/**
 * What `tools.exec.mode` allows: splitting a shell command into its simple
 * commands, resolving each one's binary through PATH, and matching the
 * allowlist. Pure apart from the file-system lookups of `resolveBinary`.
 *
 * A command that uses substitution (`$(…)`, backticks, `<(…)`) or a shell
 * keyword cannot be reasoned about from its text, so it never counts as
 * allowlisted: allowlist mode refuses it and ask mode asks.
 *
 * @module
 */

/** One simple command of a command line. */
export interface CommandSegment {
  /** The program as written (`ls`, `./run.sh`). */
  program: string;
  /** Its absolute path, when found. */
  resolvedPath?: string;
}

/** The analysis of a command line. */
export interface CommandAnalysis {
  segments: CommandSegment[];
  /** Why the line cannot be allowlisted, if it cannot. */
  opaque?: string;
}

const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "function",
  "select",
  "time",
  "{",
  "}",
  "(",
  ")",
  "[[",
  "]]",
  "!",
  "eval",
  "exec",
  "source",
  ".",
  "coproc",
]);

/** One redirection of a simple command (`2>&1`, `> f`, `1<>f`). */
export interface Redirection {
  /** The file descriptor or `{var}` before the operator, if written. */
  fd?: string;
  /** The operator: `<`, `>`, `>>`, `>|`, `>&`, `<&`, `<>`, `&>`, `&>>`, `<<`, `<<<`. */
  op: string;
  /** The word after the operator (a file, a descriptor, `-`, a here-doc delimiter). */
  target: string;
}

/** The split of a command line: each simple command's words and redirections. */
export interface SplitCommand {
  /** Each simple command's words, redirections left out. */
  parts: string[][];
  /** Each simple command's redirections, index-aligned with `parts`. */
  redirects: Redirection[][];
  opaque?: string;
}

/** Reads the redirection operator starting at `line[i]`; returns it and the index after it. */
function readOperator(line: string, i: number): [string, number] {
  let op = line[i++];
  if (op === "&") op += line[i++]; // `&>`
  const first = op.at(-1);
  if (first === ">") {
    if (line[i] === ">") op += line[i++];
    if (op.length === 1 && (line[i] === "|" || line[i] === "&")) op += line[i++];
  } else if (line[i] === "<") {
    op += line[i++];
    if (line[i] === "<" || line[i] === "-") op += line[i++];
  } else if (line[i] === ">" || line[i] === "&") op += line[i++];
  return [op, i];
}

/**
 * Splits on `;`, `&&`, `||`, `|`, `&` and newlines outside quotes, and
 * separates unquoted redirections (`<`, `>`, `>>`, `<>`, `>|`, `&>`, `>&`,
 * with an optional `n` or `{var}` descriptor) from the words, the way bash
 * does: `echo hi>/f` is `echo hi` with `>` to `/f`.
 */
export function splitCommand(line: string): SplitCommand {
  const parts: string[][] = [];
  const redirects: Redirection[][] = [];
  let words: string[] = [];
  let redirs: Redirection[] = [];
  let pending: { fd?: string; op: string } | undefined;
  let word = "";
  let inWord = false;
  let quoted = false;
  let quote: "'" | '"' | undefined;
  let opaque: string | undefined;
  const endWord = () => {
    if (inWord) {
      if (pending) redirs.push({ ...pending, target: word });
      else words.push(word);
      pending = undefined;
    }
    word = "";
    inWord = false;
    quoted = false;
  };
  const endPart = () => {
    endWord();
    if (pending) opaque ??= `redirection "${pending.op}" without a target`;
    pending = undefined;
    if (words.length || redirs.length) {
      parts.push(words);
      redirects.push(redirs);
    }
    words = [];
    redirs = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
      quoted = true;
      continue;
    }
    if (c === "`" || (c === "$" && line[i + 1] === "(")) opaque ??= "command substitution";
    if ((c === "<" || c === ">") && line[i + 1] === "(") opaque ??= "process substitution";
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      quoted = true;
    } else if (c === "<" || c === ">" || (c === "&" && line[i + 1] === ">")) {
      // A bare number or `{var}` right before the operator is its descriptor.
      const fd = inWord && !quoted && /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(word) && c !== "&"
        ? word
        : undefined;
      if (fd !== undefined) {
        word = "";
        inWord = false;
      } else endWord();
      if (pending) opaque ??= `redirection "${pending.op}" without a target`;
      const [op, next] = readOperator(line, i);
      pending = { ...(fd !== undefined ? { fd } : {}), op };
      i = next - 1;
    } else if (c === ";" || c === "\n" || c === "&" || c === "|") {
      endPart();
    } else if (c === " " || c === "\t") {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) opaque ??= "unterminated quote";
  endPart();
  return { parts, redirects, opaque };
}

/**
 * Variables that change which program bash runs or what it loads before
 * running it; set inline (`PATH=/x ls`, `LD_PRELOAD=…`) they defeat the
 * allowlist, which resolves programs with the gateway's own PATH.
 */
const UNSAFE_ASSIGNMENT =
  /^(PATH|LD_\w*|DYLD_\w*|BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PROMPT_COMMAND|IFS|CDPATH|BASH_FUNC_\S*)\+?=/;

/** The program word of one simple command: skips `VAR=value` prefixes. */
function programOf(words: string[]): string | undefined {
  return words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w));
}

/** The first assignment in `words` that changes how bash finds or starts programs. */
function unsafeAssignment(words: string[]): string | undefined {
  for (const w of words) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w)) return undefined;
    if (UNSAFE_ASSIGNMENT.test(w)) return w.slice(0, w.indexOf("=")).replace(/\+$/, "");
  }
  return undefined;
}

/**
 * The first redirection that opens a file for writing (`> f`, `>> f`,
 * `>| f`, `&> f`, `>& f`, `2>f`, `1<> f`), which an allowlisted program
 * could use to overwrite anything. Duplications (`2>&1`, `>&-`) and
 * `/dev/null` are fine.
 */
function fileRedirect(redirs: Redirection[]): string | undefined {
  for (const r of redirs) {
    if (!r.op.includes(">")) continue;
    if (r.op.endsWith("&") && /^(\d+-?|-)$/.test(r.target)) continue;
    if (r.target === "/dev/null") continue;
    return r.target;
  }
  return undefined;
}

/** The absolute, symlink-free path of `program` as the shell would find it. */
async function resolveBinary(
  program: string,
  cwd: string,
  pathEnv: string | undefined,
): Promise<string | undefined> {
  const tryPath = async (p: string) => {
    try {
      const real = await Deno.realPath(p);
      const st = await Deno.stat(real);
      return st.isFile && (st.mode === null || (st.mode & 0o111) !== 0) ? real : undefined;
    } catch {
      return undefined;
    }
  };
  if (program.includes("/")) {
    return tryPath(program.startsWith("/") ? program : `${cwd}/${program}`);
  }
  for (const dir of (pathEnv ?? "/usr/local/bin:/usr/bin:/bin").split(":")) {
    if (!dir) continue;
    const found = await tryPath(`${dir}/${program}`);
    if (found) return found;
  }
  return undefined;
}

/** Splits `line` and resolves every program. */
export async function analyzeCommand(
  line: string,
  cwd: string,
  pathEnv: string | undefined,
): Promise<CommandAnalysis> {
  const { parts, redirects, opaque } = splitCommand(line);
  const segments: CommandSegment[] = [];
  let why = opaque;
  for (const [n, words] of parts.entries()) {
    const target = fileRedirect(redirects[n]);
    if (target !== undefined) why ??= `output redirection to "${target}"`;
    const assigned = unsafeAssignment(words);
    if (assigned) why ??= `an inline ${assigned}= assignment`;
    const program = programOf(words);
    if (program === undefined) continue;
    if (KEYWORDS.has(program)) why ??= `shell keyword "${program}"`;
    if (/[$*?[\]{}~]/.test(program)) why ??= `program name "${program}" is expanded by the shell`;
    segments.push({ program, resolvedPath: await resolveBinary(program, cwd, pathEnv) });
  }
  if (segments.length === 0) why ??= "no command found";
  return { segments, opaque: why };
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i");
}

/** Whether a resolved binary matches one pattern (path glob, or name glob without `/`). */
export function matchesPattern(resolvedPath: string, pattern: string): boolean {
  const p = pattern.trim();
  if (!p) return false;
  if (p.includes("/")) return globToRegExp(p).test(resolvedPath);
  const name = resolvedPath.slice(resolvedPath.lastIndexOf("/") + 1);
  return globToRegExp(p).test(name);
}

/**
 * The first segment that is not allowlisted (`undefined` when every one is).
 * An opaque line returns its first segment (or a placeholder) as the miss.
 */
export function firstMiss(
  analysis: CommandAnalysis,
  patterns: readonly string[],
): CommandSegment | undefined {
  if (analysis.opaque) return analysis.segments[0] ?? { program: "" };
  return analysis.segments.find((s) =>
    !s.resolvedPath || !patterns.some((p) => matchesPattern(s.resolvedPath!, p))
  );
}
