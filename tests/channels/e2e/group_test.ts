/**
 * Telegram groups on the real agent engine: a group message runs the agent
 * only when the bot is mentioned, and the model gets the unanswered group
 * chatter as context on the group's own session.
 */

import assert from "node:assert/strict";
import { CHANNEL_TEST } from "../../_helpers/channels.ts";
import { makeUser } from "../../_fakes/telegram/mod.ts";
import { startAgentChannels, userTexts } from "./_fixture.ts";

const GROUP = -1005678;

Deno.test(
  "telegram e2e: a group message is answered by the agent only when the bot is mentioned",
  CHANNEL_TEST,
  async () => {
    await using fx = await startAgentChannels({
      telegram: { groupPolicy: "open", groups: { [String(GROUP)]: {} } },
      provider: { respond: () => ({ text: "group answer" }) },
    });
    const bob = makeUser(fx.emu.apiRoot, fx.token, {
      chatId: GROUP,
      userId: 31,
      type: "supergroup",
      firstName: "Bob",
      userName: "bob",
    });
    await bob.sendText("just chatting");
    await bob.sendText("more chatting");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(fx.provider.chatRequests().length, 0, "no agent run without a mention");
    assert.equal((await bob.botMessages()).length, 0);

    await bob.sendText("@TestNameBot what do you think?", {
      entities: [{ type: "mention", offset: 0, length: 12 }],
    });
    const msgs = await bob.waitFor((m) => m.length === 1, 10_000, "answer to the mention");
    assert.equal(msgs[0].text, "group answer");
    assert.equal(msgs[0].chat.id, GROUP);
    const [seen] = userTexts(fx.provider);
    assert.match(seen, /session=agent:main:telegram:group:-1005678 /);
    assert.match(seen, /\[Chat messages since your last reply - for context\]/);
    assert.match(seen, /Bob \(@bob\): just chatting\nBob \(@bob\): more chatting/);
    assert.match(seen, /\[Current message - respond to this\]\n@TestNameBot what/);

    // Unmentioned again: kept as context, no run.
    await bob.sendText("thanks, bye");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(fx.provider.chatRequests().length, 1);
    assert.equal((await bob.botMessages()).length, 1);
  },
);
