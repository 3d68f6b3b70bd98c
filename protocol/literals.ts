/**
 * A TypeBox helper shared by protocol and config schemas.
 *
 * @module
 */

import { Type } from "@sinclair/typebox";

/** A union of string literals whose static type is exactly the union of `values`. */
export function literals<T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));
}
