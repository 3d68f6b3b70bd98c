/**
 * Webhook delivery of the emulator, replacing telegram-test-api's: sends the
 * `X-Telegram-Bot-Api-Secret-Token` header, and records a failing webhook
 * (shown by `getWebhookInfo`) instead of crashing on the unhandled
 * rejection. Also remembers the chats users wrote from.
 *
 * @module
 */

import { type Any, sec } from "./_wire.ts";

/** Wraps `server.addUserUpdate`. */
export function installWebhookDelivery(
  server: Any,
  formatUpdate: (u: Any) => unknown,
  chats: Map<string, Any>,
): void {
  const origAddUserUpdate = server.addUserUpdate.bind(server);
  server.addUserUpdate = async (update: Any) => {
    const c = update.message?.chat ?? update.callbackQuery?.message?.chat;
    if (c) chats.set(String(c.id), c);
    const hook = server.webhooks[update.botToken];
    if (!hook) return origAddUserUpdate(update);
    try {
      const r = await fetch(hook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(hook.secret_token ? { "x-telegram-bot-api-secret-token": hook.secret_token } : {}),
        },
        body: JSON.stringify(formatUpdate(update)),
      });
      await r.arrayBuffer().catch(() => {});
      hook.last_error_message = r.ok ? undefined : `Wrong response from the webhook: ${r.status}`;
      if (!r.ok) hook.last_error_date = sec(Date.now());
    } catch (e) {
      hook.last_error_message = String((e as Error)?.message ?? e);
      hook.last_error_date = sec(Date.now());
    }
    server.updateId++;
  };
}
