/**
 * Small field checks for request bodies, each a 400 naming the field and the
 * accepted range. Private to `src/http/`.
 *
 * @module
 */

import { badRequest } from "./_common.ts";

/** An optional number within `[min, max]`. */
export function optNumber(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  opts: { integer?: boolean } = {},
): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw badRequest(`Invalid ${key}: expected a number from ${min} to ${max}`);
  }
  if (opts.integer && !Number.isInteger(v)) throw badRequest(`Invalid ${key}: expected an integer`);
  return v;
}

/** An optional boolean. */
export function optBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw badRequest(`Invalid ${key}: expected true or false`);
  return v;
}

/** An optional string of at most `max` characters. */
export function optString(
  body: Record<string, unknown>,
  key: string,
  max = 1024,
): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw badRequest(`Invalid ${key}: expected a string`);
  if (v.length > max) throw badRequest(`Invalid ${key}: longer than ${max} characters`);
  return v;
}

/** A plain object, or 400. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
