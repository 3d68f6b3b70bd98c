/**
 * The WhatsApp adapter of one account on the shared channel contract: the
 * account's {@link WhatsAppConnection} (Baileys loads on its first connect),
 * inbound messages mapped into the shared pipeline (the read receipt goes
 * out once access control admits a message), replies and `send` to the same
 * chat, and the QR link flow behind `web.login.*` / `channels.logout`.
 * Loaded with `import()` only when `channels.whatsapp` is configured.
 *
 * @module
 */

import { invalidRequest } from "../../errors.ts";
import type { Logger } from "../../log/logger.ts";
import type {
  AdapterStartContext,
  AdapterStatus,
  ChannelAdapter,
  ChannelLink,
  InboundSink,
  OutboundMedia,
  SentMessage,
} from "../types.ts";
import type { WhatsAppResolvedAccount } from "./config.ts";
import { WhatsAppConnection, type WhatsAppConnectionDeps } from "./connection.ts";
import { toInboundEnvelope } from "./_envelope.ts";
import { WhatsAppLoginFlow } from "./login.ts";
import { resolveTarget, sendMedia, sendText } from "./outbound.ts";
import type { WhatsAppInboundEnvelope } from "./types.ts";
import { mimeTypeOf, OCTET_STREAM } from "../../mime.ts";

/** Options of {@link createWhatsAppAdapter}. */
export interface WhatsAppAdapterOptions {
  account: WhatsAppResolvedAccount;
  log: Logger;
  /** Connection seams (tests: clock, Baileys loader). */
  deps?: Pick<WhatsAppConnectionDeps, "clock" | "loadBaileys">;
}

/** The MIME type of an outbound file: given, else from its extension, else a generic document. */
export function guessMimeType(name: string, given?: string): string {
  return given || (mimeTypeOf(name) ?? OCTET_STREAM);
}

/** Builds the adapter; the connection exists at once (login works before start), idle until used. */
export function createWhatsAppAdapter(opts: WhatsAppAdapterOptions): ChannelAdapter {
  const { account } = opts;
  const log = opts.log.child(`whatsapp/${account.accountId}`);
  let deliver: InboundSink | undefined;
  let started = false;
  let lastInboundAt: number | undefined;
  let lastOutboundAt: number | undefined;
  let offChange: (() => void) | undefined;
  // A login must not race the start-up's own "not linked" verdict: link calls wait for it.
  let starting: Promise<unknown> = Promise.resolve();

  // Resolves true once the pipeline admitted the message (the read receipt then goes out),
  // false when it was dropped or answered with a pairing code.
  const onInbound = (e: WhatsAppInboundEnvelope): Promise<boolean> | boolean => {
    const sink = deliver;
    if (!sink || !started) return false;
    lastInboundAt = Date.now();
    const env = toInboundEnvelope(e, conn.status().self);
    return new Promise<boolean>((resolve) => {
      env.onAccepted = () => resolve(true);
      sink(env).then(() => resolve(false), () => resolve(false));
    });
  };
  const conn = new WhatsAppConnection(account, { logger: log, onInbound, ...opts.deps });
  let flow: WhatsAppLoginFlow | undefined;
  const loginFlow = () => (flow ??= new WhatsAppLoginFlow(conn));
  const sent = (chatId: string, messageId: string): SentMessage => {
    lastOutboundAt = Date.now();
    return { messageId, chatId };
  };

  const link: ChannelLink = {
    async start(o) {
      await starting.catch(() => {});
      const result = await loginFlow().start(o);
      const qr = result.qrDataUrl ? conn.currentQr : undefined;
      return { ...result, ...(qr ? { qr } : {}) };
    },
    async wait(o) {
      await starting.catch(() => {});
      return await loginFlow().wait(o);
    },
    async logout() {
      await starting.catch(() => {});
      const was = conn.status().linked;
      flow?.dispose();
      flow = undefined;
      await conn.logout();
      return {
        loggedOut: was,
        message: was
          ? `WhatsApp account "${account.accountId}" is unlinked and its credentials are deleted`
          : `WhatsApp account "${account.accountId}" was not linked; nothing to remove`,
      };
    },
  };

  return {
    channel: "whatsapp",
    accountId: account.accountId,
    link,

    async start(ctx: AdapterStartContext) {
      deliver = ctx.deliver;
      started = true;
      offChange?.();
      // Health follows the connection (open, reconnecting, logged out) as it happens.
      offChange = ctx.changed ? conn.onChange(() => ctx.changed!()) : undefined;
      // Linked: connects (reconnects are the connection's own); not linked: waits for a login.
      starting = conn.start();
      await starting;
    },

    async stop() {
      started = false;
      offChange?.();
      offChange = undefined;
      flow?.dispose();
      flow = undefined;
      await conn.stop();
    },

    status(): AdapterStatus {
      const st = conn.status();
      return {
        running: started,
        connected: st.connected,
        mode: "web",
        ...(st.lastError ? { lastError: st.lastError } : {}),
        ...(lastInboundAt ? { lastInboundAt } : {}),
        ...(lastOutboundAt ? { lastOutboundAt } : {}),
        ...(st.self ? { bot: { id: st.self.e164 ?? st.self.jid } } : {}),
        // A linked account that should run holds `/ready` back until it is connected.
        ready: !(st.linked && !st.connected && st.state !== "stopped") &&
          (started || !st.linked),
        linked: st.linked,
        ...(st.authAgeMs !== null ? { authAgeMs: Math.round(st.authAgeMs) } : {}),
        connection: st.state,
        reconnectAttempts: st.reconnectAttempts,
      };
    },

    probe() {
      const st = conn.status();
      return Promise.resolve(
        st.connected
          ? { ok: true }
          : { ok: false, error: st.lastError ?? `WhatsApp is ${st.state}` },
      );
    },

    resolveTarget: (to) => ({ chatId: resolveTarget(to) }),

    checkSend() {
      conn.requireSocket();
    },

    // "typing…" while the agent works (the pipeline refreshes it every 4 s; a sent message ends it).
    async sendTyping(target) {
      await conn.requireSocket().sendPresenceUpdate("composing", target.chatId);
    },

    async sendText(target, text) {
      const r = await sendText(conn, target.chatId, text);
      return sent(r.toJid, r.messageId);
    },

    async sendMedia(target, media: OutboundMedia) {
      if (!media.data) {
        throw invalidRequest(
          `WhatsApp media "${media.url ?? media.name}" is a URL: pass a local file path (this ` +
            "build sends WhatsApp media from files only)",
        );
      }
      const r = await sendMedia(conn, target.chatId, {
        data: media.data,
        mimetype: guessMimeType(media.name, media.mimeType),
        fileName: media.name,
        ...(media.caption ? { caption: media.caption } : {}),
      });
      return sent(r.toJid, r.messageId);
    },
  };
}
