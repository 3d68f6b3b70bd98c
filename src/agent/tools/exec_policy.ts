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

/** Splits on `;`, `&&`, `||`, `|`, `&` and newlines outside quotes; returns each part's words. */
export function splitCommand(line: string): { parts: string[][]; opaque?: string } {
  const parts: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let opaque: string | undefined;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endPart = () => {
    endWord();
    if (words.length) parts.push(words);
    words = [];
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
    } else if (c === "&" && (line[i - 1] === ">" || line[i - 1] === "<" || line[i + 1] === ">")) {
      word += c; // `2>&1`, `&>file`: a redirection, not a separator
      inWord = true;
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
  return { parts, opaque };
}

/** The program word of one simple command: skips `VAR=value` prefixes and redirections. */
function programOf(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
    if (/^\d*[<>]/.test(w)) {
      if (/^\d*[<>]+&?$/.test(w)) i++; // `> file`: skip the target too
      continue;
    }
    return w;
  }
  return undefined;
}

/**
 * The first redirection that writes to a file (`> f`, `>> f`, `&> f`,
 * `2>f`), which an allowlisted program could use to overwrite anything.
 * Duplications (`2>&1`) and `/dev/null` are fine.
 */
function fileRedirect(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const m = words[i].match(/^(?:\d*|&)>>?\|?(.*)$/);
    if (!m) continue;
    const target = m[1] || words[i + 1] || "";
    if (/^&\d*-?$/.test(target) || target === "/dev/null") continue;
    return target;
  }
  return undefined;
}

/** The absolute, symlink-free path of `program` as the shell would find it. */
export async function resolveBinary(
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
  const { parts, opaque } = splitCommand(line);
  const segments: CommandSegment[] = [];
  let why = opaque;
  for (const words of parts) {
    const program = programOf(words);
    if (program === undefined) continue;
    if (KEYWORDS.has(program)) why ??= `shell keyword "${program}"`;
    if (/[$*?[\]{}~]/.test(program)) why ??= `program name "${program}" is expanded by the shell`;
    const target = fileRedirect(words);
    if (target !== undefined) why ??= `output redirection to "${target}"`;
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
