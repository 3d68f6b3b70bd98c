/**
 * Keeps secrets out of logs: known secret values are masked wherever they
 * appear, and fields whose names look secret are dropped to a marker.
 *
 * @module
 */

const SECRET_KEY = /token|password|secret|authorization|apikey|api_key/i;

/** Masks secrets in log messages and fields. */
export class Redactor {
  #secrets: string[] = [];

  /** Replaces the set of secret values to mask (e.g. after a config reload). */
  setSecrets(values: Iterable<string | undefined>): void {
    // Very short values would mask ordinary words; real secrets are long.
    this.#secrets = [...new Set([...values].filter((v): v is string => !!v && v.length >= 4))];
  }

  /** `text` with every known secret replaced by `***`. */
  text(text: string): string {
    let out = text;
    for (const s of this.#secrets) if (out.includes(s)) out = out.replaceAll(s, "***");
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
