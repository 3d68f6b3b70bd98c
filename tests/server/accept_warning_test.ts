import assert from "node:assert/strict";
import { acceptErrorWarning } from "../../src/server/serve.ts";
import { startChannelsLater } from "../../src/channels/compose.ts";

Deno.test("acceptErrorWarning() says a failing accept once a minute", () => {
  const said: string[] = [];
  let t = 100_000;
  const warn = acceptErrorWarning({ warn: (m) => said.push(m) }, () => t);
  warn(new Error("Too many open files"));
  warn(new Error("Too many open files"));
  t += 59_999;
  warn("again");
  assert.equal(said.length, 1);
  assert.match(said[0], /accept failed \(Too many open files\); still listening/);
  t += 1;
  warn("later");
  assert.equal(said.length, 2);
  assert.match(said[1], /accept failed \(later\)/);
});

Deno.test("startChannelsLater() starts at once without a delay, and a cancelled start never runs", async () => {
  let starts = 0;
  const manager = { start: () => void starts++ };
  startChannelsLater(manager, 0, () => false);
  assert.equal(starts, 1);
  startChannelsLater(manager, 5, () => false).cancel();
  startChannelsLater(manager, 5, () => true);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(starts, 1);
  startChannelsLater(manager, 5, () => false);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(starts, 2);
});
