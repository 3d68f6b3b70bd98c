import assert from "node:assert/strict";
import {
  dailyBoundary,
  pickResetPolicy,
  resetDue,
} from "../../../src/agent/sessions/reset_policy.ts";

const at = (iso: string) => Date.parse(iso);

Deno.test("dailyBoundary() is the latest local atHour at or before now", () => {
  assert.equal(dailyBoundary(at("2026-11-30T05:00:00Z"), 4, "UTC"), at("2026-11-30T04:00:00Z"));
  assert.equal(dailyBoundary(at("2026-11-30T03:59:00Z"), 4, "UTC"), at("2026-11-29T04:00:00Z"));
  // 04:00 in Amsterdam (UTC+1 in winter) is 03:00Z.
  assert.equal(
    dailyBoundary(at("2026-11-30T03:30:00Z"), 4, "Europe/Amsterdam"),
    at("2026-11-30T03:00:00Z"),
  );
});

Deno.test("resetDue() answers daily, idle or nothing", () => {
  const now = at("2026-11-30T09:00:00Z");
  const yesterday = { updatedAt: at("2026-11-29T23:00:00Z") };
  const today = { updatedAt: at("2026-11-30T05:00:00Z") };
  assert.equal(resetDue(yesterday, { mode: "daily" }, now), "daily");
  assert.equal(resetDue(today, { mode: "daily" }, now), undefined);
  assert.equal(resetDue(today, { mode: "idle", idleMinutes: 60 }, now), "idle");
  assert.equal(resetDue(today, { mode: "idle", idleMinutes: 600 }, now), undefined);
  assert.equal(resetDue(yesterday, { mode: "none" }, now), undefined);
  assert.equal(
    resetDue({ ...yesterday, lastInteractionAt: at("2026-11-30T08:59:00Z") }, {
      mode: "idle",
      idleMinutes: 5,
    }, now),
    undefined,
    "the last interaction counts",
  );
});

Deno.test("pickResetPolicy() prefers channel, then chat type, then the default", () => {
  const session = {
    reset: { mode: "daily" as const },
    resetByType: { group: { mode: "idle" as const, idleMinutes: 30 } },
    resetByChannel: { telegram: { mode: "none" as const } },
  };
  assert.equal(pickResetPolicy(session, { chatType: "group", channel: "telegram" }).mode, "none");
  assert.equal(pickResetPolicy(session, { chatType: "group", channel: "webchat" }).mode, "idle");
  assert.equal(pickResetPolicy(session, { chatType: "direct" }).mode, "daily");
  assert.equal(pickResetPolicy(undefined, {}).mode, "none");
});
