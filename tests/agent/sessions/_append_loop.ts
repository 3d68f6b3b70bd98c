/**
 * Child process of the SIGKILL test: appends transcript rows and patches the
 * index as fast as it can until it is killed. Prints "ready" after the first
 * round so the parent knows it is writing.
 */

import { createSessionStore } from "../../../src/agent/sessions/mod.ts";

const stateDir = Deno.args[0];
const store = createSessionStore({ stateDir, cwdFor: () => "/ws" });
const key = "agent:main:main";
await store.ensure(key);
let i = 0;
for (;;) {
  // A large row makes a kill during the write more likely.
  await store.append(key, {
    type: "message",
    message: {
      role: "user",
      content: `m${i} ${"x".repeat(i % 7 === 0 ? 200_000 : 100)}`,
      timestamp: i,
    },
  });
  await store.patch(key, { label: `round ${i}`, counter: i });
  await store.ensure(`agent:main:other-${i % 50}`);
  if (i === 0) console.log("ready");
  i++;
}
