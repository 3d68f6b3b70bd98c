/**
 * `openclaw doctor [--fix] [--json]`: audits the config, permissions, token
 * and the service, fixes what it safely can with `--fix`, and exits non-zero
 * while problems remain. Each check is a small function returning a
 * {@link DoctorCheck}; the service ones live in service_checks.ts.
 *
 * @module
 */

import type { Command } from "commander";
import type { Exec } from "../../service/exec.ts";
import { formatIssues, readConfig } from "../config/load.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { resolveSettings, SettingsError } from "../config/settings.ts";
import { writeFileAtomic } from "../config/write.ts";
import { MIN_TOKEN_LENGTH } from "../config/runnable.ts";
import { type CliContext, CliError } from "./context.ts";
import {
  legacyServicesCheck,
  lingerCheck,
  lsofCheck,
  portCheck,
  serviceFileCheck,
} from "./service_checks.ts";
import { resolveService } from "./service_target.ts";
import { generateToken, newConfigText } from "../config/bootstrap.ts";

/** The verdict of one check; `fix` repairs it (run only with `--fix`) and says what it did. */
export interface DoctorCheck {
  id: string;
  ok: boolean;
  message: string;
  fix?: () => Promise<string>;
}

/** Registers `doctor`. */
export function registerDoctorCommand(
  program: Command,
  context: (cmd: Command) => CliContext,
  exec: Exec,
): void {
  program.command("doctor")
    .description("Check config, permissions, token and the service; --fix repairs what it can")
    .option("--fix", "apply the fixes (chmod, token, service file, legacy services, linger)")
    .option("--json", "print JSON")
    .action(async (flags: { fix?: boolean; json?: boolean }, cmd: Command) => {
      await doctorAction(context(cmd), flags, exec);
    });
}

/** Runs every check in order. */
async function runChecks(ctx: CliContext, exec: Exec): Promise<DoctorCheck[]> {
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  const config = snap.config as GatewayConfig | undefined;
  const checks: DoctorCheck[] = [
    snap.config
      ? {
        id: "config",
        ok: true,
        message: snap.exists
          ? `${snap.path} is valid`
          : `no config at ${snap.path} yet (defaults apply)`,
      }
      : { id: "config", ok: false, message: formatIssues(snap.path, snap.issues) },
    await stateDirCheck(ctx.paths.stateDir),
    await filePermsCheck(ctx.paths.stateDir, ctx.paths.configPath),
    tokenCheck(ctx, snap.exists, config),
  ];
  try {
    const target = await resolveService(ctx, exec, { detectSystem: true });
    checks.push(await serviceFileCheck(ctx, target, exec));
    checks.push(await legacyServicesCheck(target, exec));
    checks.push(await lingerCheck(ctx, target, exec));
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    checks.push({ id: "service-file", ok: true, message: `no service manager: ${err.message}` });
  }
  checks.push(await lsofCheck(exec));
  checks.push(
    await portCheck(ctx, {
      exec,
      token: ctx.env.OPENCLAW_GATEWAY_TOKEN ?? config?.gateway?.auth?.token,
    }),
  );
  return checks;
}

async function doctorAction(
  ctx: CliContext,
  flags: { fix?: boolean; json?: boolean },
  exec: Exec,
): Promise<void> {
  let checks = await runChecks(ctx, exec);
  const fixed: { id: string; ok: boolean; message: string }[] = [];
  if (flags.fix) {
    for (const check of checks) {
      if (check.ok || !check.fix) continue;
      try {
        fixed.push({ id: check.id, ok: true, message: await check.fix() });
      } catch (err) {
        fixed.push({ id: check.id, ok: false, message: `fix failed: ${(err as Error).message}` });
      }
    }
    if (fixed.length) checks = await runChecks(ctx, exec);
  }
  const problems = checks.filter((c) => !c.ok);
  if (flags.json) {
    ctx.io.out(JSON.stringify(
      {
        ok: problems.length === 0,
        checks: checks.map((c) => ({ id: c.id, ok: c.ok, message: c.message, fixable: !!c.fix })),
        fixed,
      },
      null,
      2,
    ));
  } else {
    const lines = fixed.map((f) => `[${f.ok ? "fixed" : "FAIL"}] ${f.id}: ${f.message}`);
    for (const c of checks) {
      const tag = c.ok ? "ok" : c.fix ? "FAIL (fixable)" : "FAIL";
      lines.push(`[${tag}] ${c.id}: ${c.message}`);
    }
    ctx.io.out(lines.join("\n"));
  }
  if (problems.length) {
    const fixable = problems.some((c) => c.fix) && !flags.fix;
    throw new CliError(
      `${problems.length} problem(s) remain: ${problems.map((c) => c.id).join(", ")}` +
        (fixable ? ' (run "openclaw doctor --fix" for the fixable ones)' : ""),
    );
  }
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, "0");
}

