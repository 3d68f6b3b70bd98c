/**
 * Helpers shared by the tool files: argument readers that fail with a
 * message naming the argument, and result builders. Private to tools/.
 *
 * @module
 */

import type { Tool, ToolContext, ToolResult } from "../types.ts";

/** A bad call (bad argument, refused path, ...): becomes an `isError` result, never a crash. */
export class ToolFailure extends Error {
  readonly details?: Record<string, unknown>;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ToolFailure";
    this.details = details;
  }
}

/** A text result. */
export function textResult(text: string, details?: Record<string, unknown>): ToolResult {
  return details ? { content: [{ type: "text", text }], details } : {
    content: [{ type: "text", text }],
  };
}

/** An error result. */
export function errorResult(text: string, details?: Record<string, unknown>): ToolResult {
  return { ...textResult(text, details), isError: true };
}

/** Turns anything a tool threw into an `isError` result (tools never reject). */
function failureResult(err: unknown): ToolResult {
  if (err instanceof ToolFailure) return errorResult(err.message, err.details);
  if (err instanceof DOMException && err.name === "AbortError") {
    return errorResult("Aborted before the tool finished");
  }
  return errorResult(err instanceof Error ? err.message : String(err));
}

/** Wraps `execute` so thrown errors become `isError` results. */
export function guarded(
  execute: (args: Record<string, unknown>, ctx: ToolContext) => Promise<ToolResult>,
): Tool["execute"] {
  return async (args, ctx) => {
    try {
      return await execute(args ?? {}, ctx);
    } catch (err) {
      return failureResult(err);
    }
  };
}

/** A required string argument (non-empty unless `allowEmpty`), at most `max` characters. */
export function reqString(
  args: Record<string, unknown>,
  key: string,
  opts: { max?: number; allowEmpty?: boolean } = {},
): string {
  const v = args[key];
  if (typeof v !== "string") {
    throw new ToolFailure(`Missing or non-string argument "${key}": pass ${key} as a string`);
  }
  if (!opts.allowEmpty && v.length === 0) {
    throw new ToolFailure(`Empty argument "${key}": pass a non-empty ${key}`);
  }
  if (opts.max !== undefined && v.length > opts.max) {
    throw new ToolFailure(
      `Argument "${key}" is ${v.length} characters, over the ${opts.max} limit: shorten it`,
    );
  }
  return v;
}

/** An optional string argument. */
export function optString(
  args: Record<string, unknown>,
  key: string,
  opts: { max?: number } = {},
): string | undefined {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  return reqString(args, key, { ...opts, allowEmpty: true });
}

/** An optional number, checked against `min`/`max`, rounded down when `integer`. */
export function optNumber(
  args: Record<string, unknown>,
  key: string,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  let v = args[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) v = Number(v);
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ToolFailure(`Argument "${key}" must be a number, got ${JSON.stringify(v)}`);
  }
  const n = opts.integer ? Math.floor(v) : v;
  if (opts.min !== undefined && n < opts.min) {
    throw new ToolFailure(`Argument "${key}" must be at least ${opts.min}, got ${v}`);
  }
  if (opts.max !== undefined && n > opts.max) {
    throw new ToolFailure(`Argument "${key}" must be at most ${opts.max}, got ${v}`);
  }
  return n;
}

/** An optional boolean (`"true"`/`"false"` strings accepted: models send them). */
export function optBool(args: Record<string, unknown>, key: string): boolean | undefined {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  if (typeof v !== "boolean") {
    throw new ToolFailure(`Argument "${key}" must be true or false, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Shortens `text` to `max` characters for titles and messages. */
export function clip(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** UTF-8 byte length. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** `p`, or `undefined` after `ms` (the timer is always cleared). */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
