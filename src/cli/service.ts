/**
 * `openclaw gateway install | uninstall | start | stop | restart`: the
 * gateway as a supervised service (systemd user or system unit, launchd
 * LaunchAgent). Every supervisor call goes through the {@link Exec} passed in.
 *
 * @module
 */

import type { Command } from "commander";
import { auditServiceFile } from "../../service/audit.ts";
import { commandText, SupervisorError } from "../../service/control.ts";
import type { Exec } from "../../service/exec.ts";
import { removeLegacyAgents } from "../../service/launchd_control.ts";
import { ensureLinger, type LingerResult } from "../../service/linger.ts";
import { readConfig } from "../config/load.ts";
import { checkRunnable } from "../config/runnable.ts";
import { writeFileAtomic } from "../config/write.ts";
import { allFlags, type CliContext, CliError } from "./context.ts";
import {
  expectedSpec,
  installPort,
  readTextOrNull,
  resolveService,
  serviceInstance,
  type ServiceTarget,
  serviceUser,
} from "./service_target.ts";

interface InstallFlags {
  force?: boolean;
  port?: string;
  system?: boolean;
  json?: boolean;
}

/** Registers the service commands under `gateway`. */
export function registerServiceCommands(
  gateway: Command,
  context: (cmd: Command) => CliContext,
  exec: Exec,
): void {
  gateway.command("install")
    .description("Install the gateway as a service (systemd user unit or LaunchAgent) and start it")
    .option("--force", "rewrite the service file even if one is installed")
    .option("--port <port>", "port the service runs on (default: env, config, then 18789)")
    .option("--system", "systemd system unit in /etc/systemd/system (needs root)")
    .option("--json", "print JSON")
    .action(async (_: InstallFlags, cmd: Command) => {
      await supervised(() => installAction(context(cmd), allFlags(cmd), exec));
    });
  gateway.command("uninstall")
    .description("Stop the service and remove its unit or plist")
    .option("--system", "the systemd system unit")
    .action(async (_: { system?: boolean }, cmd: Command) => {
      await supervised(() => uninstallAction(context(cmd), allFlags(cmd), exec));
    });
  const simple = [
    ["start", "Start the installed service", "Started"],
    ["stop", "Stop the service (it stays installed)", "Stopped"],
    ["restart", "Restart the service (refuses when the config is invalid)", "Restarted"],
  ] as const;
  for (const [name, description, done] of simple) {
    gateway.command(name)
      .description(description)
      .option("--system", "the systemd system unit")
      .action(async (_: { system?: boolean }, cmd: Command) => {
        await supervised(async () => {
          const ctx = context(cmd);
          const flags = allFlags<{ system?: boolean }>(cmd);
          if (name === "restart") await preflightConfig(ctx, "restart");
          const target = await installedService(ctx, flags, exec);
          await target.control[name]();
          ctx.io.out(`${done} ${target.control.label} (${describe(target)})`);
        });
      });
  }
}

/** Runs `fn`, turning supervisor failures into CLI errors. */
async function supervised(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof SupervisorError) throw new CliError(err.message);
    throw err;
  }
}

function describe(target: ServiceTarget): string {
  return target.supervisor === "launchd" ? "launchd agent" : `systemd ${target.control.scope} unit`;
}

async function installedService(
  ctx: CliContext,
  flags: { system?: boolean },
  exec: Exec,
): Promise<ServiceTarget> {
  const target = await resolveService(ctx, exec, { system: flags.system, detectSystem: true });
  if (await readTextOrNull(target.control.path) === null) {
    throw new CliError(
      `${target.control.label} is not installed (no ${target.control.path}): run ` +
        '"openclaw gateway install" first',
    );
  }
  return target;
}

async function installAction(ctx: CliContext, flags: InstallFlags, exec: Exec): Promise<void> {
  const target = await resolveService(ctx, exec, { system: flags.system });
  const { control } = target;
  // A system unit runs as another user: port, config and spec come from their home.
  const instance = await serviceInstance(ctx, { target, exec });
  const port = (await installPort(instance.ctx, flags.port)).port;
  // Install anyway (the operator may fix the config next), but say the service will fail.
  await preflightConfig(instance.ctx, "install").catch((err: CliError) =>
    ctx.io.err(`Warning: ${err.message}`)
  );
  const spec = expectedSpec(instance, port);
  const text = control.render(spec);
  const previous = await readTextOrNull(control.path);
  const report = {
    ok: true,
    action: previous === null ? "installed" : "reinstalled",
    supervisor: target.supervisor,
    scope: control.scope,
    label: control.label,
    path: control.path,
    port,
    programArguments: spec.programArguments,
    legacyRemoved: [] as string[],
    linger: undefined as LingerResult | undefined,
  };
  if (previous !== null && !flags.force) {
    const audit = auditServiceFile(text, previous, control.parse);
    if (!audit.ok) {
      throw new CliError(
        `${control.path} is installed but differs from what install writes now ` +
          `(${audit.issues.join("; ")}): run "openclaw gateway install --force" to rewrite it`,
      );
    }
    report.action = "unchanged";
    return printInstall(ctx, flags, report, target);
  }
  if (target.supervisor === "launchd") {
    report.legacyRemoved = await removeLegacyAgents(exec, {
      uid: target.uid,
      agentsDir: `${target.home}/Library/LaunchAgents`,
    });
  }
  await writeServiceFile(control.path, text, control.scope);
  try {
    await control.activate({ reinstall: previous !== null });
  } catch (err) {
    // Leave things as they were, so a retry is not mistaken for "already installed".
    if (previous === null) await Deno.remove(control.path).catch(() => {});
    else await writeServiceFile(control.path, previous, control.scope).catch(() => {});
    throw err;
  }
  if (target.supervisor === "systemd" && control.scope === "user") {
    report.linger = await ensureLinger(exec, await serviceUser(ctx, exec));
  }
  printInstall(ctx, flags, report, target);
}