/** The state dir is private (0700): it holds tokens, sessions and credentials. */
async function stateDirCheck(dir: string): Promise<DoctorCheck> {
  let mode: number | null;
  try {
    mode = (await Deno.stat(dir)).mode;
  } catch {
    return { id: "state-dir", ok: true, message: `${dir} does not exist yet` };
  }
  if (mode === null || (mode & 0o077) === 0) {
    return { id: "state-dir", ok: true, message: `${dir} is private` };
  }
  return {
    id: "state-dir",
    ok: false,
    message: `${dir} is ${octal(mode)}: other users can look inside; it should be 0700`,
    fix: async () => {
      await Deno.chmod(dir, 0o700);
      return `chmod 0700 ${dir}`;
    },
  };
}

/** The config, its backup and credential files are 0600 (folders under credentials/ 0700). */
async function filePermsCheck(stateDir: string, configPath: string): Promise<DoctorCheck> {
  const bad: { path: string; mode: number; want: number }[] = [];
  const check = async (path: string, want: number) => {
    try {
      const info = await Deno.lstat(path);
      if (info.mode !== null && (info.mode & 0o077) !== 0) {
        bad.push({ path, mode: info.mode, want });
      }
    } catch { /* missing is fine */ }
  };
  const walk = async (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return;
    }
    await check(dir, 0o700);
    for (const e of entries) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else if (e.isFile) await check(`${dir}/${e.name}`, 0o600);
    }
  };
  await check(configPath, 0o600);
  await check(`${configPath}.bak`, 0o600);
  for (const sub of ["credentials", "devices", "nodes"]) await walk(`${stateDir}/${sub}`);
  if (bad.length === 0) {
    return { id: "file-perms", ok: true, message: "config and credential files are private" };
  }
  return {
    id: "file-perms",
    ok: false,
    message: `readable by others: ${bad.map((b) => `${b.path} (${octal(b.mode)})`).join(", ")}`,
    fix: async () => {
      for (const b of bad) await Deno.chmod(b.path, b.want);
      return `chmod ${bad.map((b) => `${octal(b.want)} ${b.path}`).join(", ")}`;
    },
  };
}

/**
 * Token auth (the default) has a token. `--fix` generates one (32 random
 * bytes) into gateway.auth.token; rewriting a JSON5 file drops its comments,
 * so the previous text stays in `.bak`.
 */
function tokenCheck(ctx: CliContext, exists: boolean, config?: GatewayConfig): DoctorCheck {
  const auth = config?.gateway?.auth;
  if (config) {
    // The mode exactly as the gateway would settle it (config, then environment).
    let mode;
    try {
      mode = resolveSettings(config, { env: ctx.env, paths: ctx.paths }).auth.mode;
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      return { id: "token", ok: false, message: `cannot tell the auth mode: ${err.message}` };
    }
    if (mode !== "token") {
      return { id: "token", ok: true, message: `auth mode is "${mode}": no token needed` };
    }
  }
  const path = ctx.paths.configPath;
  if (auth?.token && auth.token.length < MIN_TOKEN_LENGTH) {
    return {
      id: "token",
      ok: false,
      message: `gateway.auth.token is too short (${auth.token.length} characters, at least ` +
        `${MIN_TOKEN_LENGTH} needed): the gateway will not start`,
      fix: () => writeNewToken(ctx, path),
    };
  }
  if (auth?.token) return { id: "token", ok: true, message: "gateway.auth.token is set" };
  if (ctx.env.OPENCLAW_GATEWAY_TOKEN && exists) {
    return {
      id: "token",
      ok: true,
      message: "token from OPENCLAW_GATEWAY_TOKEN (a service does not get this variable; " +
        "put the token in gateway.auth.token)",
    };
  }
  if (exists && !config) {
    return { id: "token", ok: false, message: "cannot tell: the config is invalid (see above)" };
  }
  return {
    id: "token",
    ok: false,
    message: `no gateway token${exists ? ` in ${path}` : ` (no config at ${path})`}: clients ` +
      "cannot authenticate and the gateway will not start",
    fix: () => writeNewToken(ctx, path),
  };
}

/** `--fix` for the token: a new config, or a new gateway.auth.token in the existing one. */
async function writeNewToken(ctx: CliContext, path: string): Promise<string> {
  const snap = await readConfig(path, ctx.env);
  const token = generateToken();
  if (!snap.exists) {
    await writeFileAtomic(path, newConfigText(token, { by: "openclaw doctor --fix" }), {
      backup: false,
    });
    return `created ${path} with gateway.mode "local" and a new token`;
  }
  const parsed = snap.parsed as Record<string, Record<string, Record<string, unknown>>>;
  if (!snap.config || !parsed) throw new Error(`${path} is invalid: fix it first`);
  parsed.gateway ??= {};
  parsed.gateway.auth ??= {};
  parsed.gateway.auth.token = token;
  const text = '// Rewritten by "openclaw doctor --fix" (the previous version, comments ' +
    `included, is ${path}.bak)\n${JSON.stringify(parsed, null, 2)}\n`;
  await writeFileAtomic(path, text);
  return `wrote a new token to gateway.auth.token in ${path} (previous version in ` +
    `${path}.bak; JSON5 comments were not carried over)`;
}
