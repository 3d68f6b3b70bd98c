/**
 * Answer helpers shared by the emulator's routes: Bot API success and
 * error bodies, JSON-in-form fields, seconds.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
export type Any = any;

/** Unix seconds of `ms`. */
export const sec = (ms: number): number => Math.floor(ms / 1000);

/** `{ok: true, result}`. */
export function ok(res: Any, result: unknown): void {
  res.status(200).json({ ok: true, result });
}

/** `{ok: false, error_code, description, parameters?}` with the same HTTP status. */
export function fail(res: Any, code: number, description: string, parameters?: unknown): void {
  res.status(code).json({
    ok: false,
    error_code: code,
    description,
    ...(parameters ? { parameters } : {}),
  });
}

/** A form field that carries JSON (grammY sends objects as JSON strings in multipart). */
export function json(v: unknown): unknown {
  return typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v;
}
