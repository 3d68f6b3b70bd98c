/**
 * Session keys (spec `agent.md` section 7.1): one canonical spelling per
 * session, so `main`, `agent:main:main` and `Agent:Main:main` all land on
 * the same index row and transcript.
 *
 * @module
 */

import { foldAgentId } from "../../config/agents.ts";

/** Longest session key accepted (the `chat.send` limit). */
export const MAX_SESSION_KEY_LENGTH = 512;
/** Longest agent id accepted; it becomes a folder name. */
export const MAX_AGENT_ID_LENGTH = 64;
/** Longest session id accepted; it becomes a file name. */
export const MAX_SESSION_ID_LENGTH = 128;
/** The default agent id. */
export const DEFAULT_AGENT_ID = "main";
/** The default main key (`session.mainKey`). */
export const DEFAULT_MAIN_KEY = "main";

const AGENT_ID_RE = /^[a-z0-9][a-z0-9_-]*$/;
const SESSION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Printable, no whitespace: keys appear in logs, file rows and URLs.
const KEY_CHAR_RE = /^[\x21-\x7e\u00a0-\uffff]+$/;

/** A malformed key, agent id or session id; the message names the value and the fix. */
export class SessionKeyError extends Error {
  /** The offending value (cut to 80 characters). */
  readonly value: string;
  constructor(message: string, value: string) {
    super(message);
    this.name = "SessionKeyError";
    this.value = value.slice(0, 80);
  }
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/**
 * Checks and lower-cases an agent id (`main`, `work-bot`): letters, digits,
 * `-` and `_`, at most 64 characters.
 */
export function normalizeAgentId(id: string): string {
  const lower = foldAgentId(id);
  if (lower.length === 0 || lower.length > MAX_AGENT_ID_LENGTH || !AGENT_ID_RE.test(lower)) {
    throw new SessionKeyError(
      `Invalid agent id ${quote(id)}: use letters, digits, "-" or "_" ` +
        `(at most ${MAX_AGENT_ID_LENGTH} characters, starting with a letter or digit)`,
      id,
    );
  }
  return lower;
}

/** Whether `id` can be used as a transcript file name as it is. */
export function isSafeSessionId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_SESSION_ID_LENGTH && SESSION_ID_RE.test(id);
}

/** Checks a caller-supplied session id; throws naming the value when it is not file-name safe. */
export function validateSessionId(id: string): string {
  if (!isSafeSessionId(id)) {
    throw new SessionKeyError(
      `Invalid sessionId ${quote(id)}: use letters, digits, ".", "_" or "-" ` +
        `(at most ${MAX_SESSION_ID_LENGTH} characters, starting with a letter or digit)`,
      id,
    );
  }
  return id;
}

/** Options of {@link canonicalSessionKey}. */
export interface KeyOptions {
  /** Agent a bare key belongs to (default `main`). */
  agentId?: string;
  /** `session.mainKey` (default `main`). */
  mainKey?: string;
}

/**
 * The canonical form of a session key:
 * - `main` (or the configured main key) -> `agent:<agentId>:<mainKey>`
 * - `agent:<id>:<rest>` -> agent id lower-cased, rest kept
 * - `global`, `cron:<id>`, `hook:<id>` -> as given
 * - any other bare key `k` -> `agent:<agentId>:k`
 *
 * Throws {@link SessionKeyError} for empty, over-long, whitespace-bearing
 * keys or an `agent:` key without an id or a rest.
 *
 * @example
 * ```ts
 * canonicalSessionKey("main"); // "agent:main:main"
 * canonicalSessionKey("agent:Work:main"); // "agent:work:main"
 * ```
 */
