/**
 * `message {action:"send", ...}`: proactive sends through a channel. The
 * channels part wires the `send` dependency; without it the tool answers
 * with a clear error instead of pretending.
 *
 * @module
 */

import type { Tool } from "../types.ts";
import {
  clip,
  errorResult,
  guarded,
  optBool,
  optString,
  reqString,
  textResult,
  ToolFailure,
} from "./_util.ts";

/** A send the model asked for. */
export interface MessageSendRequest {
  channel?: string;
  /** One recipient (channel-specific id: chat id, E.164, ...). */
  target?: string;
  targets?: string[];
  accountId?: string;
  message?: string;
  replyTo?: string;
  threadId?: string;
  dryRun?: boolean;
  /** Who asked. */
  agentId: string;
  sessionKey: string;
  runId: string;
  /** The tool call: with `runId` it makes the idempotency key of the send. */
  toolCallId?: string;
}

/** What a send did. */
export interface MessageSendResult {
  ok: boolean;
  channel?: string;
  /** Per recipient ids of the sent messages, when the channel reports them. */
  messageIds?: string[];
  /** Why it failed (sentence case, names the bad value). */
  error?: string;
}

/** Sends one message; supplied by the channels part. */
export type MessageSend = (
  req: MessageSendRequest,
  signal: AbortSignal,
) => Promise<MessageSendResult>;

/** Longest message text accepted. */
const MAX_TEXT = 16_000;

/** The `message` tool; `send` undefined means no channel can send yet. */
export function createMessageTool(send?: MessageSend): Tool {
  return {
    name: "message",
    description: "Send/manage channel messages. Supports actions: send.",
    parameters: {
      type: "object",
      required: ["action"],
      properties: {
        action: {
          enum: ["send"],
          type: "string",
          description: 'Select one action. For action="send", provide message.',
        },
        channel: { type: "string" },
        target: {
          type: "string",
          description: "Recipient/channel: E.164 for WhatsApp, Telegram chat id/@username.",
        },
        targets: { type: "array", items: { type: "string" } },
        accountId: { type: "string" },
        dryRun: { type: "boolean" },
        message: { type: "string", description: 'Text for action="send".' },
        replyTo: { type: "string" },
        threadId: { type: "string" },
      },
    },
    title: (args) => `Send message${args.channel ? ` via ${clip(String(args.channel), 30)}` : ""}`,
    execute: guarded(async (args, ctx) => {
      const action = reqString(args, "action", { max: 32 });
      if (action !== "send") {
        throw new ToolFailure(`Unknown message action "${action}": only "send" is supported`);
      }
      const message = optString(args, "message", { max: MAX_TEXT });
      if (!message?.trim()) throw new ToolFailure(`Nothing to send: pass message text`);
      const targets = Array.isArray(args.targets)
        ? args.targets.map(String).slice(0, 50)
        : undefined;
      const target = optString(args, "target", { max: 512 });
      if (!target && !targets?.length) {
        throw new ToolFailure(`No recipient: pass target (or targets)`);
      }
      if (!send) {
        return errorResult(
          "Sending messages is not available: no channel is connected to the message tool on this gateway (configure a channel first)",
        );
      }
      const res = await send({
        channel: optString(args, "channel", { max: 64 }),
        target,
        targets,
        accountId: optString(args, "accountId", { max: 128 }),
        message,
        replyTo: optString(args, "replyTo", { max: 256 }),
        threadId: optString(args, "threadId", { max: 256 }),
        dryRun: optBool(args, "dryRun"),
        agentId: ctx.agentId,
        sessionKey: ctx.sessionKey,
        runId: ctx.runId,
        toolCallId: ctx.toolCallId,
      }, ctx.signal);
      if (!res.ok) return errorResult(res.error ?? "The channel refused the message", { ...res });
      return textResult(`Message sent${res.channel ? ` via ${res.channel}` : ""}.`, { ...res });
    }),
  };
}
