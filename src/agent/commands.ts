/**
 * Slash commands answered by the gateway without a model call (spec
 * `agent.md` section 9): `/new`, `/reset`, `/status`, `/stop`, `/think`,
 * `/model`, `/help`. A message is a command only when it is the command
 * alone (`/think high`); anything else, including unknown `/words`, goes to
 * the model.
 *
 * @module
 */

import type { EngineCommands } from "./ports.ts";
import { WIRE_THINKING_LEVELS } from "../../protocol/schemas/agent.ts";
import { stamp } from "./prompt.ts";
import type { ModelCatalog, ResolvedModel, SessionEntry, ThinkingLevel } from "./types.ts";

/** Every thinking level, in the spec's order (the wire's list). */
export const ALL_THINKING_LEVELS: readonly ThinkingLevel[] = WIRE_THINKING_LEVELS;
const LEVEL_ALIASES: Record<string, ThinkingLevel> = {
  "x-high": "xhigh",
  "extra-high": "xhigh",
  highest: "high",
  none: "off",
};
/** Longest message looked at as a command. */
const MAX_COMMAND_CHARS = 512;

/** What the commands may read or change. */
export interface CommandDeps {
  sessions: {
    reset(key: string, reason: string): Promise<SessionEntry>;
    patch(key: string, fields: Record<string, unknown>): Promise<SessionEntry>;
  };
  catalog: Pick<ModelCatalog, "resolve" | "defaultRefs"> & Partial<Pick<ModelCatalog, "list">>;
  /** Aborts the session's running runs; returns their ids. */
  abort(sessionKey: string): string[];
  /** For `/status`. */
  version: string;
  startedAt: number;
  now?: () => number;
  timeZone?: string;
}

/** The session a command runs in. */
export interface CommandTarget {
  agentId: string;
  sessionKey: string;
  entry: SessionEntry;
  /** The run carrying the command (not aborted by `/stop`). */
  runId?: string;
}

/** A parsed command. */
export interface ParsedCommand {
  name: "new" | "reset" | "status" | "stop" | "think" | "model" | "help";
  arg?: string;
}

const NAMES: Record<string, ParsedCommand["name"]> = {
  new: "new",
  reset: "reset",
  status: "status",
  stop: "stop",
  think: "think",
  thinking: "think",
  t: "think",
  model: "model",
  help: "help",
  commands: "help",
};
const TAKES_ARG = new Set(["new", "think", "model"]);

/** Parses `/name [arg]` (also `/think:high`); undefined when not one of ours. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const t = text.trim();
  if (!t.startsWith("/") || t.length > MAX_COMMAND_CHARS) return undefined;
  const m = t.match(/^\/([A-Za-z]+)(?::(\S+))?(?:\s+(\S+))?$/);
  if (!m) return undefined;
  const name = NAMES[m[1].toLowerCase()];
  if (!name) return undefined;
  const arg = m[2] ?? m[3];
  if (m[2] && m[3]) return undefined;
  if (arg !== undefined && !TAKES_ARG.has(name)) return undefined;
  return { name, ...(arg !== undefined ? { arg } : {}) };
}

/** Runs a command; `handled: false` means "send it to the model". */
export async function runCommand(
  text: string,
  target: CommandTarget,
  deps: CommandDeps,
): Promise<{ handled: false } | { handled: true; command: string; reply: string }> {
  const cmd = parseCommand(text);
  if (!cmd) return { handled: false };
  const reply = await answer(cmd, target, deps);
  return { handled: true, command: cmd.name, reply };
}

/** The commands as the engine's `RunParts.commands`. */
export function createCommands(deps: CommandDeps): EngineCommands {
  return {
    async handle(message, ctx) {
      const r = await runCommand(message, ctx, deps);
      return r.handled ? { text: r.reply } : undefined;
    },
  };
}

async function answer(cmd: ParsedCommand, t: CommandTarget, deps: CommandDeps): Promise<string> {
  switch (cmd.name) {
    case "new":
    case "reset": {
      let model: ResolvedModel | undefined;
      if (cmd.arg) {
        const picked = pickModel(cmd.arg, deps);
        if (typeof picked === "string") return picked;
        model = picked;
      }
      await deps.sessions.reset(t.sessionKey, cmd.name);
      const done = cmd.name === "new" ? "✅ New session started." : "✅ Session reset.";
      if (!model) return done;
      await deps.sessions.patch(t.sessionKey, {
        providerOverride: model.ref.provider,
        modelOverride: model.ref.model,
      });
      return `${done}\nModel set to ${refOf(model)}.`;
    }
    case "stop": {
      const ids = deps.abort(t.sessionKey).filter((id) => id !== t.runId);
      return ids.length
        ? "⚙️ Agent was aborted."
        : "⚙️ Nothing to stop: no run is active in this session.";
    }
    case "think":
      return await think(cmd.arg, t, deps);
    case "model":
      return await model(cmd.arg, t, deps);
    case "status":
      return status(t, deps);
    case "help":
      return [
        "Commands:",
        "/new [provider/model] - start over (the transcript is kept; the model forgets)",
        "/reset - same as /new",
        "/status - model, tokens, context and session",
        "/stop - abort the running reply",
        "/think <level> - set the thinking level (/think alone shows the options)",
        "/model <provider/model> - switch model (/model default goes back)",
        "/help - this list",
      ].join("\n");
  }
}

