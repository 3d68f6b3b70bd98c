/**
 * A local Telegram Bot API for tests: `telegram-test-api` plus one middleware,
 * mounted before the emulator's own routes, that fills the gaps a grammY
 * gateway hits (ported from shared/reference/telegram-emulator):
 *
 * - `getUpdates`: real long polling (timeout, offset confirmation, limit); a
 *   newer poll ends the older one with 409, as does polling while a webhook
 *   is set.
 * - `sendMessage` results carry `from` (the bot), the real chat and `date` in
 *   seconds; `editMessageText` returns the Message and the two 400s.
 * - `sendChatAction` (recorded), `sendPhoto`/`sendDocument` (JSON or
 *   multipart), `getFile` and file download, `setMyCommands` & co.
 * - `setWebhook` sends the secret header; a failing webhook is recorded in
 *   `getWebhookInfo` instead of crashing the emulator.
 * - Fault injection: {@link TelegramEmulator.fail}. Unknown methods: 404
 *   `{ok:false,error_code,description}`.
 *
 * Test code only: no limits, no auth.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import http from "node:http";
import TTA from "telegram-test-api";
import { FileStore, mediaParams } from "./_files.ts";
import { createLongPoll } from "./_long_poll.ts";
import { installWebhookDelivery } from "./_webhook_delivery.ts";
import { type Any, fail, json, ok, sec } from "./_wire.ts";

/** The bot the emulator answers `getMe` with. */
export const EMULATED_BOT = {
  id: 666,
  is_bot: true,
  first_name: "Test First name",
  username: "TestNameBot",
} as const;

/** One injected failure. */
export interface Fault {
  method: string;
  error_code?: number;
  description?: string;
  retry_after?: number;
  times?: number;
}

/** A recorded `sendChatAction`. */
export interface ChatAction {
  token: string;
  chat_id: number;
  action: string;
  time: number;
}

/** A running emulator. */
export interface TelegramEmulator {
  /** Bot API root for grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  readonly port: number;
  /** The underlying telegram-test-api server (storage, events). */
  readonly server: Any;
  readonly chatActions: ChatAction[];
  /** The next `times` calls of `method` fail with `error_code` (429 carries retry_after). */
  fail(fault: Fault): void;
  /** Number of Bot API calls per method, for assertions on polling load. */
  readonly calls: Map<string, number>;
  stop(): Promise<void>;
}

const UPSTREAM = new Set([
  "getMe",
  "sendMessage",
  "editMessageReplyMarkup",
  "deleteMessage",
  "answerCallbackQuery",
  "deleteWebhook",
]);

