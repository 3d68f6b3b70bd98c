import assert from "node:assert/strict";
import {
  buildGroupMessage,
  compileMentionPatterns,
  decideDm,
  decideGroup,
  GroupHistory,
} from "../../src/channels/access.ts";
import type { AccessSettings, InboundEnvelope } from "../../src/channels/types.ts";

const env = (over: Partial<InboundEnvelope> = {}): InboundEnvelope => ({
  channel: "telegram",
  accountId: "default",
  messageId: "1",
  dedupeKey: "1",
  chatType: "dm",
  chatId: "5",
  senderId: "5",
  text: "hi",
  mentioned: false,
  timestamp: 0,
  ...over,
});
const access = (over: Partial<AccessSettings> = {}): AccessSettings => ({
  dmPolicy: "pairing",
  allowFrom: [],
  groupPolicy: "allowlist",
  requireMention: true,
  mentionPatterns: [],
  historyLimit: 50,
  ...over,
});

Deno.test("decideDm() applies each dmPolicy", () => {
  assert.equal(decideDm(env(), access(), []), "pair");
  assert.equal(decideDm(env(), access(), ["5"]), "allow");
  assert.equal(decideDm(env(), access({ allowFrom: ["tg:5"] }), []), "allow");
  assert.equal(decideDm(env(), access({ dmPolicy: "allowlist", allowFrom: ["6"] }), ["5"]), "drop");
  assert.equal(decideDm(env(), access({ dmPolicy: "open", allowFrom: ["*"] }), []), "allow");
  assert.equal(decideDm(env(), access({ dmPolicy: "open" }), []), "drop");
  assert.equal(decideDm(env(), access({ dmPolicy: "disabled", allowFrom: ["5"] }), []), "drop");
});

Deno.test("decideGroup() needs the group listed, the sender allowed and a mention", () => {
  const g = env({ chatType: "group", chatId: "-100", senderId: "7" });
  assert.equal(decideGroup(g, access(), []), "drop", "no groups: fail closed");
  const listed = access({ groups: { "-100": {} }, groupAllowFrom: ["7"] });
  assert.equal(decideGroup(g, listed, []), "history");
  assert.equal(decideGroup({ ...g, mentioned: true }, listed, []), "answer");
  assert.equal(decideGroup(g, listed, compileMentionPatterns(["^hi$"])), "answer");
  assert.equal(decideGroup({ ...g, senderId: "8", mentioned: true }, listed, []), "drop");
  assert.equal(
    decideGroup(g, access({ groupPolicy: "open", groups: { "*": { requireMention: false } } }), []),
    "answer",
  );
  assert.equal(
    decideGroup(g, access({ groupPolicy: "disabled", groups: { "*": {} } }), []),
    "drop",
  );
  assert.deepEqual(compileMentionPatterns(["(bad"]), []);
});

Deno.test("GroupHistory keeps the newest lines and buildGroupMessage() frames them", () => {
  const h = new GroupHistory();
  for (let i = 0; i < 5; i++) h.push("k", { sender: "A", text: `l${i}` }, 3);
  const lines = h.take("k");
  assert.deepEqual(lines.map((l) => l.text), ["l2", "l3", "l4"]);
  assert.deepEqual(h.take("k"), []);
  const msg = buildGroupMessage(env({ senderName: "Bo", text: "q" }), lines);
  assert.equal(
    msg,
    "[Chat messages since your last reply - for context]\nA: l2\nA: l3\nA: l4\n\n" +
      "[Current message - respond to this]\nq\n[from: Bo (5)]",
  );
});
