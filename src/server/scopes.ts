/**
 * Method authorization: roles and operator scopes.
 *
 * @module
 */

import type { MethodScope } from "../../protocol/methods.ts";

/** Roles a client can connect as. */
export type Role = "operator" | "node";

/** Whether `scopes` grant `needed` (`admin` grants all, `write` implies `read`). */
export function hasScope(scopes: readonly string[], needed: string): boolean {
  if (scopes.includes("operator.admin") || scopes.includes(needed)) return true;
  return needed === "operator.read" && scopes.includes("operator.write");
}

/**
 * Why a caller may not call a method of `scope`, or `undefined` when it may.
 * The message is what the client sees: `missing scope: operator.admin`.
 */
export function authorize(
  scope: MethodScope,
  role: Role,
  scopes: readonly string[],
): string | undefined {
  if (scope === "any") return undefined;
  if (scope === "node") return role === "node" ? undefined : `unauthorized role: ${role}`;
  if (role !== "operator") return `unauthorized role: ${role}`;
  return hasScope(scopes, scope) ? undefined : `missing scope: ${scope}`;
}
