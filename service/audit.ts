/**
 * Does an installed service file match what `gateway install` would write
 * now? Used by `gateway status` (configAudit), `gateway install` (no-op or
 * "run with --force") and `doctor` (rewrite with --fix).
 *
 * @module
 */

import { maskServiceCommand, type ServiceCommand } from "./control.ts";

/** The verdict on one installed file. */
export interface ServiceAudit {
  ok: boolean;
  /** One sentence per difference, e.g. `ExecStart differs: ...`. */
  issues: string[];
}

/**
 * Compares `actual` (the file on disk) with `expected` (the render of the
 * current spec). `parse` reads either text; an unreadable file is one issue.
 * Issues quote the file, so secrets a hand-edited file holds show as `***`.
 */
export function auditServiceFile(
  expected: string,
  actual: string,
  parse: (text: string) => ServiceCommand,
): ServiceAudit {
  if (expected === actual) return { ok: true, issues: [] };
  let have: ServiceCommand;
  try {
    have = maskServiceCommand(parse(actual));
  } catch (err) {
    return { ok: false, issues: [`the file cannot be parsed: ${(err as Error).message}`] };
  }
  const want = maskServiceCommand(parse(expected));
  const issues: string[] = [];
  const args = (cmd: ServiceCommand) => cmd.programArguments.join(" ");
  if (args(have) !== args(want)) {
    issues.push(`command is "${args(have)}", install writes "${args(want)}"`);
  }
  if ((have.workingDirectory ?? "") !== (want.workingDirectory ?? "")) {
    issues.push(
      `working directory is "${have.workingDirectory ?? ""}", install writes "${
        want.workingDirectory ?? ""
      }"`,
    );
  }
  const haveEnv = have.environment ?? {};
  const wantEnv = want.environment ?? {};
  for (const key of new Set([...Object.keys(wantEnv), ...Object.keys(haveEnv)])) {
    if (haveEnv[key] === wantEnv[key]) continue;
    if (!(key in haveEnv)) issues.push(`environment lacks ${key}=${wantEnv[key]}`);
    else if (!(key in wantEnv)) {
      issues.push(`environment has ${key}, which install no longer writes`);
    } else issues.push(`environment ${key} is "${haveEnv[key]}", install writes "${wantEnv[key]}"`);
  }
  if (issues.length === 0) issues.push("other settings differ from the current template");
  return { ok: false, issues };
}
