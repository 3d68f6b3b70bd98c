import assert from "node:assert/strict";
import { UpdateState } from "../../../src/channels/telegram/_state.ts";

const upd = (id: number) => ({
  update_id: id,
  message: { message_id: id, chat: { id: 1, type: "private" } },
});

Deno.test("UpdateState moves the watermark only past handled updates and replays the rest", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/default-updates.json`;
  try {
    const s = new UpdateState(path);
    assert.deepEqual(await s.load(), []);
    assert.equal(s.nextOffset, 1);
    const { fresh, journaled } = s.accept([upd(5), upd(6), upd(7)]);
    await journaled;
    assert.deepEqual(fresh.map((u) => u.update_id), [5, 6, 7]);
    assert.deepEqual(s.accept([upd(6)]).fresh, [], "in flight: not dispatched twice");
    await s.done(6);
    assert.equal(s.lastUpdateId, 4, "5 still in flight");
    await s.done(5);
    assert.equal(s.lastUpdateId, 6);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    // A new process: 7 comes back; 5 and 6 are dropped as already handled.
    const t = new UpdateState(path);
    assert.deepEqual((await t.load()).map((u) => u.update_id), [7]);
    assert.equal(t.nextOffset, 8);
    assert.equal(t.claim(7), true);
    assert.deepEqual(
      t.accept([upd(5), upd(6), upd(7), upd(8)]).fresh.map((u) => u.update_id),
      [8],
    );
    await t.done(8);
    assert.equal(t.lastUpdateId, 6, "7 (replayed) still in flight");
    await t.done(7);
    assert.equal(t.lastUpdateId, 8);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
