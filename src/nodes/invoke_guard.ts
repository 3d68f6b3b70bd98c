/**
 * Checks on an operator's `node.invoke` before it is forwarded, for the
 * desktop host commands a node can now have approved (2026.9.6 rules):
 * host-boundary commands (browser proxy, `fs.listDir`, `terminal.upload`)
 * take operator.admin, and `system.run` may not carry approval overrides
 * (`approved`, `approvalDecision`, `approvalSource`), which would let an
 * operator.write caller skip the node's own exec approvals: this gateway
 * holds no exec approval records for node runs, so they are refused, and
 * `system.run` params are cut to the fields a node reads.
 *
 * @module
 */

import { ErrorCodes } from "../../protocol/errors.ts";
import type { NodeInvokeParams } from "../../protocol/schemas/node.ts";
import { GatewayError, invalidRequest } from "../errors.ts";
import { hasScope } from "../server/scopes.ts";

/** Commands that cross the node's host boundary: invoking one takes operator.admin. */
export const ADMIN_ONLY_INVOKE_COMMANDS: ReadonlySet<string> = new Set([
  "browser.proxy",
  "browser.proxy.upload.v1",
  "fs.listDir",
  "terminal.upload",
]);

/** The `system.run` params a node reads; anything else is dropped before forwarding. */
const SYSTEM_RUN_KEYS = [
  "command",
  "rawCommand",
  "systemRunPlan",
  "cwd",
  "env",
  "timeoutMs",
  "needsScreenRecording",
  "agentId",
  "sessionKey",
  "runId",
  "suppressNotifyOnExit",
];
const APPROVAL_OVERRIDES = ["approved", "approvalDecision", "approvalSource"];

/**
 * Throws `FORBIDDEN` unless `scopes` may invoke `command` at all: the
 * admin-only commands (node files, browser proxy) take operator.admin. Every
 * caller goes through this: operators via {@link guardNodeInvoke}, the agent
 * via its nodes port.
 */
export function requireInvokeScopes(command: string, scopes: readonly string[]): void {
  if (ADMIN_ONLY_INVOKE_COMMANDS.has(command) && !hasScope(scopes, "operator.admin")) {
    throw new GatewayError(
      ErrorCodes.FORBIDDEN,
      `missing scope: operator.admin ("${command}" reaches the node's files or browser)`,
      { details: { missingScope: "operator.admin", requiredScopes: ["operator.admin"] } },
    );
  }
}

/**
 * `params` as they may be forwarded for a caller holding `scopes`; throws
 * `FORBIDDEN` (missing operator.admin) or `INVALID_REQUEST` (an approval
 * override on `system.run`).
 */
export function guardNodeInvoke(
  params: NodeInvokeParams,
  scopes: readonly string[],
): NodeInvokeParams {
  requireInvokeScopes(params.command, scopes);
  const raw = params.params;
  if (params.command !== "system.run" || !raw || typeof raw !== "object" || Array.isArray(raw)) {
    return params;
  }
  const given = raw as Record<string, unknown>;
  const override = APPROVAL_OVERRIDES.find((k) => k in given);
  if (override) {
    throw invalidRequest(
      `system.run "${override}" needs an exec approval record and this gateway keeps none ` +
        "for node runs: drop it and let the node's own exec approvals decide",
      { code: "APPROVALS_UNAVAILABLE", field: override },
    );
  }
  const picked: Record<string, unknown> = {};
  for (const key of SYSTEM_RUN_KEYS) if (key in given) picked[key] = given[key];
  return { ...params, params: picked };
}
