/**
 * Between Baileys' `messages.upsert` and the channel's inbound handler:
 * normalise or drop, call the handler without letting it hurt the socket,
 * and send the read receipt once the handler accepted the message.
 *
 * @module
 */

import type { WAMessage, WASocket } from "@whiskeysockets/baileys";
import type { Logger } from "../../log/logger.ts";
import { normalizeInbound, SeenIds } from "./inbound.ts";
import type { WhatsAppInboundEnvelope } from "./types.ts";

/** Called per accepted inbound message; resolve `true` once access control let it in (sends the read receipt). */
export type InboundHandler = (
  envelope: WhatsAppInboundEnvelope,
) => void | boolean | Promise<void | boolean>;

/** One account's inbound bookkeeping: duplicates, own sends, receipts. */
export class InboundDispatcher {
  #sentIds = new SeenIds(2_000);
  #seen = new SeenIds();
  /** Envelopes handed to the handler so far. */
  delivered = 0;

  constructor(
    readonly accountId: string,
    readonly deps: {
      log: Logger;
      now: () => number;
      handler?: InboundHandler;
      sendReadReceipts: boolean;
    },
  ) {}

  /** Records an id this account sent, so its echo is not taken as inbound. */
  rememberSent(id: string | null | undefined): void {
    if (id) this.#sentIds.seen(id, this.deps.now());
  }

  /** Normalises one upserted message and hands it to the handler (never throws). */
  dispatch(m: WAMessage, self: { jid?: string; lid?: string }, sock: () => WASocket | undefined) {
    const now = this.deps.now();
    const result = normalizeInbound(m, {
      accountId: this.accountId,
      self,
      sentIds: { has: (id) => this.#sentIds.has(id, now) },
      seen: this.#seen,
      now,
    });
    if ("drop" in result) {
      this.deps.log.debug("inbound dropped", { accountId: this.accountId, reason: result.drop });
      return;
    }
    this.delivered++;
    const handler = this.deps.handler;
    if (!handler) return;
    Promise.resolve()
      .then(() => handler(result.envelope))
      .then((accepted) => accepted === true ? this.markRead(sock(), result.envelope) : undefined)
      .catch((err) =>
        this.deps.log.warn("inbound handler failed", {
          accountId: this.accountId,
          error: String(err),
        })
      );
  }

  /** Sends the read receipt for an accepted message (unless disabled or self-chat). */
  async markRead(sock: WASocket | undefined, envelope: WhatsAppInboundEnvelope): Promise<void> {
    if (!this.deps.sendReadReceipts || envelope.fromSelf || !sock) return;
    try {
      await sock.readMessages([{
        remoteJid: envelope.chatId,
        id: envelope.messageId,
        participant: envelope.isGroup ? envelope.senderJid : undefined,
        fromMe: false,
      }]);
    } catch (err) {
      this.deps.log.warn("read receipt failed", { accountId: this.accountId, error: String(err) });
    }
  }
}
