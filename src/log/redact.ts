/**
 * Keeps secrets out of logs: known secret values are masked wherever they
 * appear, and fields whose names look secret are dropped to a marker.
 *
 * @module
 */

const SECRET_KEY = /token|password|secret|authorization|apikey|api_key/i;

/** Longer values first, so a secret containing another is masked whole. */
function longestFirst(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** Masks secrets in log messages and fields. */
export class Redactor {
  #secrets: string[] = [];
  #named: [value: string, name: string][] = [];

  /**
   * Replaces the set of secret values to mask (e.g. after a config reload).
   * Every non-empty value is masked, however short: a short secret is still
   * a secret (start-up refuses tokens that are too short).
   */
  setSecrets(values: Iterable<string | undefined>): void {
    this.#secrets = longestFirst([...values].filter((v): v is string => !!v));
  }

  /**
   * Values substituted from `${NAME}` references in the config: each is shown
   * as its reference (`${PROVIDER_API_KEY}`), never as the value.
   */
  setSubstituted(refs: Iterable<[value: string, name: string]>): void {
    const byValue = new Map<string, string>();
    for (const [value, name] of refs) if (value && !byValue.has(value)) byValue.set(value, name);
    this.#named = longestFirst([...byValue.keys()]).map((v) => [v, byValue.get(v)!]);
  }

  /** `text` with every known secret replaced by `***` and substituted values by `${NAME}`. */
  text(text: string): string {
    let out = text;
    for (const s of this.#secrets) if (out.includes(s)) out = out.replaceAll(s, "***");
    for (const [v, name] of this.#named) {
      if (out.includes(v)) out = out.replaceAll(v, () => `\${${name}}`);
    }
    return out;
  }

  /** A copy of `value` with secret-named keys and secret values masked. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (value === null || typeof value !== "object") return value;
    // Past this depth nothing is inspected, so nothing is shown either.
    if (depth > 6) return "[truncated]";
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== ""
        ? "[redacted]"
        : this.value(v, depth + 1);
    }
    return out;
  }
}