/** Starts the extended emulator on 127.0.0.1 (port 0 = any free port). */
export async function startTelegramEmulator(
  opts: { port?: number; storeTimeoutSec?: number } = {},
): Promise<TelegramEmulator> {
  const Server = (TTA as Any).default ?? TTA;
  // The emulator treats port 0 as "use 9000", so it never listens itself: we do.
  const server = new Server({
    host: "127.0.0.1",
    port: 1,
    storeTimeout: opts.storeTimeoutSec ?? 300,
  });
  const app = server.webServer;
  const files = new FileStore();
  const chats = new Map<string, Any>();
  const chatActions: ChatAction[] = [];
  const commands = new Map<string, unknown>();
  const faults: Fault[] = [];
  const calls = new Map<string, number>();
  const longPoll = createLongPoll(server, (u) => Server.formatUpdate(u));

  installWebhookDelivery(server, (u) => Server.formatUpdate(u), chats);

  const botMessageResult = (stored: Any) => {
    const m = stored.message;
    const chat = chats.get(String(m.chat_id)) ??
      { id: Number(m.chat_id), type: Number(m.chat_id) < 0 ? "supergroup" : "private" };
    const {
      chat_id: _c,
      reply_markup,
      reply_parameters,
      parse_mode: _p,
      link_preview_options: _l,
      ...rest
    } = m;
    return {
      ...rest,
      message_id: stored.messageId,
      from: EMULATED_BOT,
      chat,
      date: sec(stored.time),
      ...(stored.editDate ? { edit_date: stored.editDate } : {}),
      ...(reply_markup && "inline_keyboard" in reply_markup ? { reply_markup } : {}),
      // The quoted message, as much as the emulator knows of it (its id).
      ...(reply_parameters
        ? {
          reply_to_message: {
            message_id: Number((json(reply_parameters) as Any).message_id),
            chat,
          },
        }
        : {}),
    };
  };
  const addBot = (payload: Any, token: string) => {
    server.addBotMessage(payload, token);
    return server.storage.botMessages[server.storage.botMessages.length - 1];
  };

  const media = async (req: Any, res: Any, token: string, kind: "photo" | "document") => {
    const { params: p, upload } = await mediaParams(req, kind);
    if (!p.chat_id || !p[kind]) {
      return fail(res, 400, `Bad Request: there is no ${kind} in the request`);
    }
    const f = upload
      ? files.add(upload.data, upload.filename)
      : files.get(p[kind]) ?? files.add(Buffer.from(String(p[kind])), "remote");
    const meta = { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size };
    const payload: Any = {
      chat_id: p.chat_id,
      caption: p.caption,
      reply_markup: json(p.reply_markup),
      ...(p.message_thread_id ? { message_thread_id: Number(p.message_thread_id) } : {}),
    };
    if (kind === "photo") payload.photo = [{ ...meta, width: 1, height: 1 }];
    else payload.document = { ...meta, file_name: upload?.filename ?? "file" };
    ok(res, botMessageResult(addBot(payload, token)));
  };

  // deno-lint-ignore no-explicit-any
  const botApi = (req: Any, res: Any, next: any, token: string, method: string) => {
    calls.set(method, (calls.get(method) ?? 0) + 1);
    const fault = faults.find((x) => x.method === method && (x.times ?? 0) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      const code = fault.error_code ?? 429;
      const retryAfter = fault.retry_after ?? 1;
      return fail(
        res,
        code,
        fault.description ??
          (code === 429 ? `Too Many Requests: retry after ${retryAfter}` : "Injected error"),
        code === 429 ? { retry_after: retryAfter } : undefined,
      );
    }
    const p: Any = { ...req.query, ...(req.body ?? {}) };
    switch (method) {
      case "getUpdates":
        return longPoll.handle(res, token, p);
      case "getMe":
        return ok(res, {
          ...EMULATED_BOT,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case "sendMessage": {
        if (p.chat_id === undefined || p.text === undefined || p.text === "") {
          return fail(res, 400, "Bad Request: message text is empty");
        }
        const stored = addBot(
          { ...p, reply_markup: json(p.reply_markup), entities: json(p.entities) },
          token,
        );
        return ok(res, botMessageResult(stored));
      }
      case "editMessageText": {
        const stored = server.storage.botMessages.find((u: Any) =>
          u.botToken === token && String(u.messageId) === String(p.message_id) &&
          String(u.message.chat_id) === String(p.chat_id)
        );
        if (!stored) return fail(res, 400, "Bad Request: message to edit not found");
        if (stored.message.text === p.text && !p.reply_markup) {
          return fail(
            res,
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
          );
        }
        stored.message = {
          ...stored.message,
          text: p.text,
          ...(p.reply_markup ? { reply_markup: json(p.reply_markup) } : {}),
        };
        stored.editDate = sec(Date.now());
        stored.edits = (stored.edits ?? 0) + 1;
        server.emit("EditedMessageText");
        return ok(res, botMessageResult(stored));
      }
      case "sendChatAction":
        if (!p.chat_id || !p.action) {
          return fail(res, 400, "Bad Request: chat_id and action are required");
        }
        chatActions.push({ token, chat_id: Number(p.chat_id), action: p.action, time: Date.now() });
        return ok(res, true);
      case "sendPhoto":
        return void media(req, res, token, "photo").catch(next);
      case "sendDocument":
        return void media(req, res, token, "document").catch(next);
      case "getFile": {
        const f = files.get(p.file_id);
        if (!f) return fail(res, 400, "Bad Request: invalid file_id");
        const { data: _d, ...meta } = f;
        return ok(res, meta);
      }
      case "setMyCommands":
        commands.set(token, json(p.commands) ?? []);
        return ok(res, true);
      case "getMyCommands":
        return ok(res, commands.get(token) ?? []);
      case "deleteMyCommands":
        commands.delete(token);
        return ok(res, true);
      case "setMessageReaction":
        return ok(res, true);
      case "setWebhook":
        if (!p.url) {
          return fail(
            res,
            400,
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
          );
        }
        server.setWebhook({ url: p.url, secret_token: p.secret_token }, token);
        longPoll.end(token, 409);
        return ok(res, true);
      case "getWebhookInfo": {
        const h = server.webhooks[token];
        return ok(res, {
          url: h?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: server.storage.userMessages
            .filter((u: Any) => u.botToken === token && !u.isRead).length,
          ...(h?.last_error_message
            ? { last_error_date: h.last_error_date, last_error_message: h.last_error_message }
            : {}),
        });
      }
    }
    if (UPSTREAM.has(method)) return next();
    return fail(res, 404, `Not Found: method '${method}' is not emulated`);
  };

  const clientApi = (req: Any, res: Any, path: string, next: Any) => {
    const b = req.body ?? {};
    switch (path) {
      case "/getChatActions":
        return ok(res, chatActions.filter((a) => a.token === b.token));
      case "/uploadFile": {
        const f = files.add(Buffer.from(b.base64 ?? "", "base64"), b.name ?? "file.bin");
        return ok(res, {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_size: f.file_size,
        });
      }
      case "/getBotMessages":
        return ok(
          res,
          server.storage.botMessages
            .filter((u: Any) =>
              u.botToken === b.token &&
              (b.chatId === undefined || String(u.message.chat_id) === String(b.chatId))
            )
            .map((u: Any) => ({ ...botMessageResult(u), edits: u.edits ?? 0 })),
        );
      case "/control/fail":
        faults.push({ times: 1, ...b });
        return ok(res, true);
    }
    next();
  };

  const extension = (req: Any, res: Any, next: Any) => {
    const path: string = req.path;
    const bot = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (bot) return botApi(req, res, next, bot[1], bot[2]);
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(path);
    if (file && req.method === "GET") {
      const f = files.byPath(file[1]);
      if (!f) return res.status(404).end();
      return res.type("application/octet-stream").send(f.data);
    }
    if (req.method === "POST") return clientApi(req, res, path, next);
    next();
  };

  // Mount right before the first built-in route (after the body parsers).
  app.use(extension);
  const stack = app._router.stack;
  const layer = stack.pop();
  const firstRoute = stack.findIndex((l: Any) => l.route);
  stack.splice(firstRoute === -1 ? stack.length : firstRoute, 0, layer);

  const httpServer = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (httpServer.address() as { port: number }).port;
  const apiRoot = `http://127.0.0.1:${port}`;
  server.config.apiURL = apiRoot;
  server.config.port = port;
  server.started = true;

  return {
    apiRoot,
    port,
    server,
    chatActions,
    calls,
    fail: (fault) => void faults.push({ times: 1, ...fault }),
    async stop() {
      longPoll.finishAll();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        (httpServer as Any).closeAllConnections?.();
      });
    },
  };
}
