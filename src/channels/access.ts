/**
 * Who may talk to the assistant (spec channels.md sections 2 and 4): DM
 * policy with pairing, group allowlist, group sender policy and mention
 * gating, and the pending group history injected as context.
 *
 * @module
 */

import type { AccessSettings, InboundEnvelope } from "./types.ts";

/** Normalises allow-list entries: `telegram:123` / `tg:123` -> `123`; `*` stays. */
function normalizeAllowEntry(entry: string | number): string {
  return String(entry).trim().replace(/^(telegram|tg):/i, "");
}

function listed(list: readonly (string | number)[] | undefined, id: string): boolean {
  return (list ?? []).some((e) => {
    const n = normalizeAllowEntry(e);
    return n === "*" || n === id;
  });
}

/** What to do with a DM. */
export type DmDecision = "allow" | "pair" | "drop";

/** DM policy: `allowed` is the pairing store's list for this account. */
export function decideDm(
  env: InboundEnvelope,
  access: AccessSettings,
  pairedSenders: readonly string[],
): DmDecision {
  switch (access.dmPolicy) {
    case "disabled":
      return "drop";
    case "open":
      // `open` needs "*" in allowFrom (validated at config load); be strict anyway.
      return listed(access.allowFrom, env.senderId) ? "allow" : "drop";
    case "allowlist":
      return access.allowFrom.some((e) => normalizeAllowEntry(e) === env.senderId) ||
          access.allowFrom.includes("*")
        ? "allow"
        : "drop";
    default:
      if (listed(access.allowFrom, env.senderId)) return "allow";
      return pairedSenders.includes(env.senderId) ? "allow" : "pair";
  }
}

/** What to do with a group message. */
export type GroupDecision = "answer" | "history" | "drop";

/** Compiles `mentionPatterns` once; a bad pattern is skipped (config validation names it). */
export function compileMentionPatterns(patterns: readonly string[]): RegExp[] {
  const out: RegExp[] = [];
  for (const p of patterns) {
    try {
      out.push(new RegExp(p, "i"));
    } catch {
      // Reported by config validation; never crash the pipeline on it.
    }
  }
  return out;
}

/**
 * Group gating: the chat must be listed in `groups` (or `"*"`), the sender
 * allowed by `groupPolicy` (`groupAllowFrom`, falling back to `allowFrom`,
 * never the DM pairing store), and with `requireMention` the bot mentioned
 * natively or by a `mentionPatterns` match. A message that passes the first
 * two but not the mention check goes to the pending history.
 */
export function decideGroup(
  env: InboundEnvelope,
  access: AccessSettings,
  patterns: readonly RegExp[],
): GroupDecision {
  if (access.groupPolicy === "disabled" || !access.groups) return "drop";
  const group = access.groups[env.chatId] ?? access.groups["*"];
  if (!group || group.enabled === false) return "drop";
  if (access.groupPolicy === "allowlist") {
    const senders = access.groupAllowFrom ?? access.allowFrom;
    if (!listed(senders, env.senderId)) return "drop";
  }
  const requireMention = group.requireMention ?? access.requireMention;
  if (!requireMention) return "answer";
  if (env.mentioned || patterns.some((re) => re.test(env.text))) return "answer";
  return "history";
}

/** One buffered group line. */
export interface HistoryLine {
  sender: string;
  text: string;
}

/** Pending group history per chat (bounded by `historyLimit`, cleared when answered). */
export class GroupHistory {
  #lines = new Map<string, HistoryLine[]>();
  /** Chats tracked at most; the oldest is forgotten first. */
  #maxChats: number;

  constructor(maxChats = 500) {
    this.#maxChats = maxChats;
  }

  /** Buffers a line for `key`; keeps the newest `limit` (0 disables). */
  push(key: string, line: HistoryLine, limit: number): void {
    if (limit <= 0) return;
    const lines = this.#lines.get(key) ?? [];
    lines.push({ sender: line.sender, text: line.text.slice(0, 4000) });
    while (lines.length > limit) lines.shift();
    this.#lines.delete(key);
    this.#lines.set(key, lines);
    if (this.#lines.size > this.#maxChats) {
      this.#lines.delete(this.#lines.keys().next().value!);
    }
  }

  /** Takes (and clears) the buffered lines of `key`. */
  take(key: string): HistoryLine[] {
    const lines = this.#lines.get(key) ?? [];
    this.#lines.delete(key);
    return lines;
  }
}

/** `Alice (@alice)` style display name of the sender. */
export function senderLabel(env: InboundEnvelope): string {
  const name = env.senderName ?? env.senderUsername ?? env.senderId;
  return env.senderUsername && env.senderName ? `${name} (@${env.senderUsername})` : name;
}

/**
 * The agent message for a group: the spec's context block when there is
 * pending history, and the sender suffix.
 */
export function buildGroupMessage(env: InboundEnvelope, history: readonly HistoryLine[]): string {
  const current = `${env.text}\n[from: ${senderLabel(env)} (${env.senderId})]`;
  if (!history.length) return current;
  return [
    "[Chat messages since your last reply - for context]",
    ...history.map((l) => `${l.sender}: ${l.text}`),
    "",
    "[Current message - respond to this]",
    current,
  ].join("\n");
}
