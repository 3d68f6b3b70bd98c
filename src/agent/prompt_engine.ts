/**
 * The prompt part as the engine's `RunParts.prompt`: reads the workspace
 * files (kept between turns while their `lstat` is unchanged), builds the
 * system prompt and projects the user text. The clock, time zone and host
 * facts come in as deps so tests can pin them.
 *
 * @module
 */

import type { EnginePrompt } from "./ports.ts";
import { buildSystemPrompt, projectUserText, runtimeLine } from "./prompt.ts";
import { describeKey } from "./sessions/keys.ts";
import { loadWorkspaceFiles, WorkspaceFileCache } from "./workspace_files.ts";

/** Deps of {@link createPrompt}. */
export interface PromptDeps {
  /** Live limits from `agents.defaults` (read per turn, so a reload applies). */
  limits?: () => { bootstrapMaxChars?: number; bootstrapTotalMaxChars?: number };
  /** Default `provider/model`, for the runtime line. */
  defaultModelRef?: () => string | undefined;
  /** IANA zone (default: the host's). */
  timeZone?: string;
  now?: () => Date;
  /** Host facts for the runtime line (default: read from Deno once). */
  host?: { host?: string; os?: string; runtime?: string };
}

/** Builds the engine's prompt part. */
export function createPrompt(deps: PromptDeps = {}): EnginePrompt {
  const timeZone = deps.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  const now = deps.now ?? (() => new Date());
  let host = deps.host;
  // Unchanged workspace files cost one lstat per turn instead of a read.
  const cache = new WorkspaceFileCache();
  // MEMORY.md is private: not for group, channel or room sessions (spec 4.1).
  const load = (workspace: string, sessionKey: string) =>
    loadWorkspaceFiles(workspace, {
      includeMemory: describeKey(sessionKey).kind === "direct",
      cache,
    });
  return {
    prefetch: (workspace, sessionKey) => {
      const files = load(workspace, sessionKey);
      files.catch(() => {}); // handled by build, which awaits it
      return { workspace, sessionKey, files };
    },
    async build(input) {
      host ??= hostFacts();
      const ahead = input.prefetched;
      const files = ahead && ahead.workspace === input.workspace &&
          ahead.sessionKey === input.sessionKey
        ? await (ahead.files as ReturnType<typeof load>)
        : await load(input.workspace, input.sessionKey);
      const modelRef = `${input.model.ref.provider}/${input.model.ref.model}`;
      const { text, report } = buildSystemPrompt({
        workspace: input.workspace,
        tools: input.tools,
        files,
        modelRef,
        now: now(),
        timeZone,
        channel: input.channel,
        extraSystemPrompt: input.extraSystemPrompt,
        ...deps.limits?.(),
      });
      const runtime = input.firstTurn
        ? runtimeLine({
          agentId: input.agentId,
          sessionKey: input.sessionKey,
          sessionId: input.sessionId,
          workspace: input.workspace,
          modelRef,
          defaultModelRef: deps.defaultModelRef?.(),
          channel: input.channel,
          ...host,
        })
        : undefined;
      return {
        system: text,
        report: report as unknown as Record<string, unknown>,
        userText: (t) => projectUserText(t, { at: now(), timeZone, runtime }),
      };
    },
  };
}

function hostFacts(): { host?: string; os?: string; runtime?: string } {
  let host: string | undefined;
  let release = "";
  try {
    host = Deno.hostname();
    release = ` ${Deno.osRelease()}`;
  } catch {
    // No --allow-sys: leave the host out.
  }
  return {
    host,
    os: `${Deno.build.os}${release} (${Deno.build.arch})`,
    runtime: `deno ${Deno.version.deno}`,
  };
}
