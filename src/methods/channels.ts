/**
 * `send`, `channels.status` and the DM pairing methods. Channel work lives in
 * `src/channels/`; these handlers only translate.
 *
 * @module
 */

import type { Static } from "@sinclair/typebox";
import type {
  ChannelsLogoutParams,
  ChannelsPairingApproveParams,
  ChannelsPairingDismissParams,
  ChannelsPairingListParams,
  ChannelsStatusParams,
  ChannelsStatusResult,
  WebLoginStartParams,
  WebLoginWaitParams,
} from "../../protocol/schemas/channels.ts";
import type { SendParams } from "../../protocol/schemas/messaging.ts";
import type { ChannelManager } from "../channels/mod.ts";
import { PairingError, type PairingRequest } from "../channels/pairing.ts";
import { performSend, type SendDeps, type SendOutcome } from "../channels/send.ts";
import { invalidRequest, unavailable } from "../errors.ts";
import type { ChannelLink } from "../channels/types.ts";

/** What these handlers need. */
export interface ChannelMethodDeps {
  manager: ChannelManager;
  send: SendDeps;
}

/** The message a sender gets with `--notify`. */
export const APPROVED_NOTICE = "✅ OpenClaw access approved. Send a message to start chatting.";

/**
 * The link flow of a phone-linked channel's account (WhatsApp); `INVALID_REQUEST`
 * naming the channel or account, with what to do, when there is none.
 */
function linkOf(
  manager: ChannelManager,
  channel: string,
  accountId?: string,
): { link: ChannelLink; accountId: string } {
  if (!manager.configured().includes(channel)) {
    throw invalidRequest(
      `Channel "${channel}" is not configured: add channels.${channel} to the config` +
        (channel === "whatsapp" ? " (for example channels.whatsapp: {}), then log in" : ""),
    );
  }
  const { adapter } = manager.adapter(channel, accountId);
  if (!adapter) {
    const known = manager.accounts(channel).filter((a) => a.enabled).map((a) => a.accountId);
    throw invalidRequest(
      `Unknown ${channel} account "${accountId ?? "default"}" (configured: ${
        known.join(", ") || "none"
      }; add it under channels.${channel}.accounts)`,
    );
  }
  if (!adapter.link) {
    throw invalidRequest(`Channel "${channel}" is not linked through a phone: nothing to log in`);
  }
  return { link: adapter.link, accountId: adapter.accountId };
}

/** Builds the channel handlers. */
export function channelHandlers(deps: ChannelMethodDeps) {
  const { manager } = deps;
  return {
    "web.login.start": (params: Static<typeof WebLoginStartParams>) =>
      linkOf(manager, "whatsapp", params.accountId).link.start({
        ...(params.force !== undefined ? { force: params.force } : {}),
        ...(params.timeoutMs !== undefined ? { timeoutMs: params.timeoutMs } : {}),
      }),
    "web.login.wait": (params: Static<typeof WebLoginWaitParams>) =>
      linkOf(manager, "whatsapp", params.accountId).link.wait({
        ...(params.timeoutMs !== undefined ? { timeoutMs: params.timeoutMs } : {}),
      }),
    "channels.logout": async (params: Static<typeof ChannelsLogoutParams>) => {
      const { link, accountId } = linkOf(manager, params.channel, params.accountId);
      const out = await link.logout();
      return { channel: params.channel, accountId, ...out };
    },
    send: (params: SendParams): Promise<SendOutcome> => performSend(params, deps.send),
    "channels.status": async (
      params: Static<typeof ChannelsStatusParams>,
    ): Promise<ChannelsStatusResult> => {
      const channels = await manager.status({
        probe: params.probe === true,
        timeoutMs: params.timeoutMs,
      });
      return { ts: Date.now(), channelOrder: Object.keys(channels), channels };
    },
    "channels.pairing.list": async (params: Static<typeof ChannelsPairingListParams>) => {
      const channels = params.channel ? [params.channel] : manager.configured();
      const requests: PairingRequest[] = [];
      for (const c of channels) requests.push(...await manager.pairing.list(c));
      return { requests };
    },
    "channels.pairing.approve": async (params: ChannelsPairingApproveParams) => {
      let req: PairingRequest;
      try {
        req = await manager.pairing.approve(params.channel, params.code, {
          ...(params.accountId ? { accountId: params.accountId } : {}),
        });
      } catch (err) {
        if (err instanceof PairingError) throw invalidRequest(err.message);
        throw err;
      }
      let notified = false;
      if (params.notify) {
        const { adapter } = manager.adapter(req.channel, req.accountId);
        if (!adapter?.status().running) {
          throw unavailable(
            `Approved ${req.senderId}, but channel ${req.channel} is not running, so they were ` +
              "not notified",
          );
        }
        await adapter.sendText({ chatId: req.senderId }, APPROVED_NOTICE);
        notified = true;
      }
      return { channel: req.channel, accountId: req.accountId, senderId: req.senderId, notified };
    },
    "channels.pairing.dismiss": async (params: Static<typeof ChannelsPairingDismissParams>) => ({
      removed: await manager.pairing.dismiss(params.channel, params.code),
    }),
  };
}
