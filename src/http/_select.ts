/**
 * Agent and session selection shared by the OpenAI-compatible endpoints
 * (spec http.md section 1): headers first, then the `model` field, then the
 * default agent; `x-openclaw-session-key`, else a stable per-`user` key,
 * else a fresh key per request. Private to `src/http/`.
 *
 * @module
 */

import { badRequest } from "./_common.ts";
import { foldAgentId } from "../config/agents.ts";
import type { HttpAgent } from "./_agent.ts";
import type { TurnPrompt } from "./_prompt.ts";
import type { RunRequest, ToolSchema } from "../agent/types.ts";

const AGENT_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const RESERVED_PREFIXES = ["subagent:", "cron:", "acp:", "hook:"];
const MAX_HEADER_CHARS = 256;

/** Who runs the turn, in which session, for which channel. */
export interface Selection {
  agentId: string;
  sessionKey: string;
  channel: string;
  /** `x-openclaw-model`: the backend model for this run. */
  model?: string;
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers.get(name)?.trim();
  if (!v) return undefined;
  if (v.length > MAX_HEADER_CHARS) {
    throw badRequest(`Header ${name} is longer than ${MAX_HEADER_CHARS} characters`);
  }
  return v;
}

function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  }
  return false;
}

function agentFromModel(model: unknown): string | undefined {
  if (typeof model !== "string") return undefined;
  const m = model.trim();
  if (/^openclaw(\/default)?$/i.test(m)) return undefined;
  const hit = /^(?:openclaw[:/]|agent:)(.+)$/i.exec(m);
  return hit ? hit[1] : undefined;
}

/**
 * Resolves the agent and session of a request; 400 for an agent id that is
 * malformed or not configured, or a reserved session key.
 */
export function selectRun(
  req: Request,
  body: { model?: unknown; user?: unknown },
  agent: HttpAgent,
  kind: "openai" | "openresponses",
): Selection {
  const agents = agent.agents();
  const raw = header(req, "x-openclaw-agent-id") ?? header(req, "x-openclaw-agent") ??
    agentFromModel(body.model);
  let agentId = agents.defaultId;
  if (raw !== undefined) {
    if (!AGENT_ID_RE.test(raw)) {
      throw badRequest(
        `Invalid agent id "${raw.slice(0, 64)}": use letters, digits, "-" and "_" (max 64)`,
      );
    }
    agentId = foldAgentId(raw);
    if (!agents.ids.includes(agentId)) {
      throw badRequest(
        `Unknown agent "${agentId}": configure it in agents.list, or use one of ` +
          agents.ids.map((a) => `"${a}"`).join(", "),
      );
    }
  }
  const explicit = header(req, "x-openclaw-session-key");
  let sessionKey: string;
  if (explicit) {
    const lower = explicit.toLowerCase();
    const tail = lower.startsWith("agent:") ? lower.split(":").slice(2).join(":") : lower;
    if (RESERVED_PREFIXES.some((p) => lower.startsWith(p) || tail.startsWith(p))) {
      throw badRequest(
        `Invalid x-openclaw-session-key "${explicit}": the prefixes subagent:, cron:, acp: and ` +
          "hook: are reserved",
      );
    }
    sessionKey = explicit;
  } else if (typeof body.user === "string" && body.user.trim()) {
    const user = body.user.trim();
    if (user.length > 128 || /\s/.test(user) || hasControlChars(user)) {
      throw badRequest("Invalid user: at most 128 characters, no spaces or control characters");
    }
    sessionKey = `agent:${agentId}:${kind}-user:${user}`;
  } else {
    sessionKey = `agent:${agentId}:${kind}:${crypto.randomUUID()}`;
  }
  const channel = header(req, "x-openclaw-message-channel") ?? "webchat";
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/i.test(channel)) {
    throw badRequest(`Invalid x-openclaw-message-channel "${channel.slice(0, 64)}"`);
  }
  const model = header(req, "x-openclaw-model");
  return { agentId, sessionKey, channel: channel.toLowerCase(), ...(model ? { model } : {}) };
}

/**
 * The engine request of one API turn: the same shape for chat completions and
 * responses, which differ only in ids and client name.
 */
export function runRequestOf(
  id: string,
  parts: { turn: TurnPrompt; sel: Selection; tools?: ToolSchema[] },
  client: string,
): RunRequest {
  const { turn, sel, tools } = parts;
  return {
    idempotencyKey: id,
    message: turn.message,
    ...(turn.images.length ? { images: turn.images } : {}),
    agentId: sel.agentId,
    sessionKey: sel.sessionKey,
    channel: sel.channel,
    ...(sel.model ? { model: sel.model } : {}),
    history: turn.history,
    ...(turn.extraSystemPrompt ? { extraSystemPrompt: turn.extraSystemPrompt } : {}),
    ...(tools ? { clientTools: tools } : {}),
    client: { id: client, mode: "api" },
  };
}
