/**
 * Outbound `send` (spec channels.md section 5): resolve channel, account and
 * target, fail fast when the channel is down, send text chunks and media
 * (local files only from the media roots, see `send_media.ts`),
 * and record the outcome in the durable ledger so a duplicate key (also
 * after a restart) never sends twice.
 *
 * @module
 */

import { GatewayError, invalidRequest, unavailable } from "../errors.ts";
import { ErrorCodes } from "../../protocol/errors.ts";
import type { SendParams } from "../../protocol/schemas/messaging.ts";
import { chunkText } from "./chunk.ts";
import { KNOWN_CHANNELS } from "./mod.ts";
import { loadSendMedia, type LocalMediaPolicy } from "./send_media.ts";
import type { SendLedger } from "./send_ledger.ts";
import type { ChannelAdapter, ChannelTarget, SentMessage } from "./types.ts";

/** Result of `send`. */
export interface SendOutcome {
  runId: string;
  messageId: string;
  channel: string;
  chatId?: string;
  /** WhatsApp: the JID the message went to. */
  toJid?: string;
}

/** What `send` needs from the channel manager. */
export interface SendDeps {
  configured(): string[];
  adapter(channel: string, accountId?: string): {
    adapter?: ChannelAdapter;
    runner?: { state: { state: string; lastError?: string } };
  };
  ledger: SendLedger;
  /** Max bytes of one outbound media item for `channel`. */
  mediaMaxBytes(channel: string, accountId?: string): number;
  textChunkLimit(channel: string, accountId?: string): number;
  /** Where local media files may be read from; absent: no local file is ever read. */
  mediaPolicy?(): LocalMediaPolicy | undefined;
}

/** The channel a `send` without `channel` uses: the only configured one, else `whatsapp`. */
export function defaultChannel(configured: string[]): string {
  if (configured.includes("whatsapp") || configured.length !== 1) return "whatsapp";
  return configured[0];
}

/** Performs one `send` (the router already joins concurrent duplicates in this process). */
export async function performSend(params: SendParams, deps: SendDeps): Promise<SendOutcome> {
  const key = `send:${params.idempotencyKey}`;
  const prior = await deps.ledger.get(key);
  if (prior?.state === "ok") return prior.result as unknown as SendOutcome;
  if (prior?.state === "error") {
    throw new GatewayError(prior.code as typeof ErrorCodes.UNAVAILABLE, prior.message);
  }
  if (prior?.state === "pending") {
    throw unavailable(
      `A send with idempotencyKey "${params.idempotencyKey}" was interrupted by a gateway ` +
        "restart; whether it was delivered is unknown, so it is not sent again (check the chat, " +
        "then use a new key)",
    );
  }
  const channel = params.channel ?? defaultChannel(deps.configured());
  if (!(KNOWN_CHANNELS as readonly string[]).includes(channel)) {
    throw invalidRequest(
      `Unknown channel "${channel}": use one of ${KNOWN_CHANNELS.join(", ")}`,
    );
  }
  if (!deps.configured().includes(channel)) {
    throw invalidRequest(
      `Channel "${channel}" is not configured: add channels.${channel} to the config`,
    );
  }
  const { adapter, runner } = deps.adapter(channel, params.accountId);
  if (!adapter) {
    throw invalidRequest(
      `Unknown ${channel} account "${
        params.accountId ?? "default"
      }": check channels.${channel}.accounts`,
    );
  }
  // Channel-specific fail-fast first: an unlinked WhatsApp account is NOT_LINKED with how to link.
  adapter.checkSend?.();
  const st = adapter.status();
  if (!st.running) {
    throw unavailable(
      `Channel ${channel} is not running (${
        st.lastError ?? runner?.state.lastError ??
          runner?.state.state ?? "stopped"
      }): nothing was sent; see "openclaw channels status"`,
      { retryable: true },
    );
  }
  let target: ChannelTarget;
  try {
    target = adapter.resolveTarget(params.to);
  } catch (err) {
    throw invalidRequest((err as Error).message);
  }
  const mediaRefs = [...(params.mediaUrl ? [params.mediaUrl] : []), ...(params.mediaUrls ?? [])];
  if (!params.message && mediaRefs.length === 0) {
    throw invalidRequest("send needs message or mediaUrl(s): nothing to send");
  }
  if (mediaRefs.length > 10) {
    throw invalidRequest(`send has ${mediaRefs.length} media items: at most 10 per call`);
  }
  const maxBytes = deps.mediaMaxBytes(channel, params.accountId);
  const policy = deps.mediaPolicy?.();
  const media = await Promise.all(
    mediaRefs.map((m) => loadSendMedia(m, { maxBytes, ...(policy ? { policy } : {}) })),
  );

  await deps.ledger.set(key, { at: Date.now(), state: "pending" });
  let first: SentMessage | undefined;
  try {
    for (const [i, m] of media.entries()) {
      // Caption only on the first item (spec section 1, step 9) when it fits.
      const caption = i === 0 && params.message && params.message.length <= 1024
        ? params.message
        : undefined;
      const sent = await adapter.sendMedia(target, { ...m, ...(caption ? { caption } : {}) });
      first ??= sent;
    }
    const captioned = media.length > 0 && (params.message?.length ?? 0) <= 1024;
    if (params.message && !captioned) {
      const limit = deps.textChunkLimit(channel, params.accountId);
      for (const chunk of chunkText(params.message, limit, "length")) {
        const sent = await adapter.sendText(target, chunk);
        first ??= sent;
      }
    }
  } catch (err) {
    // A typed refusal (media over the cap, account unlinked meanwhile) keeps its code.
    const code = err instanceof GatewayError ? err.code : ErrorCodes.UNAVAILABLE;
    const message = `Channel ${channel} could not deliver to "${params.to}": ${
      (err as Error).message
    }`;
    await deps.ledger.set(key, { at: Date.now(), state: "error", code, message });
    throw new GatewayError(code, message);
  }
  const result: SendOutcome = {
    runId: params.idempotencyKey,
    messageId: first!.messageId,
    channel,
    ...(channel === "telegram" ? { chatId: first!.chatId } : {}),
    ...(channel === "whatsapp" ? { toJid: first!.chatId } : {}),
  };
  await deps.ledger.set(key, {
    at: Date.now(),
    state: "ok",
    result: result as unknown as Record<string, unknown>,
  });
  return result;
}
