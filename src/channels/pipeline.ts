/**
 * The shared inbound -> agent -> reply pipeline, in the spec's order
 * (channels.md section 1): drop duplicates and own echoes -> access control
 * (DM policy, pairing) -> group gating (pending history) -> typing -> agent
 * run on the routed session key -> reply (streaming preview, prefix,
 * chunks, `NO_REPLY` suppressed). Messages for a busy session wait in its
 * lane, in order. Adapters normalise before they deliver.
 *
 * @module
 */

import type { AgentEngine, RunEvent, RunRequest, RunResult } from "../agent/types.ts";
import { emptyUsage } from "../agent/_usage.ts";
import type { Logger } from "../log/logger.ts";
import {
  buildGroupMessage,
  compileMentionPatterns,
  decideDm,
  decideGroup,
  type DmDecision,
  GroupHistory,
  senderLabel,
} from "./access.ts";
import { createReplyWriter } from "./_reply.ts";
import type { PairingStore } from "./pairing.ts";
import type {
  AccessSettings,
  ChannelAdapter,
  ChannelTarget,
  InboundEnvelope,
  ReplySettings,
} from "./types.ts";

/** Per channel account: who may talk, how replies look, where runs go. */
export interface PipelineSettings {
  access: AccessSettings;
  reply: ReplySettings;
  /** `messages.responsePrefix`. */
  responsePrefix?: string;
  /** `session.mainKey` (default `main`). */
  mainKey: string;
  agentId: string;
}

/** What the pipeline needs. */
export interface PipelineDeps {
  /** The agent engine; `undefined` until one is composed (messages are then dropped, logged). */
  engine: () => AgentEngine | undefined;
  pairing: PairingStore;
  settings(channel: string, accountId: string): PipelineSettings;
  adapter(channel: string, accountId: string): ChannelAdapter | undefined;
  log: Logger;
  /** Typing indicator refresh (Telegram shows one for about 5 s). */
  typingIntervalMs?: number;
  /** Minimum time between streaming preview edits. */
  streamThrottleMs?: number;
  now?: () => number;
}

/** Duplicate keys remembered per account. */
const DEDUPE_WINDOW = 2000;

/** The pipeline: adapters deliver into {@link Pipeline.handle}. */
export interface Pipeline {
  /** Handles one message; resolves once it is answered or dropped (never rejects). */
  handle(env: InboundEnvelope): Promise<void>;
  /** Session key a message routes to (spec section 1: DMs -> main, groups -> per group/topic). */
  sessionKeyFor(env: InboundEnvelope): string;
}

