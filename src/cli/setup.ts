/**
 * `openclaw setup [--dev] [--force] [--workspace dir]`: the first config
 * (`gateway.mode: "local"` and a fresh token) and the agent workspace with
 * its canvas folder, all private. An existing config is kept unless
 * `--force`, which leaves the old one as `openclaw.json.bak`.
 *
 * @module
 */

import type { Command } from "commander";
import { ensureWorkspace } from "../agent/workspace.ts";
import { generateToken, newConfigText } from "../config/bootstrap.ts";
import { ensurePrivateDir, writeFileAtomic } from "../config/write.ts";
import { type CliContext, CliError } from "./context.ts";

interface SetupFlags {
  force?: boolean;
  workspace?: string;
  json?: boolean;
}

/** Registers `setup`. */
export function registerSetupCommand(
  program: Command,
  context: (cmd: Command) => CliContext,
): void {
  program.command("setup")
    .description("Create the config (with a new token) and the workspace, privately")
    .option("--dev", "set up the dev profile (~/.openclaw-dev, port 19001)")
    .option("--force", "replace an existing config (the old one is kept as .bak)")
    .option("--workspace <dir>", "agent workspace folder (default: <state dir>/workspace)")
    .option("--json", "print JSON")
    .action(async (flags: SetupFlags, cmd: Command) => await setupAction(context(cmd), flags));
}

/** Runs `setup`. */
async function setupAction(ctx: CliContext, flags: SetupFlags): Promise<void> {
  const { paths } = ctx;
  const defaultWorkspace = paths.profile === "dev"
    // Runbook: under --dev the workspace is ~/.openclaw/workspace-dev.
    ? `${paths.home}/.openclaw/workspace-dev`
    : paths.workspaceDir;
  const workspace = absolute(flags.workspace ?? defaultWorkspace);
  const canvas = `${workspace}/canvas`;
  await privateDir(paths.stateDir);
  let configAction: "created" | "replaced" | "kept" = "created";
  const exists = await Deno.stat(paths.configPath).then(() => true, () => false);
  if (exists && !flags.force) {
    configAction = "kept";
  } else {
    const custom = workspace !== paths.workspaceDir;
    const text = newConfigText(generateToken(), {
      workspace: custom ? workspace : undefined,
      // The canvas host serves <state dir>/workspace/canvas unless told otherwise.
      canvasRoot: custom ? canvas : undefined,
      by: "openclaw setup",
    });
    await writeFileAtomic(paths.configPath, text, { backup: exists });
    configAction = exists ? "replaced" : "created";
  }
  await Deno.chmod(paths.configPath, 0o600);
  await privateDir(workspace);
  await privateDir(canvas);
  // The bootstrap files (AGENTS.md, SOUL.md, ...): only missing ones, never overwritten.
  const seeded = await ensureWorkspace(workspace).then((r) => r.seeded, (err) => {
    throw new CliError(`Cannot seed ${workspace}: ${(err as Error).message} (check the folder)`);
  });
  const report = {
    ok: true,
    profile: paths.profile ?? null,
    stateDir: paths.stateDir,
    config: { path: paths.configPath, action: configAction },
    backup: configAction === "replaced" ? `${paths.configPath}.bak` : undefined,
    workspace,
    seeded,
    canvas,
  };
  if (flags.json) {
    ctx.io.out(JSON.stringify(report, null, 2));
    return;
  }
  const flag = paths.profile === "dev"
    ? " --dev"
    : paths.profile
    ? ` --profile ${paths.profile}`
    : "";
  ctx.io.out([
    configAction === "kept"
      ? `Config: ${paths.configPath} (exists, left alone; --force replaces it)`
      : `Config: ${paths.configPath} (${configAction}, with a new token in gateway.auth.token)`,
    ...(report.backup ? [`  Previous config kept as ${report.backup}`] : []),
    `State dir: ${paths.stateDir}`,
    `Workspace: ${workspace}` + (seeded.length ? ` (seeded ${seeded.join(", ")})` : ""),
    `Canvas: ${canvas}`,
    `Next: "openclaw${flag} gateway" to run it here, or "openclaw${flag} gateway install" ` +
    "to run it as a service",
  ].join("\n"));
}

/** Creates `dir` and makes it 0700 even when it existed (umask does not apply to chmod). */
async function privateDir(dir: string): Promise<void> {
  try {
    await ensurePrivateDir(dir);
    await Deno.chmod(dir, 0o700);
  } catch (err) {
    throw new CliError(`Cannot create ${dir}: ${(err as Error).message} (check its parent folder)`);
  }
}

function absolute(dir: string): string {
  return dir.startsWith("/") ? dir.replace(/\/+$/, "") || "/" : `${Deno.cwd()}/${dir}`;
}
