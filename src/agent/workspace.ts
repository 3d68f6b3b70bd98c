/**
 * The agent workspace (spec `agent.md` section 4.1): where it is, seeding
 * its bootstrap files (reading the injected files: `workspace_files.ts`).
 *
 * @module
 */

import type { AgentsConfig } from "../config/schema_agent.ts";
import { agentSetting, foldAgentId } from "../config/agents.ts";

export {
  INJECTED_FILES,
  loadWorkspaceFiles,
  MAX_FILE_READ_BYTES,
  type WorkspaceFile,
  WorkspaceFileCache,
} from "./workspace_files.ts";

/** Files seeded into a new workspace, in prompt order. */
export const SEEDED_FILES = [
  "AGENTS.md",
  "SOUL.md",
  "IDENTITY.md",
  "USER.md",
  "BOOTSTRAP.md",
] as const;

/** Files whose absence is shown to the model as a `[MISSING]` marker. */
export const REQUIRED_FILES = new Set(["AGENTS.md", "SOUL.md", "IDENTITY.md"]);

/** Where the workspace of `agentId` is. */
export interface WorkspaceLocation {
  agentId: string;
  /** The default agent (default `main`): it uses `agents.defaults.workspace`. */
  defaultAgentId?: string;
  agents?: AgentsConfig;
  env: Readonly<Record<string, string | undefined>>;
  stateDir: string;
  /** For `~/` in configured paths. */
  home?: string;
}

/**
 * The workspace dir: the agent's own `workspace` (in `agents.list` or
 * `agents.entries`), else for the default agent `agents.defaults.workspace`,
 * `OPENCLAW_WORKSPACE_DIR`, `<stateDir>/workspace`; other agents get
 * `<stateDir>/workspace-<agentId>` so two agents never share files by accident.
 */
export function resolveWorkspaceDir(loc: WorkspaceLocation): string {
  const id = foldAgentId(loc.agentId);
  const own = agentSetting(loc.agents, id, "workspace");
  const expand = (p: string) =>
    p === "~" || p.startsWith("~/") ? `${loc.home ?? loc.env.HOME ?? ""}${p.slice(1)}` : p;
  if (own) return expand(own);
  if (id !== foldAgentId(loc.defaultAgentId ?? "main")) return `${loc.stateDir}/workspace-${id}`;
  const configured = loc.agents?.defaults?.workspace ?? loc.env.OPENCLAW_WORKSPACE_DIR;
  return configured ? expand(configured) : `${loc.stateDir}/workspace`;
}

/** What {@link ensureWorkspace} did. */
export interface EnsureResult {
  dir: string;
  /** The folder did not exist. */
  created: boolean;
  /** Files written now (existing files are never touched). */
  seeded: string[];
}

/**
 * Creates the workspace (0700) when missing and seeds the bootstrap files
 * that are missing, unless `skipBootstrap`. BOOTSTRAP.md is only written
 * into a brand-new workspace (none of the other seeded files existed), so
 * deleting it ends the first-run ritual for good.
 */
export async function ensureWorkspace(
  dir: string,
  opts: { skipBootstrap?: boolean } = {},
): Promise<EnsureResult> {
  let created = false;
  try {
    const st = await Deno.stat(dir);
    if (!st.isDirectory) {
      throw new Error(
        `Workspace ${dir} exists but is not a folder (move it or set agents.defaults.workspace)`,
      );
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    created = true;
  }
  if (opts.skipBootstrap) return { dir, created, seeded: [] };
  const seeded: string[] = [];
  let anyExisted = false;
  for (const name of SEEDED_FILES) {
    if (name === "BOOTSTRAP.md" && anyExisted) continue;
    try {
      // createNew: never overwrite, and never write through a planted symlink.
      await Deno.writeTextFile(`${dir}/${name}`, TEMPLATES[name], { createNew: true, mode: 0o600 });
      seeded.push(name);
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      anyExisted = true;
    }
  }
  return { dir, created, seeded };
}

/** The seeded templates: short, and meant to be rewritten by the agent and its user. */
export const TEMPLATES: Record<(typeof SEEDED_FILES)[number], string> = {
  "AGENTS.md": `# AGENTS.md - How This Workspace Works

This folder is your home. Everything here is yours to read and keep tidy.

## Every session
- Read SOUL.md (who you are) and USER.md (who you help) before anything else.
- MEMORY.md holds durable facts and decisions; add to it when something should outlive this chat.

## Rules
- Ask before anything destructive or anything that leaves this machine.
- Prefer doing over describing: if a tool can answer it, use the tool.
- Write things down in files; a thought not saved is gone at the next session.

## Tools
Keep notes about local tools, hosts and conventions here.
`,
  "SOUL.md": `# SOUL.md - Who You Are

- Be genuinely useful, not performatively helpful. Skip filler.
- Have opinions, and say when you are unsure.
- Be resourceful before asking: read the file, check the context, then ask.
- Private things stay private. When in doubt, ask first.

Change this file as you learn who you are; tell your user when you do.
`,
  "IDENTITY.md": `# IDENTITY.md - Who Am I?

- **Name:**
- **Creature:**
- **Vibe:**
- **Emoji:**
- **Avatar:**

Fill this in with your user during your first conversation.
`,
  "USER.md": `# USER.md - About Your User

Durable preferences and facts about the person you help, one directive per line
(for example "- Prefer short answers."). Keep it under 4000 characters.
`,
  "BOOTSTRAP.md": `# BOOTSTRAP.md - First Run

You just came online in a fresh workspace. If the first message asks for real work, do that
first. Then, in a relaxed way:

1. Ask your user what they would like to call you, and what to call them.
2. Agree on a vibe and an emoji together.
3. Write what you learned into IDENTITY.md and USER.md.
4. Delete this file: the first run is over.
`,
};
