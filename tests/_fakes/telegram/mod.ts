/**
 * The Telegram test double: a local Bot API (telegram-test-api plus the
 * extension in `ext_server.ts`) and a simulated user.
 *
 * @module
 */

export * from "./ext_server.ts";
export * from "./client.ts";
