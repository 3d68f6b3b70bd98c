/**
 * Real long polling for the emulator's `getUpdates`: honours `timeout`,
 * `offset` (confirms older updates) and `limit`; a newer poll of the same
 * token ends the older one with 409, as does polling while a webhook is set.
 *
 * @module
 */

import { type Any, fail, ok } from "./_wire.ts";

/** Long-poll state of one emulator. */
export interface LongPoll {
  /** Handles one `getUpdates` call. */
  handle(res: Any, token: string, params: Any): void;
  /** Ends the waiting poll of `token` with `code` (409 when a webhook is set). */
  end(token: string, code: number): void;
  /** Ends every waiting poll (emulator stop). */
  finishAll(): void;
}

const EVENTS = ["AddedUserMessage", "AddedUserCommand", "AddedUserCallbackQuery"];

/** Builds the long poll over the emulator's storage and events. */
export function createLongPoll(server: Any, formatUpdate: (u: Any) => unknown): LongPoll {
  const polls = new Map<string, { res: Any; finish: (code: number) => void }>();
  return {
    handle(res, token, p) {
      const timeout = Math.min(Number(p.timeout ?? 0), 50);
      const limit = Math.max(1, Math.min(Number(p.limit ?? 100), 100));
      const offset = p.offset !== undefined ? Number(p.offset) : undefined;
      if (server.webhooks[token]) {
        return fail(
          res,
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      polls.get(token)?.finish(409);
      const mine = () => server.storage.userMessages.filter((u: Any) => u.botToken === token);
      if (offset !== undefined) {
        for (const u of mine()) {
          if (u.updateId < offset) u.isRead = true;
        }
      }
      const pending = () =>
        mine().filter((u: Any) => !u.isRead && (offset === undefined || u.updateId >= offset))
          .sort((a: Any, b: Any) => a.updateId - b.updateId).slice(0, limit);
      let done = false;
      const timers: ReturnType<typeof setTimeout>[] = [];
      const onEvent = () => {
        if (pending().length) finish(200);
      };
      const cleanup = () => {
        done = true;
        timers.forEach(clearTimeout);
        for (const e of EVENTS) server.off(e, onEvent);
        if (polls.get(token)?.res === res) polls.delete(token);
      };
      const finish = (code: number) => {
        if (done) return;
        cleanup();
        if (code === 409) {
          return fail(
            res,
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
          );
        }
        // Delivered updates stay unconfirmed until a later call passes a higher offset.
        ok(res, pending().map(formatUpdate));
      };
      polls.set(token, { res, finish });
      // The response's close (not the request's, which fires once the body is read).
      res.on("close", () => {
        if (!done) cleanup();
      });
      if (pending().length || timeout <= 0) return finish(200);
      for (const e of EVENTS) server.on(e, onEvent);
      timers.push(setTimeout(() => finish(200), timeout * 1000));
    },
    end(token, code) {
      polls.get(token)?.finish(code);
    },
    finishAll() {
      for (const p of [...polls.values()]) p.finish(200);
    },
  };
}