/** Builds the pipeline. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const seen = new Map<string, Set<string>>();
  const lanes = new Map<string, Promise<void>>();
  const history = new GroupHistory();
  const patterns = new Map<string, RegExp[]>();
  const lastErrorReply = new Map<string, number>();
  let warnedNoEngine = false;

  const duplicate = (env: InboundEnvelope): boolean => {
    const k = `${env.channel}:${env.accountId}`;
    let set = seen.get(k);
    if (!set) seen.set(k, set = new Set());
    if (set.has(env.dedupeKey)) return true;
    set.add(env.dedupeKey);
    if (set.size > DEDUPE_WINDOW) set.delete(set.values().next().value!);
    return false;
  };

  const sessionKeyFor = (env: InboundEnvelope): string => {
    const s = deps.settings(env.channel, env.accountId);
    if (env.chatType === "dm") return `agent:${s.agentId}:${s.mainKey}`;
    const base = `agent:${s.agentId}:${env.channel}:group:${env.chatId}`;
    return env.threadId ? `${base}:topic:${env.threadId}` : base;
  };

  /** Runs `fn` after everything queued for `key` (order kept; a failure does not block the lane). */
  const inLane = (key: string, fn: () => Promise<void>): Promise<void> => {
    const prev = lanes.get(key) ?? Promise.resolve();
    const next = prev.then(fn).catch((err) =>
      log.error(`channel message failed: ${(err as Error).message}`, { sessionKey: key })
    );
    lanes.set(key, next);
    void next.then(() => {
      if (lanes.get(key) === next) lanes.delete(key);
    });
    return next;
  };

  const pair = async (env: InboundEnvelope, adapter: ChannelAdapter) => {
    const { created, code } = await deps.pairing.request(env.channel, env.accountId, env.senderId, {
      ...(env.senderName ? { name: env.senderName } : {}),
      ...(env.senderUsername ? { username: env.senderUsername } : {}),
    });
    if (!created || !code) return;
    log.info(`pairing request from ${env.channel} sender ${env.senderId}`, {
      channel: env.channel,
      accountId: env.accountId,
    });
    await adapter.sendText({ chatId: env.chatId }, pairingReply(env, code));
  };

  const answer = async (
    env: InboundEnvelope,
    adapter: ChannelAdapter,
    s: PipelineSettings,
    message: string,
    sessionKey: string,
  ) => {
    const engine = deps.engine();
    if (!engine) {
      if (!warnedNoEngine) log.warn("channel message dropped: no agent engine is configured");
      warnedNoEngine = true;
      return;
    }
    const target: ChannelTarget = { chatId: env.chatId, threadId: env.threadId };
    const quoted: ChannelTarget = { ...target, replyToMessageId: env.messageId };
    const typing = () => void adapter.sendTyping?.(target).catch(() => {});
    typing();
    const typingTimer = setInterval(typing, deps.typingIntervalMs ?? 4000);
    const runId = `${env.channel}:${env.accountId}:${env.dedupeKey}`;
    const writer = createReplyWriter({
      adapter,
      target: quoted,
      reply: s.reply,
      prefix: s.responsePrefix,
      log,
      throttleMs: deps.streamThrottleMs ?? 400,
    });
    const off = engine.subscribe((ev: RunEvent) => {
      if (ev.event !== "chat" || ev.payload.runId !== runId) return;
      if (ev.payload.state !== "delta") return;
      const msg = ev.payload.message as { content?: Array<{ type: string; text?: string }> };
      const text = msg?.content?.filter((p) => p.type === "text").map((p) => p.text).join("");
      if (typeof text === "string") writer.update(text);
    });
    try {
      // Media is fetched only now: the sender is allowed and the message triggers a run.
      const images = env.images ?? await env.loadImages?.().catch(() => undefined);
      const result = await runOnce(engine, {
        idempotencyKey: runId,
        message,
        sessionKey,
        agentId: s.agentId,
        channel: env.channel,
        // Slash commands (/new, /status, ...) are the gateway's, before the agent (spec section 1).
        interpretCommands: true,
        // A journaled message replayed after a restart cut its run off runs again.
        retryInterrupted: true,
        ...(images?.length
          ? { images: images.map((i) => ({ type: "image" as const, ...i })) }
          : {}),
      });
      clearInterval(typingTimer);
      if (result.status === "ok") {
        await writer.finish(result.text);
        return;
      }
      await writer.finish("");
      log.warn(`agent run for ${env.channel} chat ${env.chatId} ended ${result.status}`, {
        runId,
        error: result.error,
      });
      if (s.reply.errorPolicy === "silent") return;
      const key = `${env.channel}:${env.accountId}:${env.chatId}`;
      const last = lastErrorReply.get(key) ?? -Infinity;
      if (now() - last < s.reply.errorCooldownMs) return;
      lastErrorReply.delete(key);
      lastErrorReply.set(key, now());
      if (lastErrorReply.size > DEDUPE_WINDOW) {
        lastErrorReply.delete(lastErrorReply.keys().next().value!);
      }
      await adapter.sendText(
        target,
        `⚠️ Agent failed before reply: ${result.error ?? result.status}`,
      );
    } finally {
      clearInterval(typingTimer);
      off();
    }
  };

  const handle = async (env: InboundEnvelope): Promise<void> => {
    try {
      if (env.fromSelf || duplicate(env)) return;
      const adapter = deps.adapter(env.channel, env.accountId);
      if (!adapter) return;
      const s = deps.settings(env.channel, env.accountId);
      if (env.chatType === "dm") {
        // The pairing store is read only for senders the config does not allow already.
        let verdict: DmDecision = env.trusted ? "allow" : decideDm(env, s.access, []);
        if (verdict === "pair") {
          verdict = decideDm(env, s.access, await deps.pairing.allowed(env.channel, env.accountId));
        }
        if (verdict === "drop") return;
        if (verdict === "pair") return await pair(env, adapter);
        env.onAccepted?.();
        const key = sessionKeyFor(env);
        return await inLane(key, () => answer(env, adapter, s, env.text, key));
      }
      const pk = s.access.mentionPatterns.join("\u0000");
      if (!patterns.has(pk)) patterns.set(pk, compileMentionPatterns(s.access.mentionPatterns));
      const verdict = decideGroup(env, s.access, patterns.get(pk)!);
      if (verdict === "drop") return;
      env.onAccepted?.();
      const key = sessionKeyFor(env);
      if (verdict === "history") {
        history.push(key, { sender: senderLabel(env), text: env.text }, s.access.historyLimit);
        return;
      }
      return await inLane(key, () => {
        const message = buildGroupMessage(env, history.take(key));
        return answer(env, adapter, s, message, key);
      });
    } catch (err) {
      log.error(`inbound ${env.channel} message dropped: ${(err as Error).message}`, {
        chatId: env.chatId,
      });
    }
  };

  return {
    handle,
    sessionKeyFor,
  };
}

/** Runs one turn; an engine that throws counts as a failed run (the error policy answers). */
async function runOnce(engine: AgentEngine, req: RunRequest): Promise<RunResult> {
  try {
    return await (await engine.run(req)).done;
  } catch (err) {
    const now = Date.now();
    return {
      runId: req.idempotencyKey,
      sessionKey: req.sessionKey ?? "",
      sessionId: "",
      agentId: req.agentId ?? "main",
      status: "error",
      text: "",
      error: (err as Error).message,
      usage: emptyUsage(),
      startedAt: now,
      endedAt: now,
    };
  }
}

/** The reply an unknown DM sender gets (once per request). */
function pairingReply(env: InboundEnvelope, code: string): string {
  return [
    "OpenClaw: access not configured.",
    "",
    `Your ${env.channel} user id: ${env.senderId}`,
    `Pairing code: ${code}`,
    "",
    "Ask the bot owner to approve with:",
    `openclaw pairing approve ${env.channel} ${code}`,
  ].join("\n");
}
