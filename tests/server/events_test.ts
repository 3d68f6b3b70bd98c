import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs, type WireFrame } from "../_helpers/raw_ws.ts";
import { check } from "../../protocol/validate.ts";
import { EVENTS } from "../../protocol/events.ts";

type Row = { host?: string; mode?: string; reason?: string; instanceId?: string; text?: string };

const rows = (f: WireFrame): Row[] => f.event === "presence" ? f.payload.presence : [];
const client = (id: string, mode: string, instanceId?: string) => ({
  client: { id, version: "1.0.0", platform: "test", mode, ...(instanceId && { instanceId }) },
});
const v3 = { minProtocol: 3, maxProtocol: 3 };
const v4 = { minProtocol: 4, maxProtocol: 4 };
/** The seq of every broadcast a socket received (the challenge has none). */
const seqs = (ws: RawWs) =>
  ws.frames.filter((f) => f.type === "event" && f.event !== "connect.challenge").map((f) => f.seq);

Deno.test("hub sends tick every tickIntervalMs with increasing seq", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, tickIntervalMs: 50 } }),
  });
  await using ws = await RawWs.connect(gw.url, client("cli", "cli"));
  const started = performance.now();
  await new Promise((r) => setTimeout(r, 300));
  const elapsed = performance.now() - started;
  const ticks = ws.events("tick");
  // About one per 50 ms: at least 3 in 300 ms, and never more than time allows.
  assert.ok(ticks.length >= 3, `${ticks.length} ticks in ${elapsed} ms`);
  assert.ok(ticks.length <= Math.ceil(elapsed / 50) + 1, `${ticks.length} ticks in ${elapsed} ms`);
  for (const t of ticks) assert.ok(check(EVENTS.tick.payload, t.payload).ok);
  for (let i = 1; i < ticks.length; i++) {
    assert.ok(ticks[i].seq! > ticks[i - 1].seq!, `seq ${ticks[i].seq} after ${ticks[i - 1].seq}`);
    assert.ok(ticks[i].payload.ts >= ticks[i - 1].payload.ts);
  }
  assert.equal(ws.frames.find((f) => f.id === "connect")!.payload.policy.tickIntervalMs, 50);
});

Deno.test("hub gives each v4 socket its own contiguous seq", async () => {
  await using gw = await startTestGateway();
  await using a = await RawWs.connect(gw.url, { ...v4, ...client("test", "test", "a") });
  await a.next((f) => rows(f).some((r) => r.instanceId === "a"));
  const b = await RawWs.connect(gw.url, { ...v4, ...client("webchat-ui", "ui", "b") });
  await using _c = await RawWs.connect(gw.url, { ...v4, ...client("webchat", "webchat", "c") });
  await b.next((f) => rows(f).some((r) => r.instanceId === "c"));
  await b.close();
  await a.next((f) => rows(f).some((r) => r.instanceId === "b" && r.reason === "disconnect"));
  // Presence changes within PRESENCE_COALESCE_MS share one event, so count
  // what arrived: each socket's seq must run 1, 2, 3... without gaps.
  const contiguous = (list: unknown[]) => list.map((_, i) => i + 1);
  assert.ok(seqs(a).length >= 2, `a saw ${seqs(a)}`);
  assert.deepEqual(seqs(a), contiguous(seqs(a)));
  // b started at 1 even though the gateway had broadcast before.
  assert.ok(seqs(b).length >= 1, `b saw ${seqs(b)}`);
  assert.deepEqual(seqs(b), contiguous(seqs(b)));
});

Deno.test("hub shares one global seq between v3 sockets", async () => {
  await using gw = await startTestGateway();
  await using x = await RawWs.connect(gw.url, { ...v3, ...client("test", "test", "x") });
  await x.next((f) => rows(f).some((r) => r.instanceId === "x"));
  await using y = await RawWs.connect(gw.url, { ...v3, ...client("test", "test", "y") });
  await y.next((f) => rows(f).some((r) => r.instanceId === "y"));
  await using w = await RawWs.connect(gw.url, { ...v4, ...client("test", "test", "w") });
  const seen = (ws: RawWs) => ws.next((f) => rows(f).some((r) => r.instanceId === "w"));
  const [xs, ys, wf] = [await seen(x), await seen(y), await seen(w)];
  assert.equal(wf.seq, 1);
  assert.equal(xs.seq, ys.seq, "v3 sockets saw different seq for one broadcast");
  assert.deepEqual(seqs(x), [1, 2, 3]);
  assert.deepEqual(seqs(y), [2, 3]);
  assert.deepEqual(seqs(w), [1], "a v4 socket counts on its own");
});

