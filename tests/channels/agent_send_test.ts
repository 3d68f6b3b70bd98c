/**
 * createAgentSend(): the `message` tool's bridge to the channels' send path,
 * in process with an adapter that records sends (no socket is crossed here;
 * tests/channels/e2e/message_tool_test.ts runs it through Telegram).
 */

import assert from "node:assert/strict";
import { createAgentSend } from "../../src/channels/agent_send.ts";
import { SendLedger } from "../../src/channels/send_ledger.ts";
import type { SendDeps } from "../../src/channels/send.ts";
import type { ChannelAdapter, ChannelTarget } from "../../src/channels/types.ts";
import type { MessageSendRequest } from "../../src/agent/tools/mod.ts";

async function setup(running = true) {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-agent-send-" });
  const sent: Array<{ target: ChannelTarget; text: string }> = [];
  const adapter = {
    channel: "telegram",
    accountId: "default",
    status: () => ({ running, connected: running }),
    resolveTarget: (to: string) => {
      if (!/^-?\d+$/.test(to)) throw new Error(`Telegram target "${to}" is not a chat id`);
      return { chatId: to };
    },
    sendText: (target: ChannelTarget, text: string) => {
      sent.push({ target, text });
      return Promise.resolve({ messageId: String(sent.length), chatId: target.chatId });
    },
  } as unknown as ChannelAdapter;
  const deps: SendDeps = {
    configured: () => ["telegram"],
    adapter: () => ({ adapter }),
    ledger: new SendLedger(`${dir}/ledger.json`),
    mediaMaxBytes: () => 1024,
    textChunkLimit: () => 10,
  };
  const send = createAgentSend(() => deps);
  const req = (extra: Partial<MessageSendRequest>): MessageSendRequest => ({
    agentId: "main",
    sessionKey: "agent:main:main",
    runId: "run-1",
    toolCallId: "call-1",
    message: "hello",
    ...extra,
  });
  return {
    send,
    sent,
    req,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

const signal = new AbortController().signal;

Deno.test("createAgentSend() sends to each target once per tool call", async () => {
  await using fx = await setup();
  const res = await fx.send(fx.req({ targets: ["1", "2", "1"] }), signal);
  assert.deepEqual(res, { ok: true, channel: "telegram", messageIds: ["1", "2"] });
  // The same tool call again (a replay): the ledger answers, nothing is sent.
  const again = await fx.send(fx.req({ targets: ["1", "2"] }), signal);
  assert.deepEqual(again.messageIds, ["1", "2"]);
  assert.equal(fx.sent.length, 2);
  // Another tool call sends again.
  await fx.send(fx.req({ target: "1", toolCallId: "call-2" }), signal);
  assert.equal(fx.sent.length, 3);
});

Deno.test("createAgentSend() places replyTo/threadId and chunks at the limit", async () => {
  await using fx = await setup();
  await fx.send(
    fx.req({ target: "5", replyTo: "42", threadId: "7", message: "0123456789abcdef" }),
    signal,
  );
  assert.deepEqual(fx.sent.map((s) => s.text), ["0123456789", "abcdef"]);
  assert.deepEqual(fx.sent[0].target, { chatId: "5", threadId: "7", replyToMessageId: "42" });
});

Deno.test("createAgentSend() dryRun checks targets and sends nothing", async () => {
  await using fx = await setup();
  assert.deepEqual(await fx.send(fx.req({ target: "5", dryRun: true }), signal), {
    ok: true,
    channel: "telegram",
    messageIds: [],
  });
  const bad = await fx.send(fx.req({ target: "bob", dryRun: true }), signal);
  assert.equal(bad.ok, false);
  assert.match(bad.error!, /"bob"/);
  assert.equal(fx.sent.length, 0);
});

Deno.test("createAgentSend() reports a channel that is down, sending nothing", async () => {
  await using fx = await setup(false);
  const res = await fx.send(fx.req({ target: "5" }), signal);
  assert.equal(res.ok, false);
  assert.match(res.error!, /Channel telegram is not running/);
  assert.equal(fx.sent.length, 0);
});
