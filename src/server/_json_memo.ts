/**
 * Serialized forms of payloads that are never mutated once built (the cached
 * health snapshot), so every answer or broadcast carrying the same object
 * reuses one JSON text instead of serializing it again per call.
 *
 * @module
 */

import type { ResponseFrame } from "../../protocol/frames.ts";

// Marked objects; the value is their JSON once first needed.
const memo = new WeakMap<object, string | undefined>();

/** Marks `value` as immutable from now on; returns it. */
export function markImmutable<T extends object>(value: T): T {
  memo.set(value, undefined);
  return value;
}

/** Whether `value` was marked by {@link markImmutable}. */
export function isImmutable(value: object): boolean {
  return memo.has(value);
}

/** `JSON.stringify(value)`, computed once per object marked by {@link markImmutable}. */
export function toJson(value: unknown): string {
  if (typeof value !== "object" || value === null || !memo.has(value)) {
    return JSON.stringify(value);
  }
  let json = memo.get(value);
  if (json === undefined) memo.set(value, json = JSON.stringify(value));
  return json;
}

/** A response frame's text; a marked payload is spliced in as already serialized. */
export function responseText(frame: ResponseFrame): string {
  const p = frame.payload;
  if (!frame.ok || frame.error !== undefined || typeof p !== "object" || p === null) {
    return JSON.stringify(frame);
  }
  if (!memo.has(p)) return JSON.stringify(frame);
  return `{"type":"res","id":${JSON.stringify(frame.id)},"ok":true,"payload":${toJson(p)}}`;
}
