import assert from "node:assert/strict";
import { presenceKey, PresenceStore } from "../../src/server/presence.ts";

const SELF = { host: "Gateway-Host", mode: "gateway", reason: "self", version: "1.0.0" };

function store(opts: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000_000;
  const s = new PresenceStore(SELF, { now: () => now, ...opts });
  return { s, advance: (ms: number) => void (now += ms) };
}

Deno.test("presenceKey() prefers device id, then instance id, then connection, lowercased", () => {
  assert.equal(presenceKey({ deviceId: "DEV", instanceId: "Inst", connId: "c" }), "dev");
  assert.equal(presenceKey({ instanceId: "Inst", connId: "c" }), "inst");
  assert.equal(presenceKey({ connId: "Conn-1" }), "conn-1");
});

Deno.test("PresenceStore starts with the gateway's own row", () => {
  const { s } = store();
  const list = s.list();
  assert.equal(list.length, 1);
  assert.equal(list[0].mode, "gateway");
  assert.equal(list[0].reason, "self");
  assert.equal(s.selfKey, "gateway:gateway-host");
});

Deno.test("PresenceStore.upsert() merges fields and bumps the version", () => {
  const { s, advance } = store();
  const v0 = s.version;
  s.upsert("mac", { host: "mac", platform: "darwin", mode: "ui", reason: "connect" });
  advance(10);
  s.upsert("mac", { reason: "disconnect" });
  assert.equal(s.version, v0 + 2);
  const row = s.list().find((r) => r.host === "mac")!;
  assert.deepEqual(
    { platform: row.platform, mode: row.mode, reason: row.reason, ts: row.ts },
    { platform: "darwin", mode: "ui", reason: "disconnect", ts: 1_000_010 },
  );
  assert.equal(s.size, 2);
});

// A connect carries only what the client declared (`deviceFamily` may be
// undefined); merging must not erase what a beacon reported earlier.
Deno.test("PresenceStore.upsert() keeps a field the update leaves undefined", () => {
  const { s } = store();
  s.upsert("dev", { host: "mac", deviceFamily: "Mac", modelIdentifier: "Mac14,2", text: "beacon" });
  s.upsert("dev", { host: "mac", mode: "ui", deviceFamily: undefined, modelIdentifier: undefined });
  const row = s.list().find((r) => r.host === "mac")!;
  assert.equal(row.deviceFamily, "Mac");
  assert.equal(row.modelIdentifier, "Mac14,2");
  assert.equal(row.text, "beacon");
  assert.equal(row.mode, "ui");
});

Deno.test("PresenceStore.upsert() unions roles and scopes", () => {
  const { s } = store();
  s.upsert("dev", { roles: ["operator"], scopes: ["operator.read"] });
  s.upsert("dev", { roles: ["node"], scopes: ["operator.read", "operator.write"] });
  s.upsert("dev", { reason: "beacon" });
  const row = s.list().find((r) => r.reason === "beacon")!;
  assert.deepEqual(row.roles, ["operator", "node"]);
  assert.deepEqual(row.scopes, ["operator.read", "operator.write"]);
});

Deno.test("PresenceStore.list() is newest first", () => {
  const { s, advance } = store();
  for (const key of ["a", "b", "c"]) {
    advance(5);
    s.upsert(key, { host: key });
  }
  assert.deepEqual(s.list().map((r) => r.host), ["c", "b", "a", "Gateway-Host"]);
});

Deno.test("PresenceStore drops rows older than the TTL", () => {
  const { s, advance } = store({ ttlMs: 1000 });
  advance(1);
  s.upsert("old", { host: "old" });
  advance(600);
  s.upsert("new", { host: "new" });
  advance(400);
  assert.deepEqual(s.list().map((r) => r.host), ["new", "old", "Gateway-Host"]);
  advance(1);
  const v = s.version;
  assert.deepEqual(s.list().map((r) => r.host), ["new", "Gateway-Host"]);
  assert.equal(s.version, v + 1, "expiry did not bump the version");
  assert.equal(s.prune(), false);
});

Deno.test("PresenceStore defaults to a 5 minute TTL", () => {
  const { s, advance } = store();
  s.upsert("a", { host: "a" });
  advance(5 * 60_000);
  assert.equal(s.size, 2);
  advance(1);
  assert.equal(s.prune(), true);
  assert.equal(s.size, 1);
});

Deno.test("PresenceStore never expires live rows or its own row", () => {
  const { s, advance } = store({ ttlMs: 1000 });
  s.connect("conn", { host: "conn", reason: "connect" });
  advance(10_000);
  assert.deepEqual(s.list().map((r) => r.host).sort(), ["Gateway-Host", "conn"]);
  // Once the connection closes, the row ages out like any other.
  assert.equal(s.disconnect("conn"), true);
  advance(1001);
  assert.deepEqual(s.list().map((r) => r.host), ["Gateway-Host"]);
});

Deno.test("PresenceStore keeps a shared row live until its last connection closes", () => {
  const { s, advance } = store({ ttlMs: 1000 });
  // Two tabs with one instanceId share a row.
  s.connect("tab", { host: "tab", reason: "connect" });
  s.connect("tab", { host: "tab", reason: "connect" });
  assert.equal(s.disconnect("tab"), false, "first close must not mark the row disconnected");
  advance(10_000);
  const row = s.list().find((r) => r.host === "tab");
  assert.equal(row?.reason, "connect", "the open tab's row expired or was marked disconnected");
  assert.equal(s.disconnect("tab"), true);
  assert.equal(s.list().find((r) => r.host === "tab")?.reason, "disconnect");
  advance(1001);
  assert.equal(s.list().find((r) => r.host === "tab"), undefined);
});

Deno.test("PresenceStore keeps at most maxEntries rows, dropping the oldest but never itself", () => {
  const { s, advance } = store({ maxEntries: 5 });
  for (let i = 0; i < 8; i++) {
    advance(1);
    s.upsert(`k${i}`, { host: `h${i}` });
  }
  assert.equal(s.size, 5);
  assert.deepEqual(s.list().map((r) => r.host), ["h7", "h6", "h5", "h4", "Gateway-Host"]);
});

Deno.test("PresenceStore caps at 200 rows by default and keeps its own", () => {
  const { s, advance } = store();
  for (let i = 0; i < 250; i++) {
    advance(1);
    s.upsert(`k${i}`, { host: `h${i}` });
  }
  assert.equal(s.size, 200);
  const hosts = s.list().map((r) => r.host);
  assert.ok(hosts.includes("Gateway-Host"));
  assert.ok(hosts.includes("h249"));
  assert.ok(!hosts.includes("h50"), "an old row survived the cap");
});

Deno.test("PresenceStore refreshes a row's age when it is updated", () => {
  const { s, advance } = store({ maxEntries: 3 });
  s.upsert("a", { host: "a" });
  advance(1);
  s.upsert("b", { host: "b" });
  advance(1);
  s.upsert("a", { reason: "beacon" });
  advance(1);
  s.upsert("c", { host: "c" });
  // "b" is now the oldest client row and goes first.
  assert.deepEqual(s.list().map((r) => r.host), ["c", "a", "Gateway-Host"]);
});
