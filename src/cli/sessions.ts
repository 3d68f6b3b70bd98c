/**
 * `openclaw sessions` and `openclaw models list`: what the running gateway
 * knows about sessions and configured models.
 *
 * @module
 */

import type { Command } from "commander";

import { allFlags, type CliContext } from "./context.ts";
import { addTargetOptions, type ClientFlags, withClient } from "./rpc.ts";

interface SessionsAnswer {
  count: number;
  totalCount: number;
  path: string;
  sessions: Array<
    { key: string; updatedAt?: number; totalTokens?: number; label?: string; model?: string }
  >;
}

interface ModelsAnswer {
  models: Array<{
    id: string;
    provider: string;
    name: string;
    contextWindow: number;
    isDefault: boolean;
    credential: { kind: string; name?: string };
  }>;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86_400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

/** One line per session: key, last activity, tokens, label. */
function formatSessions(a: SessionsAnswer, now = Date.now()): string {
  if (!a.sessions.length) return `No sessions yet (${a.path})`;
  const lines = a.sessions.map((s) =>
    [
      s.key,
      s.updatedAt ? ago(now - s.updatedAt) : "-",
      `${s.totalTokens ?? 0} tokens`,
      s.label ? `"${s.label}"` : "",
    ].filter(Boolean).join("  ")
  );
  lines.push(`${a.count} of ${a.totalCount} session(s) in ${a.path}`);
  return lines.join("\n");
}

/** One line per model: ref, context window, credential source (never the key). */
function formatModels(a: ModelsAnswer): string {
  if (!a.models.length) return 'No models configured (add one under "models.providers")';
  return a.models.map((m) =>
    `${m.isDefault ? "*" : " "} ${m.provider}/${m.id}  ${m.name}  ctx ${m.contextWindow}  key: ${
      m.credential.kind === "none" ? "MISSING" : `${m.credential.kind} ${m.credential.name ?? ""}`
        .trim()
    }`
  ).join("\n");
}

/** Registers `sessions` and `models list`. */
export function registerSessionCommands(
  program: Command,
  context: (cmd: Command) => CliContext,
): void {
  addTargetOptions(program.command("sessions").description("List the gateway's sessions"))
    .action(async (_f: unknown, cmd: Command) => {
      const ctx = context(cmd);
      const flags = allFlags<ClientFlags>(cmd);
      const a = await withClient(ctx, flags, (c) => c.request<SessionsAnswer>("sessions.list", {}));
      ctx.io.out(flags.json ? JSON.stringify(a, null, 2) : formatSessions(a));
    });
  const models = program.command("models").description("Configured models");
  addTargetOptions(models.command("list").description("List configured models and their keys"))
    .action(async (_f: unknown, cmd: Command) => {
      const ctx = context(cmd);
      const flags = allFlags<ClientFlags>(cmd);
      const a = await withClient(ctx, flags, (c) => c.request<ModelsAnswer>("models.list", {}));
      ctx.io.out(flags.json ? JSON.stringify(a, null, 2) : formatModels(a));
    });
}