Deno.test("presence broadcasts a second client's connect and disconnect to the first", async () => {
  await using gw = await startTestGateway();
  await using first = await RawWs.connect(gw.url, client("test", "test", "first"));
  const second = await RawWs.connect(gw.url, client("webchat-ui", "ui", "second"));
  const joined = await first.next((f) => rows(f).some((r) => r.instanceId === "second"));
  const row = rows(joined).find((r) => r.instanceId === "second")!;
  assert.equal(row.mode, "ui");
  assert.equal(row.reason, "connect");
  assert.equal(row.host, "webchat-ui");
  assert.ok(check(EVENTS.presence.payload, joined.payload).ok);
  await second.close();
  const left = await first.next((f) =>
    rows(f).some((r) => r.instanceId === "second" && r.reason === "disconnect")
  );
  assert.ok(left.stateVersion!.presence > joined.stateVersion!.presence);
});

Deno.test("presence events carry an increasing stateVersion.presence", async () => {
  await using gw = await startTestGateway();
  await using watcher = await RawWs.connect(gw.url, client("test", "test", "watcher"));
  const start = watcher.frames.find((f) => f.id === "connect")!.payload.snapshot.stateVersion;
  for (const id of ["p1", "p2", "p3"]) {
    await using _ = await RawWs.connect(gw.url, client("webchat", "webchat", id));
    await watcher.next((f) => rows(f).some((r) => r.instanceId === id && r.reason === "connect"));
  }
  await watcher.next((f) =>
    rows(f).some((r) => r.instanceId === "p3" && r.reason === "disconnect")
  );
  const versions = watcher.events("presence").map((f) => f.stateVersion!.presence);
  // One event per connect or disconnect at least every other change: changes
  // within PRESENCE_COALESCE_MS share an event.
  assert.ok(versions.length >= 3, `only ${versions.length} presence events`);
  assert.ok(versions[0] > start.presence, "first event not newer than the hello snapshot");
  for (let i = 1; i < versions.length; i++) assert.ok(versions[i] > versions[i - 1], `${versions}`);
  for (const f of watcher.events("presence")) assert.equal(typeof f.stateVersion!.health, "number");
});

Deno.test("presence keeps one row per client.instanceId", async () => {
  await using gw = await startTestGateway();
  await using one = await RawWs.connect(gw.url, client("webchat-ui", "ui", "Same-Device"));
  await using two = await RawWs.connect(gw.url, client("webchat-ui", "ui", "same-device"));
  await two.next((f) => rows(f).some((r) => r.instanceId === "same-device"));
  const list: Row[] = (await one.request("system-presence", {})).payload;
  const same = list.filter((r) => r.instanceId?.toLowerCase() === "same-device");
  assert.equal(same.length, 1, JSON.stringify(list));
  // Without an instanceId, each connection is its own row.
  await using _a = await RawWs.connect(gw.url, client("webchat", "webchat"));
  await using _b = await RawWs.connect(gw.url, client("webchat", "webchat"));
  const after: Row[] = (await one.request("system-presence", {})).payload;
  assert.equal(after.filter((r) => r.mode === "webchat").length, 2);
});

Deno.test("presence leaves out cli-mode clients", async () => {
  await using gw = await startTestGateway();
  await using watcher = await RawWs.connect(gw.url, client("test", "test", "watcher"));
  await watcher.next((f) => rows(f).some((r) => r.instanceId === "watcher"));
  const before = watcher.events("presence").length;
  await using cli = await RawWs.connect(gw.url, client("cli", "cli", "cli-1"));
  const list: Row[] = (await cli.request("system-presence", {})).payload;
  assert.ok(list.some((r) => r.instanceId === "watcher"), "presence list is not the live one");
  assert.equal(list.filter((r) => r.instanceId === "cli-1").length, 0);
  await cli.close();
  // Neither the cli connect nor its disconnect was broadcast: the next
  // presence event the watcher sees is the marker's connect.
  await using _marker = await RawWs.connect(gw.url, client("webchat", "webchat", "marker"));
  await watcher.next((f) => rows(f).some((r) => r.instanceId === "marker"));
  assert.equal(watcher.events("presence").length, before + 1);
});

Deno.test("system-event updates presence and broadcasts it to other clients", async () => {
  await using gw = await startTestGateway();
  await using admin = await RawWs.connect(gw.url);
  await using other = await RawWs.connect(gw.url, { ...client("webchat-ui", "ui"), scopes: [] });
  const res = await admin.request("system-event", {
    text: "Node: box (10.0.0.9) · app 1.2 · mode ui",
    instanceId: "beacon",
    host: "box",
    sessionKey: "agent:main:main",
  });
  assert.deepEqual(res.payload, { ok: true });
  const seen = await other.next((f) => rows(f).some((r) => r.instanceId === "beacon"));
  const row = rows(seen).find((r) => r.instanceId === "beacon")!;
  assert.equal(row.text, "Node: box (10.0.0.9) · app 1.2 · mode ui");
  assert.equal(row.host, "box");
  assert.equal("sessionKey" in row, false);
  assert.ok(seen.stateVersion);
  const list: Row[] = (await admin.request("system-presence", {})).payload;
  assert.equal(list.find((r) => r.instanceId === "beacon")?.text, row.text);
});
