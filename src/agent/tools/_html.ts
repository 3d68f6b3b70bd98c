/**
 * A small, dependency-free HTML to markdown/text reduction for web_fetch:
 * drops scripts, styles and chrome, keeps headings, links, list items and
 * paragraphs. Not a browser: good enough for articles and docs pages.
 * Private to tools/.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  mdash: "—",
  ndash: "–",
  hellip: "…",
  copy: "©",
  reg: "®",
  laquo: "«",
  raquo: "»",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
};

/** Decodes the common named and all numeric character references. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X"
        ? parseInt(e.slice(2), 16)
        : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The `<title>` of a page. */
export function htmlTitle(html: string): string | undefined {
  const m = html.match(/<title[^>]*>([\s\S]*?)<\/title>/i);
  const t = m ? decodeEntities(m[1].replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim() : "";
  return t || undefined;
}

/** Reduces HTML to markdown (`markdown`) or plain text (`text`). */
export function htmlToText(html: string, mode: "markdown" | "text"): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(
      /<(script|style|noscript|template|svg|head|nav|footer|iframe)\b[\s\S]*?<\/\1\s*>/gi,
      "",
    );
  const md = mode === "markdown";
  s = s.replace(
    /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi,
    (_m, n: string, inner: string) => `\n\n${md ? "#".repeat(Number(n)) + " " : ""}${inner}\n\n`,
  );
  if (md) {
    s = s.replace(
      /<a\b[^>]*href\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a\s*>/gi,
      (_m, href: string, inner: string) => {
        const label = inner.replace(/<[^>]+>/g, "").trim();
        return label ? `[${label}](${href})` : "";
      },
    );
    s = s.replace(/<(strong|b)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, "**$2**");
    s = s.replace(/<(em|i)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, "*$2*");
    s = s.replace(/<code\b[^>]*>([\s\S]*?)<\/code\s*>/gi, "`$1`");
  }
  s = s.replace(/<li\b[^>]*>/gi, md ? "\n- " : "\n• ");
  s = s.replace(/<br\s*\/?>/gi, "\n");
  s = s.replace(
    /<\/(p|div|section|article|ul|ol|table|tr|blockquote|pre|main|header)\s*>/gi,
    "\n\n",
  );
  s = s.replace(/<(p|div|section|article|tr|blockquote|pre)\b[^>]*>/gi, "\n");
  s = s.replace(/<\/t[dh]\s*>/gi, " ");
  s = s.replace(/<[^>]+>/g, "");
  s = decodeEntities(s);
  return s.split("\n").map((l) => l.replace(/[ \t\f\v\r]+/g, " ").trim()).join("\n")
    .replace(/\n{3,}/g, "\n\n").trim();
}
