/**
 * The agent's `message` tool on the channels' send path: the scripted
 * provider calls the tool (`TOOLTEST:message:{...}`), the real engine runs
 * it, and the text reaches the Telegram chat through the gateway.
 */

import assert from "node:assert/strict";
import { CHANNEL_TEST } from "../../_helpers/channels.ts";
import { makeUser } from "../../_fakes/telegram/mod.ts";
import { startAgentChannels } from "./_fixture.ts";

function toolTest(args: Record<string, unknown>): string {
  return `TOOLTEST:message:${JSON.stringify(args)}`;
}

Deno.test(
  "telegram e2e: the agent's message tool sends to another Telegram chat",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels({
      telegram: { allowFrom: [4242], streaming: "off" },
    });
    const owner = makeUser(fx.emu.apiRoot, fx.token, { chatId: 4242, userId: 4242 });
    const friend = makeUser(fx.emu.apiRoot, fx.token, { chatId: 777, userId: 777 });
    await owner.sendText(
      toolTest({ action: "send", channel: "telegram", target: "777", message: "note for 777" }),
    );
    const got = await friend.waitFor((m) => m.length === 1, 10_000, "the tool's message");
    assert.equal(got[0].text, "note for 777");
    // The model saw the tool's result and answered the owner with it.
    const reply = await owner.waitFor((m) => m.length === 1, 10_000, "the owner's answer");
    assert.equal(reply[0].text, "Tool done: Message sent via telegram.");
    const calls = fx.provider.chatRequests();
    assert.equal(calls.length, 2, "tool call, then the answer");
    // deno-lint-ignore no-explicit-any
    const toolMsg = calls[1].body.messages.find((m: any) => m.role === "tool");
    assert.match(String(toolMsg?.content), /Message sent via telegram/);
    // The send is in the durable ledger under the run and tool call.
    const ledger = await Deno.readTextFile(`${fx.gw.home}/.openclaw/channels/send-ledger.json`);
    assert.match(ledger, /send:agent:telegram:default:\d+:call_stub_1:0/);
  },
);

Deno.test(
  "telegram e2e: a message tool call with a bad target or an unknown channel returns an error to the model",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels({ telegram: { allowFrom: [5], streaming: "off" } });
    const user = makeUser(fx.emu.apiRoot, fx.token, { chatId: 5, userId: 5 });
    await user.sendText(toolTest({ action: "send", target: "not a chat!", message: "x" }));
    const first = await user.waitFor((m) => m.length === 1, 10_000, "answer to the bad target");
    assert.match(first[0].text!, /^Tool done: .*not a chat!/);
    await user.sendText(
      toolTest({ action: "send", channel: "irc", target: "5", message: "x" }),
    );
    const second = await user.waitFor((m) => m.length === 2, 10_000, "answer to the bad channel");
    assert.match(second[1].text!, /^Tool done: Unknown channel "irc"/);
    assert.equal((await user.botMessages()).length, 2, "nothing else was sent");
  },
);

Deno.test(
  "telegram e2e: an operator's chat turn can message a Telegram forum topic (default channel, threadId)",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels({ telegram: { allowFrom: [1] } });
    const forum = makeUser(fx.emu.apiRoot, fx.token, {
      chatId: -100321,
      userId: 1,
      type: "supergroup",
      isForum: true,
    });
    const client = await fx.gw.connect();
    try {
      await client.request("chat.send", {
        sessionKey: "main",
        // No channel: the only configured one (telegram) is used.
        message: toolTest({ action: "send", target: "-100321", threadId: "7", message: "ping" }),
        idempotencyKey: `op-${crypto.randomUUID()}`,
      });
      const got = await forum.waitFor((m) => m.length === 1, 10_000, "the tool's message");
      assert.equal(got[0].text, "ping");
      assert.equal(got[0].message_thread_id, 7);
    } finally {
      await client.close();
    }
  },
);
