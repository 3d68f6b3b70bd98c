/**
 * An unreachable Bot API (QA 12b): `channels.status` names the apiRoot and
 * what to check, never grammY's bare "Network request for 'getMe' failed!",
 * and never the token (the request URL holds it). Real sockets: a port with
 * no listener, and the emulator stopped under a polling account.
 */

import assert from "node:assert/strict";
import { EchoEngine } from "../_helpers/echo_engine.ts";
import {
  botToken,
  CHANNEL_TEST,
  channelStatus,
  eventually,
  startChannelGateway,
  telegramConfig,
  telegramRunning,
} from "../_helpers/channels.ts";
import { startTelegramEmulator } from "../_fakes/telegram/mod.ts";
import { describeFailure } from "../../src/channels/telegram/adapter.ts";

/** A loopback port nobody listens on. */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const REACH =
  /^Cannot reach Telegram at (\S+): .+ \(check channels\.telegram\.apiRoot and the network\)$/;

Deno.test(
  "telegram: a Bot API nobody answers is reported with the apiRoot and what to check",
  CHANNEL_TEST,
  async () => {
    const token = botToken();
    const apiRoot = `http://127.0.0.1:${closedPort()}`;
    const gw = await startChannelGateway({
      config: telegramConfig(apiRoot, token, { allowFrom: [12] }),
      engine: new EchoEngine(),
    });
    try {
      const acct = await eventually(async () => {
        const a = (await channelStatus(gw)).channels.telegram?.accounts?.[0];
        return a?.lastError ? a : undefined;
      }, "a start failure in channels.status");
      assert.match(acct.lastError, REACH);
      assert.equal(REACH.exec(acct.lastError)![1], apiRoot);
      assert.doesNotMatch(acct.lastError, /Network request for/);
      assert.ok(!acct.lastError.includes(token.split(":")[1]), "the token leaked");
      assert.ok(
        !gw.lines.some((l) => l.includes(token.split(":")[1])),
        "the token reached the log",
      );
    } finally {
      await gw.stop();
    }
  },
);

Deno.test(
  "telegram: polling that loses the Bot API reports the apiRoot, not grammY's text",
  CHANNEL_TEST,
  async () => {
    const emu = await startTelegramEmulator();
    const token = botToken();
    const gw = await startChannelGateway({
      config: telegramConfig(emu.apiRoot, token, { allowFrom: [12] }),
      engine: new EchoEngine(),
    });
    try {
      await telegramRunning(gw);
      await emu.stop();
      const acct = await eventually(
        async () => {
          const a = (await channelStatus(gw)).channels.telegram?.accounts?.[0];
          return a?.lastError && !a.connected ? a : undefined;
        },
        "a poll failure in channels.status",
        10_000,
      );
      assert.match(acct.lastError, REACH);
      assert.equal(REACH.exec(acct.lastError)![1], emu.apiRoot);
    } finally {
      await gw.stop();
      await emu.stop().catch(() => {});
    }
  },
);

Deno.test("describeFailure() names a rejected token and strips the request URL", () => {
  const rejected = Object.assign(new Error("Call to 'getMe' failed! (401: Unauthorized)"), {
    error_code: 401,
  });
  assert.match(
    describeFailure(rejected, "https://api.telegram.org", "1:SECRET"),
    /^Telegram at https:\/\/api\.telegram\.org rejected the bot token \(401\): check channels\.telegram\.botToken/,
  );
  const net = Object.assign(new Error("Network request for 'getMe' failed!"), {
    name: "HttpError",
    error: new TypeError(
      "error sending request for url (https://x.test/bot1:SECRET/getMe): connection refused",
    ),
  });
  const text = describeFailure(net, "https://x.test", "1:SECRET");
  // grammY on node-fetch words it differently; the URL goes too.
  const nodeFetch = Object.assign(new Error("Network request for 'getMe' failed!"), {
    name: "HttpError",
    error: new Error(
      "request to http://127.0.0.1:9/bot1:SECRET/getMe failed, reason: connect ECONNREFUSED",
    ),
  });
  assert.equal(
    describeFailure(nodeFetch, "http://127.0.0.1:9", "1:SECRET"),
    "Cannot reach Telegram at http://127.0.0.1:9: connect ECONNREFUSED (check " +
      "channels.telegram.apiRoot and the network)",
  );
  assert.equal(
    text,
    "Cannot reach Telegram at https://x.test: error sending request: connection refused " +
      "(check channels.telegram.apiRoot and the network)",
  );
});
