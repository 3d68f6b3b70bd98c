/**
 * Validators compiled once from the registries, and error messages that name
 * the offending field.
 *
 * @module
 */

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { TSchema } from "@sinclair/typebox";
import { RequestFrame } from "./frames.ts";
import { ConnectParams } from "./schemas/connect.ts";
import { type MethodName, METHODS } from "./methods.ts";

// One AJV instance for the process; each schema is compiled at most once.
// Schemas come from TypeBox (a test checks them against the metaschema), so
// skipping the metaschema check at compile time saves start-up time.
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, validateSchema: false });
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** The compiled validator of `schema` (compiled on first use, then cached). */
export function validatorFor(schema: TSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** The outcome of a validation: the typed value, or a message naming the bad field. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function pathOf(err: ErrorObject): string {
  const base = err.instancePath ? err.instancePath.slice(1).replaceAll("/", ".") : "";
  if (err.keyword === "required") {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  if (err.keyword === "additionalProperties") {
    const extra = (err.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  return base || "(root)";
}

/**
 * Turns AJV errors into one sentence naming the field, e.g.
 * `unexpected property "foo"` or `client.id must be one of "cli", "test"`.
 */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return "invalid value";
  // A union of literals reports one `const` error per branch, then `anyOf`.
  const anyOf = errors.find((e) => e.keyword === "anyOf");
  if (anyOf) {
    const options = errors
      .filter((e) => e.keyword === "const" && e.instancePath === anyOf.instancePath)
      .map((e) => JSON.stringify((e.params as { allowedValue: unknown }).allowedValue));
    if (options.length > 0) return `${pathOf(anyOf)} must be one of ${options.join(", ")}`;
    return `${pathOf(anyOf)} does not match any allowed shape`;
  }
  const err = errors[0];
  const path = pathOf(err);
  switch (err.keyword) {
    case "additionalProperties":
      return `unexpected property "${path}"`;
    case "required":
      return `missing required property "${path}"`;
    case "const":
      return `${path} must be ${
        JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)
      }`;
    default:
      return `${path} ${err.message ?? "is invalid"}`;
  }
}

/** Validates `value` against `schema`. */
export function check<T>(schema: TSchema, value: unknown): Checked<T> {
  const fn = validatorFor(schema);
  if (fn(value)) return { ok: true, value: value as T };
  return { ok: false, message: describeErrors(fn.errors) };
}

/** Validates an inbound request envelope. */
export function checkRequestFrame(value: unknown): Checked<RequestFrame> {
  return check<RequestFrame>(RequestFrame, value);
}

/** Validates `connect` params. */
export function checkConnectParams(value: unknown): Checked<ConnectParams> {
  return check<ConnectParams>(ConnectParams, value);
}

/** Validates the params of `method` (absent params count as `{}`). */
export function checkParams(method: MethodName, params: unknown): Checked<unknown> {
  return check(METHODS[method].params, params ?? {});
}