export function canonicalSessionKey(raw: string, opts: KeyOptions = {}): string {
  const key = raw.trim();
  if (key.length === 0) {
    throw new SessionKeyError('Invalid session key "": give a key such as "main"', raw);
  }
  if (key.length > MAX_SESSION_KEY_LENGTH) {
    throw new SessionKeyError(
      `Invalid session key ${quote(key)}: longer than ${MAX_SESSION_KEY_LENGTH} characters`,
      raw,
    );
  }
  if (!KEY_CHAR_RE.test(key)) {
    throw new SessionKeyError(
      `Invalid session key ${quote(key)}: spaces and control characters are not allowed`,
      raw,
    );
  }
  const agentId = normalizeAgentId(opts.agentId ?? DEFAULT_AGENT_ID);
  const mainKey = opts.mainKey ?? DEFAULT_MAIN_KEY;
  const lower = key.toLowerCase();
  if (lower === "main" || key === mainKey) return `agent:${agentId}:${mainKey}`;
  if (lower === "global") return "global";
  if (lower.startsWith("agent:")) {
    const rest = key.slice("agent:".length);
    const colon = rest.indexOf(":");
    if (colon <= 0 || colon === rest.length - 1) {
      throw new SessionKeyError(
        `Invalid session key ${
          quote(key)
        }: expected "agent:<agentId>:<name>", e.g. "agent:main:main"`,
        raw,
      );
    }
    return `agent:${normalizeAgentId(rest.slice(0, colon))}:${rest.slice(colon + 1)}`;
  }
  if (lower.startsWith("cron:") || lower.startsWith("hook:")) {
    if (key.indexOf(":") === key.length - 1) {
      throw new SessionKeyError(
        `Invalid session key ${quote(key)}: the id after ":" is missing`,
        raw,
      );
    }
    return key;
  }
  const full = `agent:${agentId}:${key}`;
  if (full.length > MAX_SESSION_KEY_LENGTH) {
    throw new SessionKeyError(
      `Invalid session key ${quote(key)}: longer than ${MAX_SESSION_KEY_LENGTH} characters ` +
        `once prefixed with "agent:${agentId}:"`,
      raw,
    );
  }
  return full;
}

/** `agent:<agentId>:<mainKey>`, the main session of an agent. */
export function mainSessionKey(agentId = DEFAULT_AGENT_ID, mainKey = DEFAULT_MAIN_KEY): string {
  return `agent:${normalizeAgentId(agentId)}:${mainKey}`;
}

/**
 * The session of an `agent` run given neither a key nor an id:
 * `agent:<agentId>:explicit:<idempotencyKey>` (obs.).
 */
export function explicitSessionKey(agentId: string, idempotencyKey: string): string {
  return canonicalSessionKey(`agent:${agentId}:explicit:${idempotencyKey}`);
}

/**
 * The agent a canonical key belongs to: the id of `agent:<id>:…`, else
 * `fallback` (keys such as `global` or `cron:<id>` run on the default agent).
 */
export function agentIdFromKey(key: string, fallback = DEFAULT_AGENT_ID): string {
  if (!key.startsWith("agent:")) return fallback;
  const end = key.indexOf(":", "agent:".length);
  return end > 0 ? key.slice("agent:".length, end) : fallback;
}

/** Computed key facts for `sessions.list` rows. */
export interface KeyFacts {
  agentId: string;
  /** `direct`, `group`, `channel` or `room` (the chat shape). */
  kind: "direct" | "group" | "channel" | "room";
  /** `main`, `explicit`, `http`, `cron`, `hook`, `subagent`, `global` or `other`. */
  classification: string;
  isMain: boolean;
}

/** What a canonical key says about its session. */
export function describeKey(key: string, opts: KeyOptions = {}): KeyFacts {
  const mainKey = opts.mainKey ?? DEFAULT_MAIN_KEY;
  const agentId = agentIdFromKey(key, opts.agentId ?? DEFAULT_AGENT_ID);
  const rest = key.startsWith("agent:") ? key.slice(`agent:${agentId}:`.length) : "";
  const parts = rest.split(":");
  const kind = parts.includes("group")
    ? "group"
    : parts.includes("channel")
    ? "channel"
    : parts.includes("room")
    ? "room"
    : "direct";
  let classification = "other";
  if (key === "global") classification = "global";
  else if (key.startsWith("cron:")) classification = "cron";
  else if (key.startsWith("hook:")) classification = "hook";
  else if (rest === mainKey) classification = "main";
  else if (parts[0] === "explicit") classification = "explicit";
  else if (parts[0] === "subagent") classification = "subagent";
  else if (parts[0] === "openai" || parts[0] === "openai-user" || parts[0] === "openresponses") {
    classification = "http";
  }
  return { agentId, kind, classification, isMain: classification === "main" };
}