/** Writes a unit or plist: atomically, 0644 (it never holds a secret). */
async function writeServiceFile(path: string, text: string, scope: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, { mode: 0o644, backup: false });
  } catch (err) {
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new CliError(
        `Cannot write ${path}: permission denied (${
          scope === "system" ? "a system unit needs root: rerun with sudo" : "check who owns it"
        })`,
      );
    }
    throw err;
  }
}

function printInstall(
  ctx: CliContext,
  flags: InstallFlags,
  report: {
    action: string;
    label: string;
    path: string;
    programArguments: string[];
    legacyRemoved: string[];
    linger?: LingerResult;
  },
  target: ServiceTarget,
): void {
  if (flags.json) {
    ctx.io.out(JSON.stringify(report, null, 2));
    return;
  }
  const what = `${describe(target)} ${report.label}`;
  const lines = report.action === "unchanged"
    ? [
      `The ${what} is already installed and current: nothing to do`,
      `  File: ${report.path}`,
      '  (use --force to rewrite it; "openclaw gateway start" starts it)',
    ]
    : [
      `${report.action === "installed" ? "Installed" : "Reinstalled"} the ${what} and started it`,
      `  File: ${report.path}`,
      `  Command: ${commandText(report.programArguments[0], report.programArguments.slice(1))}`,
    ];
  for (const label of report.legacyRemoved) lines.push(`  Removed legacy agent ${label}`);
  const linger = report.linger;
  if (linger?.enabled) {
    lines.push(
      `Lingering is ${
        linger.changed ? "now " : ""
      }on for ${linger.user}: the service survives logout`,
    );
  } else if (linger) {
    lines.push(
      `Warning: lingering is off for ${linger.user}, so the service stops at logout` +
        (linger.command ? `; run: ${linger.command}` : ` (${linger.detail})`),
    );
  }
  if (report.action !== "unchanged") lines.push('Check it with "openclaw gateway status"');
  ctx.io.out(lines.join("\n"));
}

async function uninstallAction(
  ctx: CliContext,
  flags: { system?: boolean },
  exec: Exec,
): Promise<void> {
  const target = await resolveService(ctx, exec, { system: flags.system, detectSystem: true });
  const { control } = target;
  if (await readTextOrNull(control.path) === null) {
    ctx.io.out(`The ${describe(target)} ${control.label} is not installed: nothing to do`);
    return;
  }
  await control.deactivate();
  await Deno.remove(control.path);
  // The service is gone either way; a supervisor that still lists it is only untidy.
  await control.reload().catch((err: Error) => ctx.io.err(`Warning: ${err.message}`));
  ctx.io.out(`Removed the ${describe(target)} ${control.label} (${control.path})`);
}

/**
 * Refuses a restart the gateway would not survive: an invalid config, or
 * one that does not say `gateway.mode: "local"`. Points at a valid `.bak`
 * when there is one (it is not restored automatically). Install turns the
 * refusal into a warning.
 */
async function preflightConfig(ctx: CliContext, action: "restart" | "install"): Promise<void> {
  const path = ctx.paths.configPath;
  // The service never carries a token or password in its environment: check the
  // config as the service will run it.
  const { OPENCLAW_GATEWAY_TOKEN: _t, OPENCLAW_GATEWAY_PASSWORD: _p, ...serviceEnv } = ctx.env;
  const snap = await readConfig(path, serviceEnv);
  if (!snap.exists) return; // the gateway creates a fresh config on start
  const verdict = checkRunnable(snap, { env: serviceEnv, paths: ctx.paths });
  if (verdict.ok) return;
  const verb = action === "restart"
    ? "Refusing to restart"
    : "Installed anyway, but the service will not start";
  let restore = "";
  if (!snap.config) {
    const backup = await readConfig(`${path}.bak`, serviceEnv);
    if (backup.exists && backup.config) {
      restore = `; the backup is valid: restore it with "cp ${path}.bak ${path}"`;
    }
  }
  throw new CliError(`${verb}: ${verdict.message}${restore}`);
}