async function think(arg: string | undefined, t: CommandTarget, deps: CommandDeps) {
  const current = currentModel(t, deps);
  const levels = current.model?.thinkingLevels ?? ["off"];
  const ref = current.ref;
  if (!arg) {
    return `Current thinking level: ${t.entry.thinkingLevel ?? "off"}. Options: ${
      levels.join(", ")
    }.`;
  }
  const raw = arg.toLowerCase();
  const level = (LEVEL_ALIASES[raw] ?? raw) as ThinkingLevel;
  if (!ALL_THINKING_LEVELS.includes(level)) {
    return `Unrecognized thinking level "${arg}". Valid levels: ${ALL_THINKING_LEVELS.join(", ")}.`;
  }
  if (!levels.includes(level)) {
    return `Thinking level "${level}" is not supported for ${ref}. Use one of: ${
      levels.join(", ")
    }.`;
  }
  await deps.sessions.patch(t.sessionKey, { thinkingLevel: level });
  return `Thinking level set to ${level}.`;
}

async function model(arg: string | undefined, t: CommandTarget, deps: CommandDeps) {
  if (!arg) {
    const { ref } = currentModel(t, deps);
    const list = deps.catalog.list?.().map((m) => `${m.provider}/${m.id}`) ?? [];
    return `Current model: ${ref}.` + (list.length ? `\nAvailable: ${list.join(", ")}` : "");
  }
  if (arg === "default" || arg === "reset") {
    await deps.sessions.patch(t.sessionKey, { providerOverride: null, modelOverride: null });
    const head = deps.catalog.defaultRefs(t.agentId)[0];
    return `Model reset to the default${head ? ` (${head.provider}/${head.model})` : ""}.`;
  }
  const picked = pickModel(arg, deps);
  if (typeof picked === "string") return picked;
  await deps.sessions.patch(t.sessionKey, {
    providerOverride: picked.ref.provider,
    modelOverride: picked.ref.model,
  });
  return `Model set to ${refOf(picked)}.`;
}

function pickModel(arg: string, deps: CommandDeps): ResolvedModel | string {
  if (!/^[^/\s]+\/\S+$/.test(arg)) {
    return `Model "${arg}" is not a provider/model reference (for example /model openai/gpt-6-astra).`;
  }
  try {
    return deps.catalog.resolve(arg);
  } catch (err) {
    return `Cannot switch to ${arg}: ${(err as Error).message}`;
  }
}

function currentModel(t: CommandTarget, deps: CommandDeps): {
  ref: string;
  model?: ResolvedModel;
  error?: string;
} {
  const head = t.entry.providerOverride && t.entry.modelOverride
    ? { provider: t.entry.providerOverride, model: t.entry.modelOverride }
    : deps.catalog.defaultRefs(t.agentId)[0];
  if (!head) return { ref: "(none configured)" };
  const ref = `${head.provider}/${head.model}`;
  try {
    return { ref, model: deps.catalog.resolve(head) };
  } catch (err) {
    return { ref, error: (err as Error).message };
  }
}

function status(t: CommandTarget, deps: CommandDeps): string {
  const now = deps.now?.() ?? Date.now();
  const tz = deps.timeZone ?? "UTC";
  const e = t.entry;
  const { ref, model, error } = currentModel(t, deps);
  const auth = !model
    ? `unavailable (${error ?? "no model"})`
    : model.credential.kind === "none"
    ? "none"
    : `api-key (${model.credential.kind}${
      model.credential.name ? `: ${model.credential.name}` : ""
    })`;
  const window = model?.contextWindow ?? num(e.contextTokens);
  const used = num(e.totalTokens);
  const pct = window ? Math.round((used / window) * 100) : 0;
  const cost = num(e.costTotal);
  return [
    `🦞 OpenClaw ${deps.version}`,
    `🕒 Time: ${stamp(new Date(now), tz)} · uptime ${ago(now - deps.startedAt)}`,
    `🧠 Model: ${ref}`,
    `🔑 Auth: ${auth}`,
    `🧮 Tokens: ${short(num(e.inputTokens))} in / ${short(num(e.outputTokens))} out`,
    ...(cost > 0 ? [`💵 Cost: $${cost.toFixed(4)}`] : []),
    `📚 Context: ${short(used)}/${short(window)} (${pct}%)`,
    `🧵 Session: ${t.sessionKey} • started ${ago(now - e.sessionStartedAt)} ago • updated ${
      now - e.updatedAt < 60_000 ? "just now" : `${ago(now - e.updatedAt)} ago`
    }`,
    `🎛️ Modes: think ${e.thinkingLevel ?? "off"}`,
    `🪢 Queue: steer`,
  ].join("\n");
}

function refOf(m: ResolvedModel): string {
  return `${m.ref.provider}/${m.ref.model}`;
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** `1.2k`, `128k`, `14`. */
function short(n: number): string {
  if (n < 1000) return String(n);
  const k = n / 1000;
  return `${k < 10 ? Math.round(k * 10) / 10 : Math.round(k)}k`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
