/**
 * The agent's `message` tool on the channels' `send` path: the same channel,
 * account and target resolution, the same "down means UNAVAILABLE at once",
 * chunking and durable idempotency ledger as the `send` method. The key is
 * the tool call's id, so one tool call delivers at most once per recipient,
 * even if the call is replayed.
 *
 * @module
 */

import type { MessageSend, MessageSendRequest, MessageSendResult } from "../agent/tools/message.ts";
import { defaultChannel, performSend, type SendDeps } from "./send.ts";
import type { ChannelAdapter } from "./types.ts";

/** Recipients of one tool call at most (the tool caps `targets` at 50 too). */
const MAX_TARGETS = 50;

/** Longest `replyTo` / `threadId` value taken. */
const MAX_ID = 64;

/** Adds `replyTo` and `threadId` to whatever target the adapter resolves. */
function withPlacement(
  adapter: ChannelAdapter,
  req: Pick<MessageSendRequest, "replyTo" | "threadId">,
): ChannelAdapter {
  if (!req.replyTo && !req.threadId) return adapter;
  return {
    ...adapter,
    // Methods of the adapter are plain closures (a record of functions).
    resolveTarget: (to) => ({
      ...adapter.resolveTarget(to),
      ...(req.threadId ? { threadId: req.threadId.slice(0, MAX_ID) } : {}),
      ...(req.replyTo ? { replyToMessageId: req.replyTo.slice(0, MAX_ID) } : {}),
    }),
  };
}

/**
 * Builds the `send` dependency of the agent's `message` tool
 * (`createToolSet(config, { send })`) from the channels' send deps.
 *
 * @example
 * ```ts
 * const send = createAgentSend(() => channels.methods.send);
 * const tools = createToolSet(config, { send });
 * ```
 */
export function createAgentSend(deps: () => SendDeps): MessageSend {
  return async (req, signal): Promise<MessageSendResult> => {
    const d = deps();
    const targets = [...new Set([...(req.target ? [req.target] : []), ...(req.targets ?? [])])]
      .slice(0, MAX_TARGETS);
    const channel = req.channel ?? defaultChannel(d.configured());
    const scoped: SendDeps = {
      ...d,
      adapter: (c, a) => {
        const found = d.adapter(c, a);
        return found.adapter ? { ...found, adapter: withPlacement(found.adapter, req) } : found;
      },
    };
    if (req.dryRun) {
      const found = d.configured().includes(channel) ? d.adapter(channel, req.accountId) : {};
      if (!found.adapter) {
        return { ok: false, channel, error: `Channel "${channel}" is not configured: dry run` };
      }
      try {
        for (const t of targets) found.adapter.resolveTarget(t);
      } catch (err) {
        return { ok: false, channel, error: (err as Error).message };
      }
      return { ok: true, channel, messageIds: [] };
    }
    const callId = req.toolCallId ?? crypto.randomUUID();
    const messageIds: string[] = [];
    for (const [i, to] of targets.entries()) {
      if (signal.aborted) {
        return { ok: false, channel, messageIds, error: "The run was aborted: sending stopped" };
      }
      try {
        const out = await performSend({
          to,
          message: req.message,
          channel,
          ...(req.accountId ? { accountId: req.accountId } : {}),
          idempotencyKey: `agent:${req.runId}:${callId}:${i}`,
        }, scoped);
        messageIds.push(out.messageId);
      } catch (err) {
        const sent = messageIds.length ? ` (${messageIds.length} sent before it)` : "";
        return { ok: false, channel, messageIds, error: `${(err as Error).message}${sent}` };
      }
    }
    return { ok: true, channel, messageIds };
  };
}
