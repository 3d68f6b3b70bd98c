/**
 * A simulated Telegram user for the emulator's client routes (not part of
 * the Bot API): it sends messages to a bot and reads what the bot sent.
 * Works the same whether the emulator runs in-process or elsewhere.
 *
 * @module
 */

/** Who the simulated user is and where they write. */
export interface UserOptions {
  chatId?: number;
  userId?: number;
  type?: "private" | "group" | "supergroup";
  title?: string;
  firstName?: string;
  userName?: string;
  isForum?: boolean;
}

/** A message the bot sent, as the emulator stores it (with the edit count). */
export interface BotMessage {
  message_id: number;
  chat: { id: number; type: string };
  text?: string;
  caption?: string;
  message_thread_id?: number;
  document?: { file_id: string; file_name?: string; file_size?: number };
  photo?: Array<{ file_id: string }>;
  edits: number;
  // deno-lint-ignore no-explicit-any
  [k: string]: any;
}

/** POSTs JSON to the emulator with a time limit; parses the answer. */
export async function postJson(
  apiRoot: string,
  path: string,
  body: unknown,
  timeoutMs = 5000,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const r = await fetch(apiRoot + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await r.text();
  try {
    return JSON.parse(text);
  } catch {
    return { status: r.status, text };
  }
}

/** A simulated user of bot `token`. */
export function makeUser(apiRoot: string, token: string, opts: UserOptions = {}) {
  const {
    chatId = 1,
    userId = 1,
    type = "private",
    title = "Test Group",
    firstName = "Alice",
    userName = "alice",
  } = opts;
  const from = { id: userId, is_bot: false, first_name: firstName, username: userName };
  const chat = type === "private"
    ? { id: chatId, type, first_name: firstName, username: userName }
    : { id: chatId, type, title, ...(opts.isForum ? { is_forum: true } : {}) };
  const base = () => ({ botToken: token, date: Math.floor(Date.now() / 1000), from, chat });
  const botMessages = async (): Promise<BotMessage[]> =>
    (await postJson(apiRoot, "/getBotMessages", { token, chatId })).result ?? [];

  return {
    chatId,
    userId,
    /** User -> bot text message (optionally with entities, message_thread_id, ...). */
    sendText: (text: string, extra: Record<string, unknown> = {}) =>
      postJson(apiRoot, "/sendMessage", { ...base(), text, ...extra }),
    /** User -> bot arbitrary message fields (photo, document, caption, ...). */
    sendMessage: (fields: Record<string, unknown>) =>
      postJson(apiRoot, "/sendMessage", { ...base(), ...fields }),
    /** Uploads bytes the bot can later fetch with getFile. */
    uploadFile: async (name: string, bytes: Uint8Array) => {
      let bin = "";
      for (const b of bytes) bin += String.fromCharCode(b);
      return (await postJson(apiRoot, "/uploadFile", { token, name, base64: btoa(bin) }))
        .result as { file_id: string; file_unique_id: string; file_size: number };
    },
    /** Every message the bot sent to this chat, with edited text and edit counts. */
    botMessages,
    /** Polls until `pred` holds for the bot's messages, or throws after `timeoutMs`. */
    async waitFor(
      pred: (msgs: BotMessage[]) => boolean,
      timeoutMs = 5000,
      what = "bot messages",
    ): Promise<BotMessage[]> {
      const end = Date.now() + timeoutMs;
      let last: BotMessage[] = [];
      while (Date.now() < end) {
        last = await botMessages();
        if (pred(last)) return last;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(last)}`,
      );
    },
  };
}

/** A simulated user, as returned by {@link makeUser}. */
export type SimulatedUser = ReturnType<typeof makeUser>;

/** Raw Bot API call (what grammY does): status and parsed body. */
export async function rawBotCall(
  apiRoot: string,
  token: string,
  method: string,
  payload: Record<string, unknown> = {},
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any }> {
  const r = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await r.text();
  try {
    return { status: r.status, body: JSON.parse(text) };
  } catch {
    return { status: r.status, body: text };
  }
}
